"""Adding to a record's chronology: events from other services, manual entries and corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.models import ChronologyEntry, EntryKind

_RECORD_FIELDS = {"Concern": "concern", "Allegation": "allegation", "Case": "case"}


def _record_field(record: Any) -> str:
    name = type(record).__name__
    if name not in _RECORD_FIELDS:
        raise TypeError(f"A chronology belongs to a concern, an allegation or a LADO case, not a {name}.")
    return _RECORD_FIELDS[name]


def _organisation_of(record: Any) -> Any:
    return getattr(record, "organisation", None) or record.local_authority


def chronology_record_event(
    *,
    record: Any,
    text: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    recorded_at: dt.datetime | None = None,
) -> ChronologyEntry:
    """Add a line for something a service just did; call it inside that service's transaction.

    ``recorded_at`` defaults to now; an anonymous concern passes a coarser
    time so the entry cannot pin the report to a moment.
    """
    now = timezone.now()
    return ChronologyEntry.objects.create(
        organisation=_organisation_of(record),
        kind=EntryKind.EVENT,
        occurred_at=occurred_at or now,
        recorded_at=recorded_at or now,
        recorded_by=actor,
        text=text,
        **{_record_field(record): record},
    )


def chronology_add_manual(
    *, actor: User, record: Any, occurred_at: dt.datetime, text: str, audit_context: AuditContext | None = None
) -> ChronologyEntry:
    """Add a line by hand (a phone call, a conversation); it may describe something earlier."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter what happened"})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The date and time must be in the past"})
    field = _record_field(record)
    with transaction.atomic(durable=True):
        entry = ChronologyEntry.objects.create(
            organisation=_organisation_of(record),
            kind=EntryKind.MANUAL,
            occurred_at=occurred_at,
            recorded_by=actor,
            text=text,
            **{field: record},
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="chronology.entry_added",
            record_type=field,
            record_id=record.pk,
            details={"entry": entry.pk},
        )
    return entry


def chronology_correct(
    *, actor: User, entry: ChronologyEntry, text: str, audit_context: AuditContext | None = None
) -> ChronologyEntry:
    """Correct an entry by adding a new one that points at it; the original stays as it was."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the correction"})
    record_field = next(field for field in _RECORD_FIELDS.values() if getattr(entry, f"{field}_id"))
    with transaction.atomic(durable=True):
        correction = ChronologyEntry.objects.create(
            organisation_id=entry.organisation_id,
            kind=EntryKind.CORRECTION,
            occurred_at=entry.occurred_at,
            recorded_by=actor,
            text=text,
            corrects=entry,
            **{f"{record_field}_id": getattr(entry, f"{record_field}_id")},
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="chronology.entry_corrected",
            record_type=record_field,
            record_id=getattr(entry, f"{record_field}_id"),
            details={"entry": correction.pk, "corrects": entry.pk},
        )
    return correction


def chronology_of(record: Any) -> list[ChronologyEntry]:
    """A record's chronology in order (the caller has fetched the record through ``threshold.access``)."""
    field = _record_field(record)
    return list(
        ChronologyEntry.objects.filter(**{field: record})
        .select_related("recorded_by", "corrects")
        .order_by("occurred_at", "pk")
    )
