"""The concerns panel on the home page: awaiting triage, open low-level concerns and the next pattern reviews.

What falls due (a low-level concern's further action among it) is the work panel's, above this one; an open
low-level concern shows its action's due date from its own row. Each part is bounded (``PANEL_LIMIT`` rows, the
full list one link away) and read with its rows' adults and records joined, so the panel's queries do not grow
with the concerns an organisation has recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import User
from threshold.accounts.roles import Role
from threshold.accounts.selectors import current_memberships
from threshold.concerns import selectors
from threshold.concerns.models import Concern

# Enough for a home page; "All concerns you handle" has the rest.
PANEL_LIMIT = 20


def _is_governance(user: User) -> bool:
    """The user chairs the governors or management committee of a setting (they receive routed concerns)."""
    return any(membership.role == Role.GOVERNANCE for membership in current_memberships(user))


def _low_level_row(concern: Concern, today: dt.date) -> dict[str, Any]:
    """An open low-level concern as the panel lists it: what is left to do, and when its further action is due.

    The due date comes from the record the list already joins: the panel reads no list of actions due of its own
    (the work panel above it counts and lists every due step, further actions included).
    """
    record = getattr(concern, "low_level_record", None)
    if record is None or not record.further_action or not record.breach_category:
        return {"concern": concern, "state": "record to complete", "due": None, "overdue": False}
    due = record.action_due_on if record.action_done_on is None else None
    return {"concern": concern, "state": "further action open", "due": due, "overdue": bool(due and due < today)}


def _waiting(concern: Concern, today: dt.date) -> dict[str, Any]:
    """A concern awaiting triage as the list shows it: how long it has waited, and what marks it out."""
    # Waiting since it reached the setting (an anonymous one keeps its day only), not the day it says it was raised.
    received = timezone.localdate(concern.created_at)
    days = (today - received).days
    tags = []
    if concern.open_allegation:  # type: ignore[attr-defined]
        tags.append(("Open allegation about this adult", "red"))
    elif concern.earlier_concerns:  # type: ignore[attr-defined]
        tags.append(("Earlier concerns about this adult", "orange"))
    if concern.is_anonymous:
        tags.append(("Anonymous", "grey"))
    waited = "received today" if days <= 0 else f"waiting {days} day{'' if days == 1 else 's'}"
    return {"concern": concern, "received": received, "waited": waited, "tags": tags}


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For headteachers, DSLs, directors of school and chairs of governors; other staff get a way to share."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    organisations = selectors.review_organisations(user)
    if not organisations and not _is_governance(user):
        membership = getattr(request, "membership", None)
        return {"template": "concerns/_home_share.html"} if selectors.may_share(membership) else None
    today = timezone.localdate()
    awaiting = [_waiting(concern, today) for concern in selectors.awaiting_triage(user)[:PANEL_LIMIT]]
    open_low_level = list(selectors.open_low_level(user)[:PANEL_LIMIT])
    # The panel shows concerns (names of the adults concerned): the read is audited like any list, in the page's one
    # event (``core.views.home_panels``), an empty list included.
    shown = sorted({row["concern"].pk for row in awaiting} | {concern.pk for concern in open_low_level})
    return {
        "template": "concerns/_home_panel.html",
        "listed": {"concerns": shown},
        "awaiting_triage": awaiting,
        "open_low_level": [_low_level_row(concern, today) for concern in open_low_level],
        "may_review": bool(organisations),
        "may_share": selectors.may_share(getattr(request, "membership", None)),
        "reviews_due": selectors.reviews_due(user=user, organisations=organisations, today=today),
    }
