"""Rows for uploading documents and adding to or correcting a chronology (issue 5).

Writing needs "change" on the record: for Chris's allegation at Oakfield that
is Hana (case manager), Dev (Oakfield DSL), Priya (the trust's director of
school) and Henry (the trust's HR); everyone else gets the same 404 as for a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threshold.allegations.models import Allegation
from threshold.chronology.services import chronology_record_event


def _entry_on_chris_allegation(ids: dict[str, int]) -> list[Any]:
    allegation = Allegation._default_manager.get(pk=ids["allegation_chris"])
    entry = chronology_record_event(record=allegation, text="Allegation recorded.", actor=None)
    return [entry.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "document_upload": lambda ids: ["allegation", ids["allegation_chris"]],
    "chronology_add": lambda ids: ["allegation", ids["allegation_chris"]],
    "chronology_correct": _entry_on_chris_allegation,
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
chronology_add                       404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
chronology_correct                   404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
document_upload                      404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
"""
