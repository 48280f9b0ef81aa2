"""The allegations panel on the home page: open allegations the user manages, with what is due and overdue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from threshold.accounts.models import User
from threshold.allegations import selectors

# Enough for a home page; the rest are one click away on each allegation.
PANEL_LIMIT = 20


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For case managers, DSLs, trust roles and HR who may change allegations; nothing for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    allegations = list(selectors.open_allegations_managed(user)[:PANEL_LIMIT])
    restrictions = bool(selectors.restriction_trusts(user))
    if not allegations and not restrictions:
        return None
    due = [item for allegation in allegations for item in selectors.due_items(allegation)]
    return {
        "template": "allegations/_home_panel.html",
        "open_allegations": allegations,
        "allegations_due": sorted(due, key=lambda item: (not item.overdue, str(item.due))),
        "show_restrictions": restrictions,
    }
