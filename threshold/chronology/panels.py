"""The chronology panel that record pages (concern, allegation, LADO case) include.

A record page calls ``chronology_context`` with a record it fetched through
``threshold.access`` and includes ``chronology/_panel.html``.
"""

from __future__ import annotations

from typing import Any

from threshold.chronology.services import chronology_of


def chronology_context(*, record: Any, record_type: str, can_add: bool) -> dict[str, Any]:
    """Context for ``chronology/_panel.html``: the entries, and whether this viewer may add to them."""
    entries = chronology_of(record)
    corrections: dict[int, list[int]] = {}
    for entry in entries:
        if entry.corrects_id is not None:
            corrections.setdefault(entry.corrects_id, []).append(entry.pk)
    return {
        "chronology_entries": entries,
        "chronology_corrections": corrections,
        "chronology_record_type": record_type,
        "chronology_record_id": record.pk,
        "chronology_can_add": can_add,
    }
