"""Supply workers, contractors and volunteers (appendix 4): the agency's part and replacement cover."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import AgencyRecord, Allegation
from threshold.allegations.services.common import _record, _text, require_change
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext


def agency_record(
    *,
    actor: User,
    allegation: Allegation,
    notified_at: dt.datetime | None,
    suspension_discussed: str,
    removed_on: dt.date | None = None,
    cover_arranged_on: dt.date | None = None,
    notes_sent_on: dt.date | None = None,
    outcome_sent_on: dt.date | None = None,
    audit_context: AuditContext | None = None,
) -> AgencyRecord:
    """Record the agency notified, the suspension discussed, replacement cover and what was sent; supersedes.

    ``removed_on`` is when the supply worker was suspended or removed from
    the placement: the agency is expected to provide replacement cover within
    48 hours of it, until ``cover_arranged_on`` records that it has. The bar
    from the trust's academies is on the allegation (any non-employed worker).
    """
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if allegation.agency is None and not allegation.agency_name:
        errors["notified_at"] = "Record the adult's agency or contracting company on the allegation first"
    if notified_at is None:
        errors["notified_at"] = "Enter when the agency was notified"
    elif notified_at > timezone.now():
        errors["notified_at"] = "The time must be now or in the past"
    if not _text(suspension_discussed):
        errors["suspension_discussed"] = "Enter what was agreed with the agency about suspension or redeployment"
    today = timezone.localdate()
    dates = (
        ("removed_on", removed_on),
        ("cover_arranged_on", cover_arranged_on),
        ("notes_sent_on", notes_sent_on),
        ("outcome_sent_on", outcome_sent_on),
    )
    for field, value in dates:
        if value and value > today:
            errors[field] = "The date must be today or in the past"
    if cover_arranged_on and removed_on and cover_arranged_on < removed_on and "cover_arranged_on" not in errors:
        errors["cover_arranged_on"] = "Cover is arranged on or after the date the worker was suspended or removed"
    if errors:
        raise ValidationError(errors)
    assert notified_at is not None
    with transaction.atomic(durable=True):
        record = AgencyRecord.objects.create(
            allegation=allegation,
            agency=allegation.agency,
            agency_name="" if allegation.agency is not None else allegation.agency_name,
            notified_at=notified_at,
            suspension_discussed=_text(suspension_discussed),
            removed_on=removed_on,
            cover_arranged_on=cover_arranged_on,
            notes_sent_on=notes_sent_on,
            outcome_sent_on=outcome_sent_on,
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.agency_recorded",
            text=f"Agency {allegation.agency_display} notified."
            + (f" Replacement cover arranged on {cover_arranged_on:%-d %B %Y}." if cover_arranged_on else ""),
            audit_context=audit_context,
            record_id=record.pk,
            details={"removed_on": str(removed_on or ""), "cover_arranged_on": str(cover_arranged_on or "")},
        )
        allegation_deadlines_sync(allegation)
    return record
