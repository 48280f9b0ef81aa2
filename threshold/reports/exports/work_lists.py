"""The work list out: "My work", the person's open deadlines, with the kind and whose-work filters of the page.

A deadline follows its record's rule (``visible_deadlines``), so the rows are those the page lists; the export's
audit event names the records the deadlines are on (``case:12``), as the page's own event does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import User
from threshold.reports.exports.base import Filters, ListExport, london, name_of
from threshold.timescales.forms import WorkFilterForm
from threshold.timescales.models import Deadline
from threshold.timescales.selectors import STATUS_LABELS, open_deadlines


def _filters(user: User, query: Mapping[str, str]) -> Filters:
    return WorkFilterForm(query or None).chosen()


def _records(user: User, filters: Filters) -> QuerySet[Deadline]:
    kind = str(filters.get("kind") or "")
    rows = open_deadlines(user, everything=bool(filters.get("everything")), kinds=[kind] if kind else ())
    return rows.select_related("owner", "organisation")


def _row(deadline: Deadline) -> Sequence[Any]:
    status = deadline.status_on(timezone.localdate())
    return [
        deadline.reference,
        deadline.label,
        london(deadline.due_at) if deadline.due_at else deadline.due_on,
        STATUS_LABELS.get(status, status),
        name_of(deadline.owner, "Not yet allocated"),
        deadline.organisation.name,
    ]


def _named(records: QuerySet[Deadline], ids: list[int], filters: Filters) -> dict[str, Any]:
    keys = sorted(set(records.order_by().values_list("record_key", flat=True)))
    return {"details": {"ids": ids, "records": keys}}


def _page(filters: Filters) -> str:
    query = {"kind": filters.get("kind") or "", "show": "everything" if filters.get("everything") else "yours"}
    return reverse("my_work") + "?" + urlencode(query)


MY_WORK = ListExport(
    kind="my-work",
    title="My work",
    record_type="deadline",
    header=("Reference", "What is due", "Due", "When", "Whose", "Organisation"),
    filters=_filters,
    records=_records,
    row=_row,
    page=_page,
    named=_named,
)

WORK_LISTS = (MY_WORK,)
