"""The audit trail and the chronologies the generated records would have left, written in bulk.

Each service writes one audit event per change (``threshold.audit.services.audit_record``) and, for cases,
allegations and concerns, a line of the record's chronology. The generator collects the same events in memory
as it builds records, then appends them to the existing chain in time order: each hashed with the project's
own ``compute_hash`` under the chain key, linked to the one before, and indexed with the records it names
(``records_named``, ADR 0013), so ``manage.py audit verify`` verifies the whole trail.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from bench.synthetic.insert import Table, insert_values, new_ids
from threshold.audit.chain import GENESIS_HASH, chain_key, compute_hash
from threshold.audit.index import records_named
from threshold.audit.models import AuditEvent, AuditRecordRef
from threshold.audit.sensitive import split_changes
from threshold.audit.services import lock_chain
from threshold.chronology.models import ChronologyEntry, EntryKind

BATCH = 20_000


@dataclass(slots=True)
class Event:
    """One audit event to append: what ``audit_record`` stores, with the columns ``compute_hash`` reads."""

    occurred_at: dt.datetime
    order: int
    actor_id: int | None
    actor_label: str
    organisation_id: int | None
    action: str
    record_type: str
    record_id: str
    request_id: str
    source_ip: str | None
    changes: dict[str, Any]
    excluded_fields: list[str]
    details: dict[str, Any]
    sequence: int = 0
    previous_hash: str = ""
    content_hash: str = ""


PLAIN = (str, int, bool, type(None))


def _json(value: Any) -> Any:
    """A value reduced to JSON's types, as ``audit_record`` stores it (dates as ISO strings)."""
    if type(value) in PLAIN:
        return value
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Trail:
    """The events and chronology lines of everything generated, waiting to be written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.events: list[Event] = []
        self.entries: list[dict[str, Any]] = []

    def record(
        self,
        *,
        at: dt.datetime,
        user_id: int | None,
        organisation_id: int | None,
        action: str,
        record_type: str = "",
        record_id: object = "",
        changes: Mapping[str, tuple[Any, Any]] | None = None,
        excluded: Iterable[str] = (),
        details: Mapping[str, Any] | None = None,
        job: str = "",
    ) -> None:
        """One event: by a signed-in user through a page (a request id and an office address), or by ``job``."""
        kept, hidden = split_changes(record_type, changes, excluded) if changes or excluded else ({}, [])
        user = user_id or 0
        self.events.append(
            Event(
                occurred_at=at,
                order=len(self.events),
                actor_id=user_id,
                actor_label=f"system:{job}" if job else f"user:{user_id}",
                organisation_id=organisation_id,
                action=action,
                record_type=record_type,
                record_id=str(record_id) if record_id not in (None, "") else "",
                request_id="" if job else f"{self.rng.getrandbits(128):032x}",
                source_ip=None if job else f"10.{(organisation_id or 0) % 250}.{user // 250 % 250}.{user % 250}",
                changes={name: [_json(old), _json(new)] for name, (old, new) in kept.items()} if kept else {},
                excluded_fields=hidden,
                details={key: _json(value) for key, value in details.items()} if details else {},
            )
        )

    def line(
        self,
        *,
        record_field: str,
        record_id: int,
        organisation_id: int,
        at: dt.datetime,
        user_id: int | None,
        text: str,
    ) -> None:
        """A chronology line of a case, allegation or concern (``chronology_record_event``)."""
        self.entries.append(
            {
                "organisation_id": organisation_id,
                "kind": EntryKind.EVENT,
                "occurred_at": at,
                "recorded_at": at,
                "recorded_by_id": user_id,
                "text": text,
                f"{record_field}_id": record_id,
            }
        )

    def case_event(
        self,
        case: Any,
        *,
        user_id: int | None,
        at: dt.datetime,
        action: str,
        text: str,
        row: int | None = None,
        **extra: Any,
    ) -> None:
        """``record_case_event``: the case's audit event and its chronology line."""
        details = {**extra.pop("details", {}), **({"row": row} if row is not None else {})}
        self.record(
            at=at,
            user_id=user_id,
            organisation_id=case.local_authority_id,
            action=action,
            record_type="case",
            record_id=case.pk,
            details=details,
            **extra,
        )
        self.line(
            record_field="case",
            record_id=case.pk,
            organisation_id=case.local_authority_id,
            at=at,
            user_id=user_id,
            text=text,
        )

    def allegation_event(
        self,
        allegation: Any,
        *,
        user_id: int | None,
        at: dt.datetime,
        action: str,
        text: str,
        row: int | None = None,
        **extra: Any,
    ) -> None:
        """The allegation services' ``_record``: the allegation's audit event and its chronology line."""
        details = {**extra.pop("details", {}), **({"row": row} if row is not None else {})}
        self.record(
            at=at,
            user_id=user_id,
            organisation_id=allegation.organisation_id,
            action=action,
            record_type="allegation",
            record_id=allegation.pk,
            details=details,
            **extra,
        )
        self.line(
            record_field="allegation",
            record_id=allegation.pk,
            organisation_id=allegation.organisation_id,
            at=at,
            user_id=user_id,
            text=text,
        )

    def write_chronology(self) -> int:
        """Insert the chronology lines collected so far (their records exist by now); return how many."""
        count = len(self.entries)
        insert_values(ChronologyEntry, self.entries)
        self.entries = []
        return count

    def write_events(self) -> tuple[int, int]:
        """Append every event to the chain, oldest first, with its record index; return (events, index rows).

        Holds the chain's lock (PostgreSQL's advisory lock; SQLite's one writer) for the whole append, as
        ``audit_record`` does for one event, so nothing else can extend the chain in between.
        """
        key = chain_key()
        self.events.sort(key=lambda event: (event.occurred_at, event.order))
        events, refs = Table(AuditEvent), Table(AuditRecordRef)
        event_columns = [field.attname for field in events.fields]
        # A column the services fill from what the event already says is left at its default here.
        defaults = events.defaults()
        ref_columns = [field.attname for field in refs.fields]
        written = refs_written = 0
        with transaction.atomic():
            lock_chain()
            last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "content_hash").first()
            sequence, previous = last if last else (0, GENESIS_HASH)
            for start in range(0, len(self.events), BATCH):
                batch = self.events[start : start + BATCH]
                ids = new_ids(AuditEvent, len(batch))
                rows: list[list[Any]] = []
                named: list[tuple[int, str, str]] = []
                for pk, event in zip(ids, batch, strict=True):
                    sequence += 1
                    event.sequence, event.previous_hash = sequence, previous
                    event.content_hash = previous = compute_hash(event, key)
                    rows.append(
                        [pk if name == "id" else getattr(event, name, defaults[name]) for name in event_columns]
                    )
                    named.extend(
                        (sequence, kind, pk_named)
                        for kind, pk_named in sorted(records_named(event.record_type, event.record_id, event.details))
                    )
                events.write(rows)
                ref_ids = new_ids(AuditRecordRef, len(named))
                refs.write(
                    [
                        [
                            {"id": pk, "sequence": number, "record_type": kind, "record_id": named_id}[name]
                            for name in ref_columns
                        ]
                        for pk, (number, kind, named_id) in zip(ref_ids, named, strict=True)
                    ]
                )
                written += len(rows)
                refs_written += len(named)
        self.events = []
        return written, refs_written
