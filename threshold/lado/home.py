"""The LADO panel on the home page: how many contacts wait in the inbox, and how many are overdue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.lado.list_selectors import inbox_counts
from threshold.lado.models import CaseStatus


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For LADOs, LADO managers and business support; nothing for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    scope = scope_for(user)
    if not scope.lado_contact_change:
        return None
    # Counted in the database (one query), however many contacts wait.
    inbox = inbox_counts(user)
    return {
        "template": "lado/inbox_panel.html",
        "inbox_count": inbox["waiting"],
        "overdue_count": inbox["overdue"],
        # A LADO's own open cases (what falls due on them leads the page, in the work panel).
        "open_cases": (
            fetch.visible_cases(user, "change").filter(lado=user, status=CaseStatus.OPEN).count()
            if scope.lado_change
            else None
        ),
        "is_manager": bool(scope.lado_manage),
    }
