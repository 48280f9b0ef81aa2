"""Queryset helpers every record app shares.

History is append-only (ADR 0009): recording a line again adds a row that supersedes the last, so a page, a
panel or a report often wants "the row that stands for each kind" (the latest investigation of each line, the
latest record of each step, the latest referral to each body). ``latest_of_kind`` answers it in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber

Q = TypeVar("Q", bound=QuerySet[Any])

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
