"""The LADO panel on the home page: how many contacts wait in the inbox, and how many are overdue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.lado.models import ContactStatus
from threshold.lado.services.contacts import advice_due


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For LADOs, LADO managers and business support; nothing for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or not scope_for(user).lado_contact_change:
        return None
    contacts = list(fetch.visible_contacts(user, "view").filter(status__in=(ContactStatus.NEW, ContactStatus.ADVISED)))
    today = timezone.localdate()
    return {
        "template": "lado/inbox_panel.html",
        "inbox_count": len(contacts),
        "overdue_count": sum(1 for contact in contacts if advice_due(contact, today).overdue),
    }
