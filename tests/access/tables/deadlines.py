"""Rows for closing a step as not needed (a stored deadline on the demo allegation about Chris at Oakfield).

Only those who may change the allegation reach the page: its case manager (hana), Oakfield's DSL (dev), and
the trust's director of school and HR (priya, henry). Everyone else gets the 404 of a deadline that does not
exist, as for the allegation's own pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threshold.allegations.models import Allegation
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.timescales.models import Deadline


def _inform_lado(ids: dict[str, int]) -> int:
    """The allegation's "Inform the LADO" deadline, as its services store it."""
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    allegation_deadlines_sync(allegation)
    return Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="inform-lado").pk


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "deadline_close": lambda ids: [_inform_lado(ids)],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
deadline_close                       404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
"""
