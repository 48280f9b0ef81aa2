"""The case manager's steps of section 6, each recorded once and superseded by a later record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import Allegation, Step, StepRecord
from threshold.allegations.services.common import _record, _text, investigation_paused, require_change


def step_record(
    *,
    actor: User,
    allegation: Allegation,
    step: str,
    done_on: dt.date | None,
    decision: str,
    justification: str = "",
    written_information: str = "",
    written_to: str = "",
    written_by: str = "",
    request: HttpRequest | None = None,
) -> StepRecord:
    """Record what was done or decided at one of the case manager's steps; a later record supersedes."""
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if step not in Step.values:
        errors["step"] = "Choose a step"
    if done_on is None:
        errors["done_on"] = "Enter the date it was done"
    elif done_on > timezone.localdate():
        errors["done_on"] = "The date must be today or in the past"
    if not _text(decision):
        errors["decision"] = "Enter what was done or decided"
    if step == Step.INVESTIGATION and investigation_paused(allegation):
        errors["__all__"] = (
            "The internal investigation is paused while the police investigate: record that the police have "
            "authorised the case manager to commence internal proceedings first"
        )
    if step == Step.NO_FURTHER_ACTION:
        if not _text(justification):
            errors["justification"] = "Enter the justification for taking no further action"
        if not _text(written_information):
            errors["written_information"] = "Enter what information is put in writing to the individual"
        if not _text(written_to):
            errors["written_to"] = "Enter to whom it is put in writing"
        if not _text(written_by):
            errors["written_by"] = "Enter by whom it is put in writing"
    if errors:
        raise ValidationError(errors)
    assert done_on is not None
    with transaction.atomic():
        record = StepRecord.objects.create(
            allegation=allegation,
            step=step,
            done_on=done_on,
            decision=_text(decision),
            justification=_text(justification),
            written_information=_text(written_information),
            written_to=_text(written_to),
            written_by=_text(written_by),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.step_recorded",
            text=f"{Step(step).label}: {record.decision}",
            request=request,
            record_id=record.pk,
            details={"step": step},
        )
    return record
