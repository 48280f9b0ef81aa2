"""Queryset helpers every record app shares.

History is append-only (ADR 0009): recording a line again adds a row that supersedes the last, so a page, a
panel or a report often wants "the row that stands for each kind" (the latest investigation of each line, the
latest record of each step, the latest referral to each body). ``latest_of_kind`` answers it in one query;
``latest_of_each`` gives the same answer from one record's rows already read (a page that reads them once), and
``last_recorded`` the one row that stands among them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db.models import F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber

Q = TypeVar("Q", bound=QuerySet[Any])
R = TypeVar("R")

# The annotation that ranks each row within its kind (1: the row that stands).
RANK = "latest_of_kind_rank"
NEWEST_FIRST = ("-recorded_at", "-pk")


def _ordering(fields: Sequence[str]) -> list[OrderBy]:
    return [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in fields]


def latest_of_kind(queryset: Q, kind_field: str, order_by: Sequence[str] = NEWEST_FIRST) -> Q:
    """The first row of each ``kind_field`` value when the rows are sorted by ``order_by`` (newest first by default).

    One query on SQLite and PostgreSQL alike: a ``ROW_NUMBER()`` window over
    each kind, keeping rank 1. ``order_by`` must end in a unique field (``-pk``)
    so that two rows recorded in the same instant still give one answer.
    Filter the queryset *before* calling this: a filter added afterwards on
    another field picks among the rows that already stand, it does not make an
    earlier row stand. The result keeps the queryset's own ordering and access
    mark (a related manager of a fetched record stays scoped), and may be
    ordered again.
    """
    if not order_by:
        raise ValueError("latest_of_kind needs an order: which row of a kind is the latest?")
    rank = Window(RowNumber(), partition_by=[F(kind_field)], order_by=_ordering(order_by))
    return queryset.annotate(**{RANK: rank}).filter(**{RANK: 1})


def _recorded(row: Any) -> tuple[Any, Any]:
    return (row.recorded_at, row.pk)


def last_recorded(rows: Iterable[R]) -> R | None:
    """The row that stands among one record's history rows: the last recorded (then the highest key), or None.

    Reads the rows given whole (``.all()`` of a record's related manager: a handful), so a page that prefetched
    them asks nothing more, however many of its parts ask.
    """
    return max(rows, key=_recorded, default=None)


def latest_of_each(rows: Iterable[R], kind_field: str) -> list[R]:
    """The row that stands for each ``kind_field`` value (the latest recorded, then the highest key), oldest first.

    ``latest_of_kind``'s answer under its default order, worked out from rows already read: one record's few
    history rows, read once through ``.all()`` so a page that prefetched them asks nothing more.
    """
    standing: dict[Any, Any] = {}
    for row in rows:
        kind = getattr(row, kind_field)
        held = standing.get(kind)
        if held is None or _recorded(row) > _recorded(held):
            standing[kind] = row
    return sorted(standing.values(), key=_recorded)
