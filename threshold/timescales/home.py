"""The work panel that leads every home page with case work: counts overdue, today and this week, the first few.

One query for the list (the rows ``work_list`` groups), however much the person can see; nothing for someone
with no case work (an administrator, an auditor), and for a partner only when they own something.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.access.scope import Scope, scope_for
from threshold.accounts.models import User
from threshold.timescales.models import Deadline, due_status
from threshold.timescales.selectors import STATUSES, WorkItem, deadline_url, open_deadlines
from threshold.timescales.views.work import audit_listed, trust_organisations

# Enough for a home page; My work has the rest.
PANEL_ITEMS = 5
# What the panel's rows show and link to (``Deadline.status_on`` needs only ``due_on`` of an open row).
SUMMARY_FIELDS = (
    "id", "record_key", "contact_id", "case_id", "meeting_id", "allegation_id", "concern_id",
    "kind", "reference", "label", "due_on", "due_at", "state",
)  # fmt: skip


def _case_worker(scope: Scope) -> bool:
    """The person acts on concerns, allegations or LADO contacts and cases somewhere."""
    return bool(
        scope.concern_change_plain
        or scope.concern_change_routed
        or scope.allegation_change_plain
        or scope.allegation_change_routed
        or scope.governed
        or scope.lado_contact_change
    )


def _summary(user: User) -> tuple[dict[str, int], list[WorkItem]]:
    """How many of the user's steps fall in each group, and the first few: overdue, else the soonest due.

    The work list's one query (``open_deadlines``, the rows ``work_list`` groups), read as plain values:
    a LADO with hundreds of open steps should not pay for hundreds of model instances on every home page.
    """
    today = timezone.localdate()
    counts = dict.fromkeys(STATUSES, 0)
    first: dict[str, list[WorkItem]] = {status: [] for status in STATUSES}
    for values in open_deadlines(user).values(*SUMMARY_FIELDS):
        status = due_status(values["due_on"], today)
        counts[status] += 1
        if len(first[status]) < PANEL_ITEMS:
            deadline = Deadline(**values)
            first[status].append(WorkItem(deadline=deadline, status=status, url=deadline_url(deadline)))
    shown = first["overdue"] or (first["today"] + first["week"])[:PANEL_ITEMS]
    return counts, shown


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For everyone with case work (and partners who own a step): what falls due, and a link to My work."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    scope = scope_for(user)
    worker = _case_worker(scope)
    if not worker and not scope.is_partner:
        return None
    counts, first = _summary(user)
    if not worker and not any(counts.values()):
        return None
    if first:
        audit_listed(request, "home_work", [item.deadline for item in first])
    return {
        "template": "timescales/_home_panel.html",
        **counts,
        "first": first,
        "first_overdue": bool(counts["overdue"]),
        "trust_view": bool(trust_organisations(user)) if scope.concern_change_routed else False,
    }
