"""Reads of chronology entries, always within a record already fetched through ``threshold.access``."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from threshold.access import subrecords
from threshold.chronology.models import ChronologyEntry

RECORD_TYPES = subrecords.CHRONOLOGY_RECORD_TYPES


def chronology_entry_record_ref(*, entry_id: int) -> tuple[str, int]:
    """Which record an entry belongs to, as (record type, record id), so the caller can access that record.

    Reveals nothing by itself: the caller must then fetch the record through
    ``threshold.access`` (which answers 404 for records the user may not act
    on) and read the entry with ``chronology_entry_of``.
    """
    return subrecords.chronology_entry_record_ref(entry_id=entry_id)


def chronology_entry_of(*, record: Any, record_type: str, entry_id: int) -> ChronologyEntry:
    """One entry of the chronology of a record the caller has already accessed."""
    if record_type not in RECORD_TYPES:
        raise Http404("No such record.")
    # Through the record's own related manager: the guard lets a fetched record's sub-records through.
    entries = record.chronology.filter(pk=entry_id)
    entry: ChronologyEntry | None = entries.select_related("recorded_by", "corrects").first()
    if entry is None:
        raise Http404("No such record.")
    return entry
