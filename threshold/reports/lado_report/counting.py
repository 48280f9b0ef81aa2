"""What a report counts over, and the one way it counts: many conditional counts in one aggregate query.

``Counting`` holds the reader's records (the local authority's contacts and cases they may count, through
``threshold.access`` with the ``report`` action, subject exclusion included), the period and the pack.
``Tally`` gathers named counts (``("by_source", "police")``: ``Count("pk", filter=...)``) and runs them as a
single ``aggregate``, so a figure costs a condition, not a query, and the number of queries does not grow with
the number of records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from threshold.lado.models import Case, Contact
from threshold.policy import Pack, get_pack
from threshold.reports.periods import Period, utc_bounds

# The national pack answers where the LADO's own pack sets no such timescale.
FALLBACK_PACK = "kcsie"


@dataclass(frozen=True)
class Counting:
    """The records a report counts and the period it counts them in."""

    contacts: QuerySet[Contact]
    cases: QuerySet[Case]
    period: Period
    pack: Pack

    @property
    def received(self) -> QuerySet[Contact]:
        """The contacts received in the period (by their London date)."""
        first, after = utc_bounds(self.period)
        return self.contacts.filter(received_at__gte=first, received_at__lt=after)

    @property
    def referred(self) -> QuerySet[Case]:
        """The referrals (cases) received in the period."""
        return self.cases.filter(received_on__gte=self.period.start, received_on__lte=self.period.end)

    @property
    def concluded(self) -> QuerySet[Case]:
        """The cases concluded in the period."""
        return self.cases.filter(concluded_on__gte=self.period.start, concluded_on__lte=self.period.end)

    def timescale(self, timescale_id: str, default: int) -> int:
        """The count of a pack timescale (months, working days): the LADO's pack, else the national pack's."""
        return pack_timescale(self.pack, timescale_id, default)


def pack_timescale(pack: Pack, timescale_id: str, default: int) -> int:
    """The count of a timescale (months, working days) in ``pack``, else in the national pack, else ``default``."""
    for each in (pack, get_pack(FALLBACK_PACK)):
        for timescale in each.timescales:
            if timescale.id == timescale_id:
                return timescale.count
    return default


def during(period: Period, field: str) -> Q:
    """A stored time falls in the period, by its London date (the period's UTC bounds)."""
    first, after = utc_bounds(period)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def dated_during(period: Period, field: str) -> Q:
    """A stored date falls in the period (both ends included)."""
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def open_at(day: dt.date) -> Q:
    """A case received on or before ``day`` and not concluded by the end of it."""
    return Q(received_on__lte=day) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=day))


class Tally:
    """Named counts of one queryset, run as one aggregate query; the result nests by each name's parts."""

    def __init__(self) -> None:
        self._counts: dict[str, Count] = {}
        self._names: dict[str, tuple[str, ...]] = {}

    def count(self, *name: str, where: Q | None = None, distinct: bool = False) -> None:
        """Count the rows (meeting ``where``) under ``name``, e.g. ``count("by_source", "police", where=...)``."""
        alias = f"n{len(self._counts)}"
        self._counts[alias] = Count("pk", filter=where, distinct=distinct)
        self._names[alias] = name

    def run(self, queryset: QuerySet[Any]) -> dict[str, Any]:
        """Run every count in one query and nest the answers by name."""
        answers = queryset.aggregate(**self._counts) if self._counts else {}
        result: dict[str, Any] = {}
        for alias, name in self._names.items():
            place = result
            for part in name[:-1]:
                place = place.setdefault(part, {})
            place[name[-1]] = answers[alias]
        return result


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place (None when there is nothing to divide)."""
    return round(100 * part / whole, 1) if whole else None
