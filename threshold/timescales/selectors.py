"""Reading deadlines: a person's work list, and where each row's link goes.

Every read starts from ``threshold.access.fetch.visible_deadlines``, so a deadline follows its record's rule
(scope, need to know, and never a record about the reader). The list is one query however many records
the person can see: the rows are stored, not worked out page by page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from threshold.access.fetch import actionable_deadlines, visible_deadlines
from threshold.accounts.models import User
from threshold.core.record_ids import record_url
from threshold.policy.clocks import RESOLUTION_TARGETS
from threshold.timescales.models import Deadline, DeadlineState, due_status

# The work list's groups, in the order a person meets them.
STATUSES = ("overdue", "today", "week", "later")
STATUS_LABELS = {
    "overdue": "Overdue",
    "today": "Due today",
    "week": "Due in the next 7 days",
    "later": "Due later",
}


@dataclass(frozen=True)
class WorkItem:
    """One open deadline as a work list shows it: the row, where it stands today, and the link to act on it."""

    deadline: Deadline
    status: str
    url: str


# The record pages a deadline links to, in the order a row's links are tried (a meeting action: its meeting).
RECORD_PAGES = (
    ("meeting_id", "meeting_detail"),
    ("case_id", "case_detail"),
    ("contact_id", "contact_detail"),
    ("allegation_id", "allegation_detail"),
    ("concern_id", "concern_detail"),
)


def steps_only(rows: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """The rows that are steps someone takes: not policy 6.4's resolution targets, kept as deadlines beside them.

    What counts as an overdue *step* (the employer dashboard, the trust's view) reads this; a missed target is
    not an action.
    """
    return rows.exclude(kind__in=RESOLUTION_TARGETS)


def deadline_url(deadline: Deadline) -> str:
    """The page where the person acts on a deadline: its record's page (the pattern reviews for an organisation)."""
    for field, name in RECORD_PAGES:
        record_id = getattr(deadline, field)
        if record_id:
            return record_url(name, record_id)
    return reverse("pattern_review_list")


def open_deadlines(user: User, *, everything: bool = False, kinds: Iterable[str] = ()) -> QuerySet[Deadline]:
    """Open deadlines on records the user may see: theirs and nobody's (``everything``: all they may see).

    "Theirs" is what they own, and what nobody owns on a record they may act on (a contact nobody holds
    yet, an organisation's pattern review): work that falls to whoever picks it up.
    """
    rows = (visible_deadlines(user, "view") if everything else actionable_deadlines(user)).filter(
        state=DeadlineState.OPEN
    )
    wanted = [kind for kind in kinds if kind]
    if wanted:
        rows = rows.filter(kind__in=wanted)
    return rows.order_by("due_on", "due_at", "reference", "pk")


def work_list(
    user: User,
    *,
    today: dt.date | None = None,
    everything: bool = False,
    kinds: Iterable[str] = (),
) -> dict[str, list[WorkItem]]:
    """The user's open deadlines grouped as overdue, due today, due in the next 7 days and later (one query)."""
    today = today or timezone.localdate()
    groups: dict[str, list[WorkItem]] = {status: [] for status in STATUSES}
    rows = open_deadlines(user, everything=everything, kinds=kinds)
    # Whose each row is shows only in the list of everything.
    for deadline in rows.select_related("owner") if everything else rows:
        status = deadline.status_on(today)
        groups[status].append(WorkItem(deadline=deadline, status=status, url=deadline_url(deadline)))
    return groups


# One open step as the work list first reads it: its key, kind, label and due date.
Entry = tuple[int, str, str, dt.date]


def entries_of(rows: QuerySet[Deadline]) -> list[Entry]:
    """The open steps of ``rows`` (``open_deadlines``) in its order, as (key, kind, label, due date): one light query.

    Enough to count the steps, group them by when they fall due, offer their kinds and page each group
    (``threshold.core.pagination.pages_of_segments``) without building a record for each, and without
    evaluating the list's access condition once for a count, once for the kinds and once for the pages. The
    list holds open steps only, so it is as long as the work in hand, not the history.
    """
    return list(rows.values_list("pk", "kind", "label", "due_on"))


def kinds_of(entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """The kinds of step among ``entries``, as (kind, label) for a filter, in the order of their labels."""
    seen: dict[str, str] = {}
    for _, kind, label, _ in entries:
        seen.setdefault(kind, label)
    return sorted(seen.items(), key=lambda pair: pair[1])


def keys_by_status(entries: Iterable[Entry], today: dt.date) -> dict[str, list[int]]:
    """The keys of ``entries`` in each group of the work list on ``today`` (``due_status``), in the list's order."""
    groups: dict[str, list[int]] = {status: [] for status in STATUSES}
    for key, _, _, due_on in entries:
        groups[due_status(due_on, today)].append(key)
    return groups
