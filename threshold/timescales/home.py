"""The work panel that leads every home page with case work: counts overdue, today and this week, the first few.

Two queries however much the person can see (the open steps' keys and dates, then the few rows shown); nothing for
someone with no case work (an administrator, an auditor), and for a partner only when they own something.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.access.scope import Scope, scope_for
from threshold.accounts.models import User
from threshold.timescales.models import Deadline
from threshold.timescales.selectors import (
    STATUSES,
    WorkItem,
    deadline_url,
    entries_of,
    keys_by_status,
    open_deadlines,
)
from threshold.timescales.views.work import trust_organisations

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

    As My work reads its list: one light read of the open steps (key, kind, label, due date) counts and groups
    them, and the few rows shown are read by key. The access condition is evaluated once over the open steps,
    not once for the counts and again for the rows: on PostgreSQL each evaluation hashed the authority's visible
    cases (the panel's reads for Lara went from 17 ms to 10 ms at six authorities, and from 2.8 ms to 3.4 ms on
    SQLite at one; Hana's from 2.7 ms to 1.7 ms on both).
    """
    today = timezone.localdate()
    rows = open_deadlines(user)
    groups = keys_by_status(entries_of(rows), today)
    counts = {status: len(groups[status]) for status in STATUSES}
    first = (groups["overdue"] or groups["today"] + groups["week"])[:PANEL_ITEMS]
    found = {values["id"]: values for values in rows.order_by().filter(pk__in=first).values(*SUMMARY_FIELDS)}
    shown = []
    for key in first:
        if key in found:  # closed between the two reads: left out
            deadline = Deadline(**found[key])
            shown.append(WorkItem(deadline=deadline, status=deadline.status_on(today), url=deadline_url(deadline)))
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
    return {
        "template": "timescales/_home_panel.html",
        # The records the steps shown are on: the page's one audit event names them (``core.views.home_panels``).
        **({"listed": {"records": [item.deadline.record_key for item in first]}} if first else {}),
        **counts,
        "first": first,
        "first_overdue": bool(counts["overdue"]),
        "trust_view": bool(trust_organisations(user)) if scope.concern_change_routed else False,
    }
