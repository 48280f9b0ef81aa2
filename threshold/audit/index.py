"""The record index of the audit trail: every (record type, id) each event names.

``records_named`` reads them from an event: its own ``record_type`` and
``record_id``, and the ids that list, search and export events keep in their
details (``ids``, ``records`` as ``"kind:id"``, or a list named after a record
type such as ``allegations``). ``audit_record`` writes them to
``AuditRecordRef`` in the same transaction, except for list events
(``records.listed``): a page view names up to a page of records, so their rows
are written after the response, in batches, by ``index_pending_lists`` (the
task worker's ``threshold.audit.tasks.index_lists``, ADR 0031), which appends a
``RecordIndexMark`` saying how far the index is complete. Until then
``events_naming`` reads the few list events after the last mark straight from
the trail, so "who has looked at this record?" never waits for the batch.
``check_index`` (run by ``audit verify`` after the chain) recomputes the rows
and names the first event whose index rows were added, removed or changed
behind the application's back.
"""

from __future__ import annotations

# access-lint: allow-module the audit trail's own index, written by audit_record and checked by audit verify.
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from threshold.audit.models import AuditEvent, AuditRecordRef, RecordIndexMark
from threshold.core.bulk import rows_insert

logger = logging.getLogger(__name__)

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
# The events whose index rows are written after the response, in batches (ADR 0031).
DEFERRED_ACTIONS = frozenset({"records.listed"})
# Events appended since the last mark before a request asks the task worker to catch the index up: the list
# events after the mark are read from the trail by every record audit page, so this bounds that read.
CATCH_UP_AFTER = 200
# While the index stays behind (a lost task, the worker stopped), one process asks again at most this often.
CATCH_UP_RETRY_SECONDS = 300.0
CATCH_UP_TASK = "threshold.audit.tasks.index_lists"
# A stable key for PostgreSQL's advisory lock that keeps two catch-ups from writing the same rows.
_INDEX_LOCK_KEY = 0x7468726573696478  # "thresidx"
# Identifiers quoted as both SQLite and PostgreSQL read them.
_LAST_MARK = f'SELECT MAX("sequence") FROM "{RecordIndexMark._meta.db_table}"'  # noqa: S608  # the model's own table
_REF_COLUMNS = ("sequence", "record_type", "record_id")
# The mark this process last asked a catch-up from, and when (monotonic): a throttle, never relied on.
_last_asked: dict[int, float] = {}


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


def scope_organisation(organisation_id: int | None, details: Mapping[str, Any] | None) -> int | None:
    """The event's ``record_organisation`` column: the record's organisation when the reader acted for another.

    ``details.record_organisation`` (``access.fetch.audit_read``) when it is a whole number other than the
    event's own organisation; ``None`` otherwise, since the organisation column already places the event.
    """
    value = details.get("record_organisation") if isinstance(details, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return None if value == organisation_id else value


def _rows(sequence: int, record_type: str, record_id: str, details: Any) -> list[AuditRecordRef]:
    refs = records_named(record_type, record_id, details)
    return [AuditRecordRef(sequence=sequence, record_type=kind, record_id=pk) for kind, pk in sorted(refs)]


def index_event(event: AuditEvent) -> None:
    """Write the index rows of one event (inside ``audit_record``'s transaction); a list event's come later."""
    if event.action in DEFERRED_ACTIONS:
        _ask_for_catch_up(event.sequence)
        return
    refs = records_named(event.record_type, event.record_id, event.details)
    # One prepared insert: ``bulk_create`` compiles a statement per event, a fifth of an append's time.
    rows_insert(AuditRecordRef, columns=_REF_COLUMNS, rows=[(event.sequence, *ref) for ref in sorted(refs)])


def indexed_through() -> int:
    """The sequence up to which every list event has its index rows (0 before the first mark).

    Asked by every list event (``_ask_for_catch_up``), so with a statement written once, not an aggregate built
    for each: building it was a quarter of a list event's time.
    """
    with connection.cursor() as cursor:
        # access-lint: allow the index's own bookkeeping: the newest mark's sequence, which names no record
        cursor.execute(_LAST_MARK)
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def _ask_for_catch_up(sequence: int) -> None:
    """Once enough events follow the last mark, queue the catch-up after this transaction commits."""
    mark = indexed_through()
    if sequence - mark < CATCH_UP_AFTER:
        return
    now, asked = time.monotonic(), _last_asked.get(mark)
    if asked is not None and now - asked < CATCH_UP_RETRY_SECONDS:
        return
    _last_asked.clear()
    _last_asked[mark] = now
    transaction.on_commit(_enqueue_catch_up)


def _enqueue_catch_up() -> None:
    try:
        import_string(CATCH_UP_TASK).enqueue()
    except Exception as error:  # the index stays behind; the next request past the retry time asks again
        logger.warning("Could not queue the audit record index catch-up: %s", type(error).__name__)


def _lock_index() -> None:
    """Serialise catch-ups (SQLite's one writer already does; PostgreSQL needs a transaction-scoped lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_INDEX_LOCK_KEY])


def index_pending_lists() -> int:
    """Write the index rows of every list event after the last mark, ``BATCH_SIZE`` events a transaction.

    Returns how many list events it indexed. Safe to run at any time and from several places at once: each
    batch holds a lock, starts from the newest mark, and skips an event that already has rows (a bulk loader
    may index as it writes). Appends commit in sequence order (the chain's lock is held until commit), so every
    event up to the head read here is committed, and a mark never passes an event still being written.
    """
    indexed = 0
    while True:
        with transaction.atomic():
            _lock_index()
            done = indexed_through()
            head = AuditEvent.objects.aggregate(head=Max("sequence"))["head"] or 0
            if head <= done:
                return indexed
            upper = min(head, done + BATCH_SIZE)
            window = {"sequence__gt": done, "sequence__lte": upper}
            events = AuditEvent.objects.filter(action__in=DEFERRED_ACTIONS, **window).values_list(
                "sequence", "record_type", "record_id", "details"
            )
            present = set(AuditRecordRef.objects.filter(**window).values_list("sequence", flat=True))
            rows: list[AuditRecordRef] = []
            for sequence, record_type, record_id, details in events:
                if sequence not in present:
                    rows += _rows(sequence, record_type, record_id, details)
                    indexed += 1
            AuditRecordRef.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            RecordIndexMark.objects.create(sequence=upper, marked_at=timezone.now())


def _wanted(refs: Iterable[tuple[str, Iterable[object]]]) -> list[tuple[str, list[str]]]:
    return [(record_type, [str(pk) for pk in ids]) for record_type, ids in refs]


def sequences_naming(refs: Iterable[tuple[str, Iterable[object]]]) -> QuerySet[Any, Any]:
    """The sequences of the indexed events that name any of these records, as a subquery: (record type, ids) pairs.

    A subquery rather than a list, so a record shown in thousands of lists
    does not overflow SQLite's limit on query parameters.
    """
    condition = Q(pk__in=[])
    for record_type, keys in _wanted(refs):
        if keys:
            condition |= Q(record_type=record_type, record_id__in=keys)
    return AuditRecordRef.objects.filter(condition).values("sequence")


def pending_sequences_naming(refs: Iterable[tuple[str, Iterable[object]]]) -> list[int]:
    """The sequences of the list events after the last mark (not yet indexed) that name any of these records."""
    wanted = {(record_type, key) for record_type, keys in _wanted(refs) for key in keys}
    pending = AuditEvent.objects.filter(action__in=DEFERRED_ACTIONS, sequence__gt=indexed_through())
    return [
        sequence
        for sequence, record_type, record_id, details in pending.values_list(
            "sequence", "record_type", "record_id", "details"
        )
        if records_named(record_type, record_id, details) & wanted
    ]


def events_naming(refs: Iterable[tuple[str, Iterable[object]]]) -> Q:
    """The condition on events that name any of these records: the index, and the list events it has not reached."""
    refs = _wanted(refs)
    condition = Q(sequence__in=sequences_naming(refs))
    pending = pending_sequences_naming(refs)
    return condition | Q(sequence__in=pending) if pending else condition


def check_index(*, after: int = 0) -> tuple[int, str] | None:
    """The first event after ``after`` whose index rows differ from what it names, and why; ``None`` when all match.

    A list event after the last mark may have no rows yet (the catch-up has not reached it); if it has any,
    they must be exactly what it names, since a catch-up writes an event's rows in one transaction.
    """
    done = indexed_through()
    last = after
    while True:
        events = list(
            AuditEvent.objects.filter(sequence__gt=last)
            .order_by("sequence")
            .values_list("sequence", "action", "record_type", "record_id", "details")[:BATCH_SIZE]
        )
        upper = events[-1][0] if events else None
        stored: dict[int, set[tuple[str, str]]] = defaultdict(set)
        rows = AuditRecordRef.objects.filter(sequence__gt=last)
        if upper is not None:
            rows = rows.filter(sequence__lte=upper)
        for sequence, kind, pk in rows.values_list("sequence", "record_type", "record_id"):
            stored[sequence].add((kind, pk))
        expected = {sequence: records_named(kind, pk, details) for sequence, _a, kind, pk, details in events}
        pending = {sequence for sequence, action, *_rest in events if action in DEFERRED_ACTIONS and sequence > done}
        for sequence in sorted(set(expected) | set(stored)):
            found = stored.get(sequence, set())
            if expected.get(sequence, set()) == found or (sequence in pending and not found):
                continue
            if sequence not in expected:
                return sequence, f"the record index names event {sequence}, which does not exist"
            return sequence, f"the record index of event {sequence} does not match the records it names"
        if upper is None:
            return None
        last = upper
