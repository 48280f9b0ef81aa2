"""The LADO panel on the home page: how many contacts wait in the inbox, and how many are overdue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.lado.models import CaseStatus, ContactStatus
from threshold.lado.services.contacts import advice_due


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For LADOs, LADO managers and business support; nothing for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    scope = scope_for(user)
    if not scope.lado_contact_change:
        return None
    contacts = list(fetch.visible_contacts(user, "view").filter(status__in=(ContactStatus.NEW, ContactStatus.ADVISED)))
    today = timezone.localdate()
    return {
        "template": "lado/inbox_panel.html",
        "inbox_count": len(contacts),
        "overdue_count": sum(1 for contact in contacts if advice_due(contact, today).overdue),
        # A LADO's own open cases (what falls due on them leads the page, in the work panel).
        "open_cases": (
            fetch.visible_cases(user, "change").filter(lado=user, status=CaseStatus.OPEN).count()
            if scope.lado_change
            else None
        ),
        "is_manager": bool(scope.lado_manage),
    }
