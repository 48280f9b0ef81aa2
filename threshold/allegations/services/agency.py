"""Supply workers, contractors and volunteers (appendix 4): the agency's part, replacement cover, its HR manager.

Appendix 4: "The supply agency's human resources manager or nominated person should be invited to meetings
if practicable … and should be kept up to date with information about policies and processes", and "The
agency must contact the Academy with any outcome of their processes and the steps they will take with
regards to ensuring that factual references are provided … [and] must provide assurances to the Trust that
they have managed their safeguarding requirements appropriately and updated their letter of comfort".
The HR manager is a contact (a name and an email), not an account: Threshold sends them nothing, and what is
recorded of each invitation or update is its date and subject, never the allegation's detail.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import (
    AgencyHrManager,
    AgencyLiaison,
    AgencyRecord,
    AgencyReply,
    Allegation,
    Employment,
    LiaisonKind,
)
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


def _require_agency(allegation: Allegation, field: str) -> dict[str, str]:
    """Appendix 4's agency duties are for a supply worker whose agency is recorded on the allegation."""
    if allegation.subject_employment != Employment.SUPPLY:
        return {field: "Record the adult as a supply worker on the allegation's details first"}
    if allegation.agency is None and not allegation.agency_name:
        return {field: "Record the adult's agency on the allegation's details first"}
    return {}


def agency_hr_manager_record(
    *,
    actor: User,
    allegation: Allegation,
    name: str,
    email: str,
    audit_context: AuditContext | None = None,
) -> AgencyHrManager:
    """Record the supply agency's human resources manager or nominated person (a contact); supersedes."""
    require_change(actor=actor, allegation=allegation)
    errors = _require_agency(allegation, "name")
    if not _text(name):
        errors.setdefault("name", "Enter the name of the agency's HR manager or nominated person")
    address = _text(email)
    try:
        validate_email(address)
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        record = AgencyHrManager.objects.create(
            allegation=allegation, name=_text(name), email=address, recorded_by=actor
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.agency_hr_manager_recorded",
            text="The agency's HR manager or nominated person recorded.",
            audit_context=audit_context,
            record_id=record.pk,
        )
    return record


def agency_liaison_add(
    *,
    actor: User,
    allegation: Allegation,
    kind: str,
    sent_on: dt.date | None,
    about: str,
    audit_context: AuditContext | None = None,
) -> AgencyLiaison:
    """Log an invitation to a meeting, or an update, sent to the agency's HR manager; each is kept."""
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if not allegation.agency_hr_managers.exists():
        errors["kind"] = "Record the agency's HR manager first"
    if kind not in LiaisonKind.values:
        errors["kind"] = "Choose whether this was an invitation to a meeting or an update"
    if sent_on is None:
        errors["sent_on"] = "Enter the date it was sent"
    elif sent_on > timezone.localdate():
        errors["sent_on"] = "The date it was sent must be today or in the past"
    if not _text(about):
        errors["about"] = "Enter what it was about, for example the strategy meeting"
    if errors:
        raise ValidationError(errors)
    assert sent_on is not None
    with transaction.atomic(durable=True):
        record = AgencyLiaison.objects.create(
            allegation=allegation, kind=kind, sent_on=sent_on, about=_text(about), recorded_by=actor
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.agency_liaison_added",
            text=f"{LiaisonKind(kind).label} sent to the agency's HR manager on {sent_on:%-d %B %Y}.",
            audit_context=audit_context,
            record_id=record.pk,
            details={"kind": kind},
        )
    return record


REPLY_PARTS = (
    ("outcome_received_on", "outcome_notes", "the outcome of the agency's processes"),
    ("reference_received_on", "reference_notes", "the steps on factual references"),
    ("assurances_received_on", "assurances_notes", "the agency's assurances"),
    ("letter_of_comfort_updated_on", "letter_of_comfort_notes", "the updated letter of comfort"),
)


def agency_reply_record(
    *,
    actor: User,
    allegation: Allegation,
    dates: dict[str, dt.date | None],
    notes: dict[str, str],
    audit_context: AuditContext | None = None,
) -> AgencyReply:
    """Record what the agency sent back after the investigation, each part with its date and notes; supersedes.

    The parts are its outcome, the steps on factual references, its assurances and the updated letter of
    comfort; ``dates`` and ``notes`` are keyed as ``REPLY_PARTS``.
    """
    require_change(actor=actor, allegation=allegation)
    errors = _require_agency(allegation, "outcome_received_on")
    today = timezone.localdate()
    for date_field, notes_field, what in REPLY_PARTS:
        value = dates.get(date_field)
        if value is not None and value > today:
            errors[date_field] = "The date must be today or in the past"
        if value is None and _text(notes.get(notes_field)):
            errors[date_field] = f"Enter the date of {what}"
    if not errors and not any(dates.get(date_field) for date_field, _, _ in REPLY_PARTS):
        errors["outcome_received_on"] = "Enter the date of at least one thing the agency sent"
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {}
    for date_field, notes_field, _ in REPLY_PARTS:
        values[date_field] = dates.get(date_field)
        values[notes_field] = _text(notes.get(notes_field))
    with transaction.atomic(durable=True):
        record = AgencyReply.objects.create(allegation=allegation, recorded_by=actor, **values)
        received = [what for date_field, _, what in REPLY_PARTS if values[date_field]]
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.agency_reply_recorded",
            text="From the agency: " + "; ".join(received) + ".",
            audit_context=audit_context,
            record_id=record.pk,
            details={date_field: str(values[date_field] or "") for date_field, _, _ in REPLY_PARTS},
        )
    return record
