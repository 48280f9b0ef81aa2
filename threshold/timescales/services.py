"""Writing deadlines: keeping one record's rows in step with its rules, and a person closing one with a reason.

``deadlines_sync`` is called by the record apps' services inside their own transaction, after the change
that starts, meets, pauses or stops a clock, with what the record's rules say now (a ``DeadlineSpec`` per
clock, worked out with ``threshold.policy.clocks`` and the pack). It never decides on its own that a step
is not needed: a row a person closed with a reason stays closed, and a row whose spec disappeared is
removed only while nobody has acted on it.

``deadline_close`` is the person's "not needed, because…" for a step nobody recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.core.bulk import rows_insert
from threshold.core.locking import bump_version
from threshold.timescales.models import Deadline, DeadlineState

# The record a deadline belongs to, by model label: the field on Deadline that points at it.
RECORD_FIELDS = {
    "lado.contact": "contact",
    "lado.case": "case",
    "lado.meeting": "meeting",
    "allegations.allegation": "allegation",
    "concerns.concern": "concern",
    "accounts.organisation": "",
}


@dataclass(frozen=True)
class DeadlineSpec:
    """What a record's rules say about one clock now: the row ``deadlines_sync`` makes match.

    ``state`` is ``open`` (due, or overdue), ``met`` (with ``met_on``), ``paused`` or ``stopped`` (each
    with a ``reason`` in words). ``label`` and ``source`` carry no personal data: they go into emails.
    """

    kind: str
    label: str
    due_on: dt.date
    key: str = ""
    source: str = ""
    owner: User | None = None
    due_at: dt.datetime | None = None
    state: str = DeadlineState.OPEN
    met_on: dt.date | None = None
    reason: str = ""
    # A meeting action belongs to its case and names the meeting it was agreed at.
    meeting: Model | None = None


def missed_before_import(specs: Iterable[DeadlineSpec], reason: str) -> list[DeadlineSpec]:
    """A record closed before it was imported (issue 16): what its source does not show as done was missed then.

    Open clocks become missed with ``reason``, not work due today; met, paused and stopped ones stand.
    """
    return [replace(spec, state=DeadlineState.MISSED, reason=reason) if spec.state == DeadlineState.OPEN else spec
            for spec in specs]  # fmt: skip


def record_key(record: Model) -> str:
    """The key a record's deadlines are stored under: ``case:12``, ``organisation:5``."""
    return f"{record._meta.model_name}:{record.pk}"


@dataclass(frozen=True)
class RecordClocks:
    """One record's clocks as its rules say they stand now: what ``deadlines_sync_all`` makes its rows match.

    ``kinds`` limits the sync to those kinds (a service that knows only one clock changed).
    """

    record: Model
    organisation: Organisation
    reference: str
    specs: Iterable[DeadlineSpec]
    kinds: Iterable[str] | None = None


def deadlines_sync(
    *,
    record: Model,
    organisation: Organisation,
    reference: str,
    specs: Iterable[DeadlineSpec],
    kinds: Iterable[str] | None = None,
    new: bool = False,
) -> None:
    """Make the stored deadlines of ``record`` match ``specs``, inside the caller's transaction.

    ``kinds`` limits the sync to those kinds (a service that knows only one clock changed); rows of other
    kinds are left alone. A row a person closed as not needed keeps their decision unless the spec says
    it was met after all. A row whose spec is gone is deleted if nobody closed it: a clock that no longer
    applies (a route not taken is given as ``stopped`` with its reason by the caller, not dropped).
    ``new`` says the record was inserted in this same transaction (an import writing thousands), so it
    has no stored rows to read first.
    """
    deadlines_sync_all(
        [RecordClocks(record=record, organisation=organisation, reference=reference, specs=specs, kinds=kinds)],
        new=new,
    )


def deadlines_sync_all(records: Iterable[RecordClocks], *, new: bool = False) -> None:
    """``deadlines_sync`` for several records at once (an import's batch): their new rows in one insert.

    ``new`` says every one of the records was inserted in this same transaction.
    """
    now = timezone.now()
    new_rows: list[dict[str, object]] = []
    for clocks in records:
        new_rows.extend(_record_synced(clocks, new=new, now=now))
    # One prepared insert for the records' new clocks (a new case has seven or more); Deadline has no save of
    # its own, and nothing reads the new rows back in this step.
    rows_insert(
        Deadline,
        columns=[f"{name}_id" if name in _RELATIONS else name for name in _NEW_ROW],
        rows=[[_value(row.get(name)) for name in _NEW_ROW] for row in new_rows],
    )


# What a new deadline row is written with: its relations (the record is one of the first five), then the clock.
_RELATIONS = ("contact", "case", "meeting", "allegation", "concern", "organisation", "owner")
_CLOCK = ("record_key", "kind", "key", "reference", "label", "source", "due_on", "due_at", "state", "met_on", "reason")
_NEW_ROW = (*_RELATIONS, *_CLOCK, "updated_at", "version")


def _value(value: object) -> object:
    return value.pk if isinstance(value, Model) else value


def _record_synced(clocks: RecordClocks, *, new: bool, now: dt.datetime) -> list[dict[str, object]]:
    """Update and delete ``clocks.record``'s rows to match its specs; return the rows it lacks, to be inserted.

    A row to insert is its fields by name (``_NEW_ROW``), relations as instances.
    """
    record, specs, kinds = clocks.record, clocks.specs, clocks.kinds
    label = record._meta.label_lower
    if label not in RECORD_FIELDS:
        raise ValueError(f"Deadlines are not kept for {label}.")
    field = RECORD_FIELDS[label]
    key_of_record = record_key(record)
    wanted = {(spec.kind, spec.key): spec for spec in specs}
    limit = set(kinds) if kinds is not None else None
    existing = Deadline.objects.filter(record_key=key_of_record)
    if limit is not None:
        existing = existing.filter(kind__in=limit)
    # ``new``: the record was inserted in this transaction, so it has no stored deadlines to read.
    rows = {} if new else {(row.kind, row.key): row for row in existing}
    new_rows: list[dict[str, object]] = []
    for identity, row in rows.items():
        if identity not in wanted and not (row.state == DeadlineState.NOT_NEEDED and row.closed_by_id):
            row.delete()
    for identity, spec in wanted.items():
        if limit is not None and spec.kind not in limit:
            continue
        values = {
            "organisation": clocks.organisation,
            "reference": clocks.reference,
            "label": spec.label,
            "source": spec.source,
            "owner": spec.owner,
            "due_on": spec.due_on,
            "due_at": spec.due_at,
            "state": spec.state,
            "met_on": spec.met_on if spec.state == DeadlineState.MET else None,
            "reason": spec.reason,
            "meeting": spec.meeting,
        }
        current = rows.get(identity)
        if current is None:
            identity_of = {"record_key": key_of_record, "kind": spec.kind, "key": spec.key}
            new_rows.append(
                # The record's own link last: a meeting's deadline belongs to the meeting whatever the spec says.
                {**identity_of, "updated_at": now, "version": 1, **values, **({field: record} if field else {})}
            )
            continue
        if current.state == DeadlineState.NOT_NEEDED and current.closed_by_id and spec.state != DeadlineState.MET:
            # A person's "not needed" stands; only the facts of the clock move.
            values.update(state=current.state, reason=current.reason, met_on=None)
        changed = {name: value for name, value in values.items() if _differs(current, name, value)}
        if changed:
            for name, value in changed.items():
                setattr(current, name, value)
            current.updated_at = now
            current.save(update_fields=[*changed, "updated_at"])
    return new_rows


def _differs(row: Deadline, name: str, value: object) -> bool:
    if isinstance(value, Model) or (value is None and name in ("organisation", "owner", "meeting")):
        return getattr(row, f"{name}_id") != (value.pk if isinstance(value, Model) else None)
    return bool(getattr(row, name) != value)


def deadline_close(
    *,
    actor: User,
    deadline: Deadline,
    reason: str,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Deadline:
    """A person records that an open step is not needed, and why; it leaves work lists and reminders.

    The audit event keeps the change (not the reason's words); the record's chronology (an allegation's,
    a concern's or a LADO case's) gets a line with the reason, in the same transaction.
    ``deadline`` was fetched through ``threshold.access`` for ``change`` (``access_deadline``).
    """
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if deadline.state not in (DeadlineState.OPEN, DeadlineState.PAUSED):
        errors["__all__"] = "This is already closed"
    if not reason:
        errors["reason"] = "Enter why this is not needed"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(deadline, expected_version)
        # Read again with the row held: the clocks' sync may have met it since it was fetched, without moving its
        # version (a clock is not a person's edit), and "not needed" must not overwrite "met".
        if deadline.state not in (DeadlineState.OPEN, DeadlineState.PAUSED):
            raise ValidationError({"__all__": "This is already closed"})
        previous = deadline.state
        deadline.state = DeadlineState.NOT_NEEDED
        deadline.reason = reason
        deadline.closed_by = actor
        deadline.updated_at = timezone.now()
        deadline.save(update_fields=["state", "reason", "closed_by", "updated_at"])
        audit_record(
            context=context_for(actor, audit_context),
            action="deadline.closed",
            record_type=deadline.record_key.split(":", 1)[0],
            record_id=deadline.record_key.split(":", 1)[1],
            organisation=deadline.organisation,
            changes={"state": (previous, deadline.state)},
            excluded_fields=["reason"],
            details={"deadline": deadline.pk, "kind": deadline.kind, "key": deadline.key},
        )
        # The record's chronology says so too (an organisation's own deadline has none).
        record = deadline.allegation or deadline.concern or deadline.case
        if record is not None:
            chronology_record_event(
                record=record, text=f"{deadline.label}: marked as not needed. Reason: {reason}", actor=actor
            )
    return deadline
