"""Reads of chronology entries, always within a record already fetched through ``threshold.access``."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from threshold.chronology.models import ChronologyEntry

RECORD_TYPES = ("concern", "allegation", "case")


def chronology_entry_record_ref(*, entry_id: int) -> tuple[str, int]:
    """Which record an entry belongs to, as (record type, record id), so the caller can access that record.

    Reveals nothing by itself: the caller must then fetch the record through
    ``threshold.access`` (which answers 404 for records the user may not act
    on) and read the entry with ``chronology_entry_of``.
    """
    # access-lint: allow only the record's reference, which the caller then fetches through threshold.access
    row = ChronologyEntry.objects.filter(pk=entry_id).values_list("concern_id", "allegation_id", "case_id").first()
    if row is None:
        raise Http404("No such record.")
    for record_type, record_id in zip(RECORD_TYPES, row, strict=True):
        if record_id is not None:
            return record_type, record_id
    raise Http404("No such record.")


def chronology_entry_of(*, record: Any, record_type: str, entry_id: int) -> ChronologyEntry:
    """One entry of the chronology of a record the caller has already accessed."""
    if record_type not in RECORD_TYPES:
        raise Http404("No such record.")
    # access-lint: allow an entry of a record the caller has already fetched through threshold.access
    entries = ChronologyEntry.objects.filter(pk=entry_id, **{record_type: record})
    entry = entries.select_related("recorded_by", "corrects").first()
    if entry is None:
        raise Http404("No such record.")
    return entry
