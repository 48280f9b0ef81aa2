"""The case manager's steps of section 6, each recorded once and superseded by a later record.

Step 9 is the exception: "Keep the parents or carers … informed of the progress of the case" is a log of
contacts (``parent_update_add``), each kept and shown in order.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import Allegation, ContactMethod, ParentUpdate, Route, Step, StepRecord
from threshold.allegations.services.common import _record, _text, investigation_paused, require_change, require_open
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext
from threshold.core.locking import hold
from threshold.lado.services.employer_link import managing_contact

# The steps at which the case manager chooses the route: with the LADO (step 2) or with HR (step 5).
ROUTE_STEPS = frozenset({Step.DISCUSS_WITH_LADO, Step.HR_STRATEGY})


def step_errors(
    allegation: Allegation,
    *,
    step: str,
    done_on: dt.date | None,
    decision: str,
    justification: str,
    written_information: str,
    written_to: str,
    written_by: str,
    route: str,
    action_for_individual: str,
    action_for_allegers: str,
    agreed_with_lado: bool | None,
    done_by: str,
) -> dict[str, str]:
    """What is wrong with a step's answers, by field: the service refuses them; the form says them all at once.

    Step 7's justification and what goes in writing, the course agreed (steps 2 and 5), Ofsted for early years
    only, and the investigation held back while the police investigate.
    """
    # Referred in Threshold, the LADO says whether they agree (on the employer's outcome): not the employer's say-so.
    lado_managed = managing_contact(allegation) is not None
    errors: dict[str, str] = {}
    if step not in Step.values:
        errors["step"] = "Choose a step"
    elif step == Step.PARENTS_KEPT_INFORMED:
        errors["step"] = "Log each contact with the parents or carers instead: step 9 keeps every contact"
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
        if not _text(action_for_individual):
            errors["action_for_individual"] = "Enter what action should follow in respect of the individual"
        if not _text(action_for_allegers):
            errors["action_for_allegers"] = "Enter what action should follow for those who made the allegation"
        if agreed_with_lado is None and not lado_managed:
            errors["agreed_with_lado"] = "Choose whether this was agreed with the LADO"
    if route and (step not in ROUTE_STEPS or route not in Route.values):
        errors["route"] = "Choose the course of action agreed"
    if step == Step.OFSTED_NOTIFIED:
        if allegation.organisation.kind != OrganisationKind.EARLY_YEARS:
            errors["__all__"] = "Ofsted is notified by registered early years settings"
        if not _text(done_by):
            errors["done_by"] = "Enter who notified Ofsted"
    return errors


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
    route: str = "",
    action_for_individual: str = "",
    action_for_allegers: str = "",
    agreed_with_lado: bool | None = None,
    done_by: str = "",
    reference: str = "",
    audit_context: AuditContext | None = None,
) -> StepRecord:
    """Record what was done or decided at one of the case manager's steps; a later record supersedes.

    ``route`` (steps 2 and 5) is the course of action agreed: it decides
    whether step 7 or step 8 falls due. Step 7 also records the
    justification, what goes in writing to whom and by whom, what follows for
    the individual and for those who made the allegation, and whether that
    was agreed with the LADO (asked only when the LADO is not in Threshold: for an
    allegation referred in Threshold the LADO answers on the employer's outcome,
    ``lado.services.employer_link.employer_outcome_agree``). The Ofsted notification records who notified
    and Ofsted's reference. Refused once the allegation is concluded.
    """
    require_change(actor=actor, allegation=allegation)
    require_open(allegation)
    errors = step_errors(
        allegation,
        step=step,
        done_on=done_on,
        decision=decision,
        justification=justification,
        written_information=written_information,
        written_to=written_to,
        written_by=written_by,
        route=route,
        action_for_individual=action_for_individual,
        action_for_allegers=action_for_allegers,
        agreed_with_lado=agreed_with_lado,
        done_by=done_by,
    )
    # Referred in Threshold, the LADO says whether they agree (on the employer's outcome): not the employer's say-so.
    lado_managed = managing_contact(allegation) is not None
    if errors:
        raise ValidationError(errors)
    assert done_on is not None
    with transaction.atomic(durable=True):
        # Concluded since the page was read (the outcome recorded a moment ago): refused, not written after it.
        allegation = hold(allegation)
        require_open(allegation)
        record = StepRecord.objects.create(
            allegation=allegation,
            step=step,
            done_on=done_on,
            decision=_text(decision),
            justification=_text(justification),
            written_information=_text(written_information),
            written_to=_text(written_to),
            written_by=_text(written_by),
            route=route if step in ROUTE_STEPS else "",
            action_for_individual=_text(action_for_individual),
            action_for_allegers=_text(action_for_allegers),
            agreed_with_lado=agreed_with_lado if step == Step.NO_FURTHER_ACTION and not lado_managed else None,
            done_by=_text(done_by),
            reference=_text(reference),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.step_recorded",
            text=f"{Step(step).label}: {record.decision}",
            audit_context=audit_context,
            record_id=record.pk,
            details={"step": step, **({"route": route} if route and step in ROUTE_STEPS else {})},
        )
        allegation_deadlines_sync(allegation)
    return record


def parent_update_add(
    *,
    actor: User,
    allegation: Allegation,
    given_on: dt.date | None,
    informed: str,
    method: str,
    note: str,
    audit_context: AuditContext | None = None,
) -> ParentUpdate:
    """Log one contact keeping the parents or carers informed of the progress of the case (section 6, step 9).

    "Keep the parents or carers of the child/children involved informed of the progress of the case (only in
    relation to their child – no information will be shared regarding the staff member)." Each contact is a
    row of its own, kept and shown in order: a later one never supersedes an earlier one. Also open after
    the outcome, since telling the parents or carers how the case ended is the last such contact.
    """
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if given_on is None:
        errors["given_on"] = "Enter the date the parents or carers were informed"
    elif given_on > timezone.localdate():
        errors["given_on"] = "The date the parents or carers were informed must be today or in the past"
    elif given_on < allegation.attention_date():
        errors["given_on"] = (
            "The date the parents or carers were informed must be on or after the allegation came to attention"
        )
    if not _text(informed):
        errors["informed"] = "Enter who was informed, for example the parents of the child involved"
    if method not in ContactMethod.values:
        errors["method"] = "Choose how the parents or carers were informed"
    if not _text(note):
        errors["note"] = "Enter what they were told about the progress of the case"
    if errors:
        raise ValidationError(errors)
    assert given_on is not None
    with transaction.atomic(durable=True):
        update = ParentUpdate.objects.create(
            allegation=allegation,
            given_on=given_on,
            informed=_text(informed),
            method=method,
            note=_text(note),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.parents_kept_informed",
            text=f"{Step.PARENTS_KEPT_INFORMED.label}: {update.informed}, {update.get_method_display().lower()}.",
            audit_context=audit_context,
            record_id=update.pk,
            details={"method": method},
        )
        # A concluded allegation keeps step 9 open in the work list until a contact is logged.
        allegation_deadlines_sync(allegation)
    return update
