"""The record index of the audit trail: every (record type, id) each event names.

``records_named`` reads them from an event: its own ``record_type`` and
``record_id``, and the ids that list, search and export events keep in their
details (``ids``, ``records`` as ``"kind:id"``, or a list named after a record
type such as ``allegations``). ``audit_record`` writes them to
``AuditRecordRef`` in the same transaction; ``check_index`` (run by ``audit
verify`` after the chain) recomputes them and names the first event whose
index rows were added, removed or changed behind the application's back.
"""

from __future__ import annotations

# access-lint: allow-module the audit trail's own index, written by audit_record and checked by audit verify.
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from threshold.audit.models import AuditEvent, AuditRecordRef

# A search result's kind that is stored as another record type.
KIND_ALIASES = {"consultation": "contact", "lado_case": "case"}
# Lists in details named after the record type of their ids.
PLURAL_KEYS = {
    "concerns": "concern",
    "allegations": "allegation",
    "contacts": "contact",
    "cases": "case",
    "meetings": "meeting",
    "documents": "document",
    "people": "person",
}
BATCH_SIZE = 2000


def _ref(default_type: str, value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and default_type:
        return default_type, str(value)
    if isinstance(value, str) and value:
        if ":" in value:
            kind, _, identifier = value.rpartition(":")
            return (KIND_ALIASES.get(kind, kind), identifier) if kind and identifier else None
        if value.isdigit() and default_type:
            return default_type, value
    return None


def records_named(record_type: str, record_id: str, details: Mapping[str, Any] | None) -> set[tuple[str, str]]:
    """Every (record type, id) one event names."""
    named: set[tuple[str, str]] = set()
    if record_type and record_id:
        named.add((record_type, str(record_id)))
    details = details if isinstance(details, Mapping) else {}
    lists: list[tuple[str, Any]] = [(record_type, details.get("ids")), (record_type, details.get("records"))]
    lists += [(kind, details.get(key)) for key, kind in PLURAL_KEYS.items()]
    for default_type, values in lists:
        if isinstance(values, list):
            for value in values:
                ref = _ref(default_type, value)
                if ref is not None and len(ref[0]) <= 60 and len(ref[1]) <= 64:
                    named.add(ref)
    return named


def index_event(event: AuditEvent) -> None:
    """Write the index rows of one event (inside ``audit_record``'s transaction)."""
    refs = records_named(event.record_type, event.record_id, event.details)
    AuditRecordRef.objects.bulk_create(
        [AuditRecordRef(sequence=event.sequence, record_type=kind, record_id=pk) for kind, pk in sorted(refs)]
    )


def sequences_naming(refs: Iterable[tuple[str, Iterable[object]]]) -> QuerySet[Any, Any]:
    """The sequences of the events that name any of these records, as a subquery: (record type, ids) pairs.

    A subquery rather than a list, so a record shown in thousands of lists
    does not overflow SQLite's limit on query parameters.
    """
    condition = Q(pk__in=[])
    for record_type, ids in refs:
        keys = [str(pk) for pk in ids]
        if keys:
            condition |= Q(record_type=record_type, record_id__in=keys)
    return AuditRecordRef.objects.filter(condition).values("sequence")


def check_index() -> tuple[int, str] | None:
    """The first event whose index rows differ from what it names, and why; ``None`` when all match."""
    last = 0
    while True:
        events = list(
            AuditEvent.objects.filter(sequence__gt=last)
            .order_by("sequence")
            .values_list("sequence", "record_type", "record_id", "details")[:BATCH_SIZE]
        )
        upper = events[-1][0] if events else None
        stored: dict[int, set[tuple[str, str]]] = defaultdict(set)
        rows = AuditRecordRef.objects.filter(sequence__gt=last)
        if upper is not None:
            rows = rows.filter(sequence__lte=upper)
        for sequence, kind, pk in rows.values_list("sequence", "record_type", "record_id"):
            stored[sequence].add((kind, pk))
        expected = {sequence: records_named(kind, pk, details) for sequence, kind, pk, details in events}
        for sequence in sorted(set(expected) | set(stored)):
            if expected.get(sequence, set()) != stored.get(sequence, set()):
                if sequence not in expected:
                    return sequence, f"the record index names event {sequence}, which does not exist"
                return sequence, f"the record index of event {sequence} does not match the records it names"
        if upper is None:
            return None
        last = upper
