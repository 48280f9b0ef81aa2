"""Opening an allegation and changing its own (versioned) facts: employment, bar, restrictions, case manager.

An allegation opened from a triaged concern starts from the triage's answers ("Is the adult a teacher? Yes"
keeps the TRA duty and the reporting-restriction banner); a later answer on the allegation's details wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.facts import concern_part, incident_date
from threshold.allegations.models import Allegation, Employment
from threshold.allegations.services.common import _record, case_manager_candidates, require_change
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import Concern, HowArose
from threshold.core.locking import bump_version
from threshold.jinja2 import govuk_date
from threshold.lado.services.requests import request_deadlines_sync
from threshold.people.models import Person


def allegation_open(
    *,
    actor: User,
    organisation: Organisation,
    subject: Person,
    summary: str,
    concern: Concern | None = None,
    routed_to_trust: bool = False,
    audit_context: AuditContext | None = None,
    case_manager: User | None = None,
    starting_facts: Mapping[str, Any] | None = None,
) -> Allegation:
    """Open an allegation for the employer to manage directly, in a transaction of its own.

    The caller has checked, through ``threshold.access``, that the actor may
    handle records of this organisation. The actor becomes the case manager
    unless another is given; the details page can hand the case over.
    """
    with transaction.atomic(durable=True):
        return allegation_open_in_transaction(
            actor=actor,
            organisation=organisation,
            subject=subject,
            summary=summary,
            concern=concern,
            routed_to_trust=routed_to_trust,
            audit_context=audit_context,
            case_manager=case_manager,
            starting_facts=starting_facts,
        )


def allegation_open_in_transaction(
    *,
    actor: User,
    organisation: Organisation,
    subject: Person,
    summary: str,
    concern: Concern | None = None,
    routed_to_trust: bool = False,
    audit_context: AuditContext | None = None,
    case_manager: User | None = None,
    starting_facts: Mapping[str, Any] | None = None,
    threshold_answers: Mapping[str, bool] | None = None,
) -> Allegation:
    """Open an allegation inside the caller's transaction: triage and a pattern review's escalation open one so.

    As ``allegation_open``, whose work this is; the caller holds the
    transaction, so the allegation commits or rolls back with its change.
    ``starting_facts`` are the facts the concern is being triaged on (triage
    opens the allegation before it stores its decision); without them the
    concern's stored triage, if any, gives them. ``threshold_answers``: the
    harm threshold's limbs answered when a low-level concern is escalated,
    which replace the triage's (``facts.escalation_answers``).
    """
    starting = starting_values(concern, starting_facts)
    with transaction.atomic():
        allegation = Allegation.objects.create(
            organisation=organisation,
            subject=subject,
            concern=concern,
            case_manager=case_manager or actor,
            summary=summary.strip(),
            routed_to_trust=routed_to_trust or bool(concern and concern.routed_to_trust),
            # Appendix 5: the LADO is told of allegations "that come to an organisation's attention": the day the
            # concern was raised with the school (Appendix 2's "date the concern was raised"), not the day it was
            # typed in, as the triage's own advice and the imports count it.
            came_to_attention_on=concern.raised_on if concern else timezone.localdate(),
            threshold_answers=dict(threshold_answers or {}),
            **starting,
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="allegation.opened",
            record_type="allegation",
            record_id=allegation.pk,
            organisation=organisation,
            details={"concern": concern.pk if concern else None, "from_triage": sorted(starting)},
        )
        chronology_record_event(record=allegation, text="Allegation opened.", actor=actor)
        allegation_deadlines_sync(allegation)
    return allegation


def starting_values(concern: Concern | None, facts: Mapping[str, Any] | None = None) -> dict[str, bool]:
    """The allegation's own facts as the concern already answered them: its starting values.

    "Is the adult a teacher?" answered at triage (Yes or No) is the
    allegation's answer until the case manager changes it on the details
    page. A concern disclosed by a child starts the allegation as made by a
    pupil, so a teacher's reporting restriction (Education Act 2002, s141F)
    shows from the start; the case manager unticks it if that is wrong.
    """
    if concern is None:
        return {}
    if facts is None:
        triage = concern_part(concern, "triage")
        facts = triage.facts if triage is not None and isinstance(triage.facts, dict) else {}
    values: dict[str, bool] = {}
    if isinstance(facts.get("subject_is_teacher"), bool):
        values["subject_is_teacher"] = facts["subject_is_teacher"]
    details = concern_part(concern, "details")
    if details is not None and details.how_arose == HowArose.DISCLOSURE_CHILD:
        values["accused_by_pupil"] = True
    return values


class Unchanged(Enum):
    """A value the caller does not give: the allegation keeps what it has (a date where None means "none")."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def allegation_update(
    *,
    actor: User,
    allegation: Allegation,
    expected_version: int,
    came_to_attention_on: dt.date | None,
    subject_employment: str,
    agency: Organisation | None,
    subject_is_teacher: bool,
    accused_by_pupil: bool,
    reporting_restriction_ended_on: dt.date | None,
    interim_prohibition_order: bool,
    audit_context: AuditContext | None = None,
    case_manager: User | None = None,
    barred_from_trust: bool | None = None,
    agency_name: str | None = None,
    agency_contact: str | None = None,
    left_employment_on: dt.date | Unchanged | None = UNCHANGED,
) -> Allegation:
    """Change the allegation's facts: employment and agency, reporting restriction, interim prohibition order.

    ``case_manager`` hands the case to another person who may manage it;
    ``barred_from_trust`` bars a supply worker, contractor or volunteer from
    all the trust's academies while under investigation (appendix 4). Either
    left as None is unchanged.

    A supply worker's agency is an organisation in Threshold (``agency``) or,
    when it is not, a name with a contact email or phone (``agency_name``,
    ``agency_contact``); a contractor's contracting company is recorded by
    name. Both left as None are unchanged.

    ``left_employment_on`` is the day the adult stopped working at the
    setting (None: they still do); the engine reads a supply worker who has
    left as "no longer teaching", whose allegation "should be referred to the
    police" (appendix 4). Not given, it is unchanged.
    """
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if case_manager is not None and not case_manager_candidates(allegation).filter(pk=case_manager.pk).exists():
        errors["case_manager"] = "Choose a case manager, DSL, director or HR partner of this setting or its trust"
    if barred_from_trust:
        if subject_employment == Employment.EMPLOYED:
            errors["barred_from_trust"] = "Only supply workers, contractors and volunteers are barred this way"
        elif allegation.organisation.trust_id is None:
            errors["barred_from_trust"] = "This setting is not part of a trust"
    if subject_employment not in Employment.values:
        errors["subject_employment"] = "Choose how the adult is engaged"
    name = (agency_name if agency_name is not None else allegation.agency_name).strip()
    contact = (agency_contact if agency_contact is not None else allegation.agency_contact).strip()
    if agency is not None and name:
        errors["agency_name"] = "Choose the agency from the list or enter its name, not both"
    elif subject_employment == Employment.SUPPLY and agency is None and not name:
        errors["agency"] = "Choose the agency that supplies the adult, or enter its name and contact details"
    elif subject_employment == Employment.CONTRACTOR and agency is None and not name:
        errors["agency_name"] = "Enter the contracting company"
    if name and not contact and "agency_name" not in errors:
        errors["agency_contact"] = "Enter the agency's or company's contact email or phone"
    if agency is not None and agency.kind != OrganisationKind.AGENCY:
        errors["agency"] = "Choose a supply or recruitment agency"
    if came_to_attention_on and came_to_attention_on > timezone.localdate():
        errors["came_to_attention_on"] = "The date it came to attention must be today or in the past"
    elif came_to_attention_on and (happened := incident_date(allegation)) and came_to_attention_on < happened:
        # The pack reads the incident against this date: one before the incident would not fit together.
        errors["came_to_attention_on"] = (
            f"The date it came to attention must be on or after the date of the incident ({govuk_date(happened)})"
        )
    if isinstance(left_employment_on, dt.date) and left_employment_on > timezone.localdate():
        errors["left_employment_on"] = "The date the adult left must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        current = Allegation.objects.get(pk=allegation.pk)
        bump_version(current, expected_version)
        new = {
            "came_to_attention_on": came_to_attention_on,
            "subject_employment": subject_employment,
            "agency_id": agency.pk if agency else None,
            "agency_name": name,
            "agency_contact": contact if name else "",
            "subject_is_teacher": subject_is_teacher,
            "accused_by_pupil": accused_by_pupil,
            "reporting_restriction_ended_on": reporting_restriction_ended_on,
            "interim_prohibition_order": interim_prohibition_order,
        }
        if case_manager is not None:
            new["case_manager_id"] = case_manager.pk
        if not isinstance(left_employment_on, Unchanged):
            new["left_employment_on"] = left_employment_on
        if barred_from_trust is not None:
            new["barred_from_trust"] = barred_from_trust
            if barred_from_trust and not current.barred_from_trust:
                new["barred_from_trust_since"] = timezone.now()
            elif not barred_from_trust:
                new["barred_from_trust_since"] = None
        changes = {
            name: (getattr(current, name), value) for name, value in new.items() if getattr(current, name) != value
        }
        for name, value in new.items():
            setattr(current, name, value)
        current.save()
        text = "Allegation details changed."
        if "interim_prohibition_order" in changes and interim_prohibition_order:
            text = "Interim prohibition order recorded: the adult must be suspended immediately."
        elif "barred_from_trust" in changes:
            text = (
                "Not to be accepted in the Trust's academies until further notice."
                if barred_from_trust
                else "The bar from the Trust's academies was lifted."
            )
        elif "case_manager_id" in changes and case_manager is not None:
            text = f"Case manager changed to {case_manager.full_name}."
        elif "left_employment_on" in changes and isinstance(left_employment_on, dt.date):
            text = f"Recorded that the adult left the setting on {left_employment_on:%-d %B %Y}."
        _record(
            actor=actor,
            allegation=current,
            action="allegation.updated",
            text=text,
            audit_context=audit_context,
            changes=changes,
        )
        allegation_deadlines_sync(current)
        # A new case manager takes over the LADO's requests for information too.
        request_deadlines_sync(current)
    return current
