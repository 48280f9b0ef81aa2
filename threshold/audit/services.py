"""The auditor: the one function that writes audit events, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from django.db import connection, transaction
from django.utils import timezone

from threshold.audit.chain import GENESIS_HASH, compute_hash
from threshold.audit.context import AuditContext
from threshold.audit.index import PLURAL_KEYS, index_event, records_named, scope_organisation
from threshold.audit.models import AuditEvent
from threshold.audit.sensitive import split_changes
from threshold.core.bulk import row_insert

if TYPE_CHECKING:
    from threshold.accounts.models import Organisation

# A stable key for PostgreSQL's advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x7468726573686F6C  # "threshol"


def lock_chain() -> None:
    """Serialise appends so two transactions cannot both extend the same link.

    SQLite runs every transaction with BEGIN IMMEDIATE (ADR 0003), which already
    admits one writer at a time; PostgreSQL needs a transaction-scoped lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    context: AuditContext,
    action: str,
    record_type: str = "",
    record_id: object = "",
    organisation: Organisation | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    excluded_fields: Iterable[str] = (),
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    Call it inside the same transaction as the change it records, so that the
    change and its record commit or roll back together. The actor, the
    request id and the client address come from ``context`` (ADR 0022), the
    one place that says who did it and from where; ``organisation`` names the
    record's organisation when it is not the one the actor acts through.
    ``changes`` maps a field name to ``(old, new)``; a field in the registry
    of sensitive fields (``threshold.audit.sensitive``) or named in
    ``excluded_fields`` is listed in ``excluded_fields`` instead, so the
    trail says it changed without copying its values.
    """
    if not isinstance(context, AuditContext):
        raise ValueError("An audit event needs an audit context: who did it, and from where.")
    if not action:
        raise ValueError("An audit event needs an action.")
    if organisation is None:
        # Default to the organisation the actor is acting through.
        organisation = context.organisation
    # Sensitive values (children's details, dates of birth, narrative) never enter the trail.
    kept, excluded = split_changes(record_type, changes, excluded_fields)
    # No savepoint inside the caller's transaction: an append that fails spoils it, as it should (nothing may
    # carry on without its event), and an import saves two statements an event.
    with transaction.atomic(savepoint=False):
        lock_chain()
        last = _chain_head()
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            sequence=sequence,
            occurred_at=timezone.now(),
            actor=context.actor.user,
            actor_label=context.actor.label,
            organisation=organisation,
            action=action,
            record_type=record_type,
            record_id=str(record_id) if record_id not in (None, "") else "",
            request_id=context.request_id,
            source_ip=context.client_address,
            changes={name: [_jsonable(old), _jsonable(new)] for name, (old, new) in kept.items()},
            excluded_fields=excluded,
            details={key: _jsonable(value) for key, value in (details or {}).items()},
            previous_hash=previous_hash,
        )
        # Not hashed: derived from what is (``details``), and checked by ``audit verify``.
        event.record_organisation = scope_organisation(event.organisation_id, event.details)
        event.content_hash = compute_hash(event)
        # Inserted as ``save(force_insert=True)`` would, with one written statement: an import appends one event
        # a record, and Django's per-field saving was two fifths of an append's time.
        row_insert(event)
        # Every record the event names, so a record's audit page finds lists and searches too (a list
        # event's rows are written after the response: ADR 0031).
        index_event(event)
    return event


def _chain_head() -> tuple[int, str] | None:
    """The last event's sequence and hash, under the chain's lock.

    One indexed row, read with a statement written once rather than a query built on every append: building
    it was a sixth of an append's time, and an import appends tens of thousands.
    """
    with connection.cursor() as cursor:
        # Identifiers quoted as both SQLite and PostgreSQL read them.
        # access-lint: allow the trail's writer reads its own last link, to link the next to it; it shows nobody
        cursor.execute('SELECT "sequence", "content_hash" FROM "audit_auditevent" ORDER BY "sequence" DESC LIMIT 1')
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def audit_listed(
    *,
    context: AuditContext,
    record_type: str,
    list_name: str,
    ids: Iterable[int | str] = (),
    records: Iterable[str] = (),
    details: Mapping[str, Any] | None = None,
    action: Literal["records.listed", "records.searched"] = "records.listed",
    record_id: object = "",
    organisation: Organisation | None = None,
) -> AuditEvent:
    """One event naming the records a list, panel or search showed: how every list view records what it listed.

    ``ids`` are the listed records' ids (of ``record_type``, or ``"kind:id"``), written to ``details.ids``;
    ``records`` are ``"kind:id"`` keys for a list of several kinds, written to ``details.records`` sorted and
    without repeats. ``details`` adds what else the list needs: its filters, lists named after a record type
    (``{"contacts": [...], "cases": [...]}``), or its own ``count`` when that is not the number of records
    named (a work list counts its deadlines). ``list_name`` says which list it was; an empty list still writes
    ``ids: []``, so the trail says the list showed nothing.
    The event's index rows are written after the response, in batches (``records.listed``, ADR 0031); a search
    (``records.searched``) is indexed at once, as every other event is. ``record_id`` and ``organisation``
    name the record a panel sits on and its organisation, as ``audit_record``'s do.
    """
    listed, keys, extra = list(ids), sorted(set(records)), dict(details or {})
    described: dict[str, Any] = {"list": list_name}
    if listed or not (keys or PLURAL_KEYS.keys() & extra.keys()):
        described["ids"] = listed
    if keys:
        described["records"] = keys
    described["count"] = len(records_named(record_type, "", {**extra, **described}))
    described.update(extra)
    return audit_record(
        context=context,
        action=action,
        record_type=record_type,
        record_id=record_id,
        organisation=organisation,
        details=described,
    )


def audit_home_listed(*, context: AuditContext, listed: Mapping[str, Iterable[int | str]]) -> AuditEvent:
    """One event naming what the home page's panels listed (``core.views.home_panels``, via ``views.home_listed``).

    ``listed`` holds lists named after a record type (``{"concerns": [...], "allegations": [...]}``) and
    ``records``, ``"kind:id"`` keys (the records a work panel's steps are on); a panel that showed nothing
    still names its empty list, so the trail says it did. Any other name is refused: the record index would not
    find the records under it, and "who has looked at this record" would miss the page.
    """
    unknown = sorted(set(listed) - PLURAL_KEYS.keys() - {"records"})
    if unknown:
        raise ValueError(f"A home panel listed records under names the record index does not read: {unknown}")
    records = listed.get("records", ())
    return audit_listed(
        context=context,
        record_type="",
        list_name="home",
        records=[str(key) for key in records],
        details={key: sorted(values) for key, values in listed.items() if key != "records"},
    )


def _jsonable(value: Any) -> Any:
    """Reduce a value to JSON's types so the hash is the same after a database round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)
