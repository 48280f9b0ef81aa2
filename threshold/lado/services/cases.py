"""LADO cases: opening one from a contact and the recording data set (the adult, agencies, children).

The protocol's "Suggested Recording Data Set" lives on the case; each change is
one service here (audited with the names of the fields it changed, with a
chronology line, under optimistic locking). The agencies' part of the data set
(risk measures, investigations, referrals to other bodies) is in
``threshold.lado.services.case_agencies``, the children (victims) in
``threshold.lado.services.case_children``, tier changes and reassignment in
``threshold.lado.services.case_allocation``; all are importable from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender, SchoolPhase
from threshold.lado.models import Allocation, Case, CaseChild, Contact, RiskMeasure
from threshold.lado.models.cases import CaseManager, Injury, RiskMeasureKind, Sector
from threshold.lado.selectors import lado_pack
from threshold.lado.services.case_agencies import (
    INVESTIGATION_OUTCOMES,
    case_add_risk_measure,
    case_record_body_referral,
    case_record_investigation,
)
from threshold.lado.services.case_allocation import case_change_tier, case_reassign
from threshold.lado.services.case_children import case_add_child, case_change_child, case_remove_child
from threshold.lado.services.case_rules import CASE_TIERS, require_decider, require_not_closed
from threshold.lado.services.common import (
    record_case_event,
    record_person_event,
    require_case,
    text,
)
from threshold.lado.services.deadlines import case_deadlines_sync
from threshold.lado.services.decision_dataset import dataset_from_decision
from threshold.people.subjects import SubjectToConfirm, subject_confirmation_record, typed_subject
from threshold.policy import FactsError, Pack, non_recent, parse_facts

__all__ = [
    "CASE_TIERS",
    "DATASET_FIELDS",
    "INVESTIGATION_OUTCOMES",
    "DatasetChanges",
    "case_add_child",
    "case_add_risk_measure",
    "case_change_child",
    "case_change_tier",
    "case_open_from_contact",
    "case_reassign",
    "case_record_body_referral",
    "case_record_investigation",
    "case_remove_child",
    "case_update_dataset",
    "dataset_changes",
    "require_not_closed",
]

# The employer's kind of organisation tells its sector when Threshold knows the employer.
SECTOR_BY_KIND = {
    OrganisationKind.SCHOOL: Sector.SCHOOL,
    OrganisationKind.ACADEMY_TRUST: Sector.SCHOOL,
    OrganisationKind.EARLY_YEARS: Sector.EARLY_YEARS,
    OrganisationKind.POLICE: Sector.POLICE,
    OrganisationKind.CHILDRENS_SOCIAL_CARE: Sector.SOCIAL_CARE,
}


class DatasetChanges(TypedDict, total=False):
    """The fields of the data set that one page changes (``case_update_dataset``); a field left out keeps its value."""

    adult_name: str
    adult_address: str
    adult_date_of_birth: dt.date | None
    adult_gender: str
    adult_ethnicity: str
    adult_role: str
    referring_agency: str
    employer_name: str
    sector: str
    school_phase: str
    came_to_light: str
    abuse_categories: list[str]
    incident_date: dt.date | None
    injury: str
    summary: str


# Fields of the data set that ``case_update_dataset`` may change, in the protocol's order.
DATASET_FIELDS = tuple(DatasetChanges.__annotations__)
_DATE_FIELDS = {"adult_date_of_birth", "incident_date"}
_CHOICES: dict[str, set[str]] = {
    "adult_gender": set(Gender.values),
    "adult_ethnicity": set(Ethnicity.values),
    "sector": set(Sector.values),
    "school_phase": set(SchoolPhase.values),
    "came_to_light": set(CameToLight.values),
    "injury": set(Injury.values),
}
_CHOICE_MESSAGES = {
    "adult_gender": "Choose the adult's gender from the list",
    "adult_ethnicity": "Choose the adult's ethnicity from the list",
    "sector": "Choose the employer's sector from the list",
    "school_phase": "Choose the school's phase of education from the list",
    "came_to_light": "Choose how the allegation came to light from the list",
    "injury": "Choose the injury to the child from the list",
}


def _non_recent(pack: Pack, incident_date: dt.date | None, received_on: dt.date) -> bool | None:
    """The pack's answer to "historic if over 12 months ago", counted back from the referral."""
    if incident_date is None:
        return None
    try:
        facts = parse_facts({"incident_date": incident_date.isoformat(), "reported_on": received_on.isoformat()})
    except FactsError:
        return None
    return non_recent(pack, facts)


def _sector_for(employer: Organisation | None) -> str:
    return str(SECTOR_BY_KIND.get(employer.kind, "")) if employer is not None else ""  # type: ignore[call-overload]


def case_open_from_contact(
    *,
    actor: User,
    contact: Contact,
    tier: str,
    facts: Mapping[str, Any] | None = None,
    managed_by: str = CaseManager.LADO,
    audit_context: AuditContext | None = None,
) -> Case:
    """Open a Tier 1 or Tier 2 case from a contact, with the data set the contact (and its referral) carry.

    A contact from an employer's referral in Threshold brings the whole data
    set the employer recorded: the adult, the children (victims), the
    agencies, how it came to light, the categories of abuse, the incident
    date and how the risk was managed so far (the case's first risk measure).
    The actor becomes the case's LADO; the first allocation is recorded.

    ``facts`` are the decision's: what the LADO answered there (categories of
    abuse, injury, date of incident, kind of setting) fills the data set, so
    it is not typed twice (``decision_dataset``); ``managed_by`` is who
    manages the case (children's social care where the decision advised it).
    """
    require_decider(actor, contact)
    if tier not in CASE_TIERS:
        raise ValidationError({"tier": "A case is opened at Tier 1 or Tier 2"})
    if managed_by not in CaseManager.values:
        raise ValidationError({"managed_by": "Choose who manages the case"})
    pack = lado_pack(contact.local_authority)
    referral = contact.referral
    subject = contact.subject
    received_on = timezone.localdate(contact.received_at)
    employer = contact.employer
    decided = dataset_from_decision(facts, contact)
    incident_date = decided.get("incident_date") or (referral.incident_date if referral else None)
    historic = _non_recent(pack, incident_date, received_on)
    with transaction.atomic():
        case = Case.objects.create(
            local_authority=contact.local_authority,
            subject=subject,
            contact=contact,
            lado=actor,
            tier=tier,
            summary=(referral.summary if referral else "") or contact.summary,
            received_on=received_on,
            adult_name=(referral.adult_name if referral else "") or contact.adult_name or subject.full_name,
            adult_address=referral.adult_address if referral else "",
            adult_date_of_birth=(referral.adult_date_of_birth if referral else None)
            or contact.adult_date_of_birth
            or subject.date_of_birth,
            adult_gender=referral.adult_gender if referral else "",
            adult_ethnicity=referral.adult_ethnicity if referral else "",
            adult_role=(referral.adult_role if referral else "") or contact.adult_role or subject.role_title,
            referring_agency=(referral.referring_organisation if referral else "") or contact.referrer_agency,
            employer=employer,
            employer_name=(referral.employer_name if referral else "")
            or contact.employer_name
            or (employer.name if employer else ""),
            sector=_sector_for(employer) or decided.get("sector", ""),
            came_to_light=(referral.came_to_light if referral else "") or decided.get("came_to_light", ""),
            # The LADO's own answers on the decision come first: they may correct the referral's.
            abuse_categories=decided.get("abuse_categories") or (list(referral.abuse_categories) if referral else []),
            injury=decided.get("injury", ""),
            incident_date=incident_date,
            non_recent=historic if historic is not None else (referral.non_recent if referral else None),
            managed_by=managed_by,
            pack=pack.id,
        )
        # ``Case.reference`` was drawn at random when the row was inserted (ADR 0017).
        if referral is not None:
            for child in referral.children.all():
                CaseChild.objects.create(
                    case=case,
                    full_name=child.full_name,
                    address=child.address,
                    date_of_birth=child.date_of_birth,
                    gender=child.gender,
                    ethnicity=child.ethnicity,
                )
            if referral.risk_managed in RiskMeasureKind.values:
                RiskMeasure.objects.create(
                    case=case,
                    kind=referral.risk_managed,
                    recorded_by=actor,
                    notes="As the employer's referral of "
                    f"{timezone.localdate(referral.recorded_at):%d/%m/%Y} recorded it.",
                )
        Allocation.objects.create(case=case, lado=actor, recorded_by=actor, reason="Opened the case.")
        record_case_event(
            actor=actor,
            case=case,
            action="case.opened",
            text=f"{CASE_TIERS[tier]} case opened from contact {contact.reference}; allocated to {actor.full_name}.",
            audit_context=audit_context,
            details={
                "contact": contact.pk,
                "tier": tier,
                "referral": referral.pk if referral else None,
                "from_decision": sorted(decided),
                "managed_by": managed_by,
            },
        )
        case_deadlines_sync(case)
    return case


def dataset_changes(values: Mapping[str, object]) -> DatasetChanges:
    """The data-set fields of a page's cleaned form, as ``case_update_dataset`` takes them.

    A page changes one group of fields, named at run time; a name that is not
    a field of the data set is a programming error, refused here.
    """
    unknown = set(values) - set(DATASET_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of the data set: {sorted(unknown)}")
    # The names are checked above and the form cleaned each value to its field's type.
    return cast(DatasetChanges, dict(values))


def _clean_dataset(dataset: DatasetChanges) -> tuple[dict[str, Any], dict[str, str]]:
    """The data set values given, cleaned, and the errors found in them."""
    data: Mapping[str, Any] = dataset
    today = timezone.localdate()
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in DATASET_FIELDS:
        if name not in data:
            continue
        raw = data[name]
        if name in _DATE_FIELDS:
            values[name] = raw or None
        elif name == "abuse_categories":
            chosen = list(dict.fromkeys(raw or []))
            if any(value not in AbuseCategory.values for value in chosen):
                errors[name] = "Choose categories of abuse from the list"
            values[name] = chosen
        else:
            values[name] = text(raw)
            if name in _CHOICES and values[name] and values[name] not in _CHOICES[name]:
                errors[name] = _CHOICE_MESSAGES[name]
    if "summary" in values and not values["summary"]:
        errors["summary"] = "Enter a summary of the allegation"
    if "adult_name" in values and not values["adult_name"]:
        errors["adult_name"] = "Enter the adult's name"
    if values.get("incident_date") and values["incident_date"] > today:
        errors["incident_date"] = "The date of the incident must be today or in the past"
    if values.get("adult_date_of_birth") and values["adult_date_of_birth"] >= today:
        errors["adult_date_of_birth"] = "The adult's date of birth must be in the past"
    return values, errors


def case_update_dataset(
    *,
    actor: User,
    case: Case,
    dataset: DatasetChanges,
    expected_version: int,
    subject_confirmation: str = "",
    audit_context: AuditContext | None = None,
) -> Case:
    """Change the case's data set: the adult, the agencies, the allegation's details, the summary.

    A new name for the adult that could be a member of the service is asked
    about (``subject_confirmation``, ADR 0018); a case whose adult could be
    the LADO it is allocated to is unallocated, for a manager to give to
    someone else.

    Only the fields named in ``dataset`` change (each page of the case
    changes one group). A changed incident date recomputes "non-recent" with the
    LADO service's pack, counting back from the date the referral was received.
    """
    require_case(actor, case, "change")
    require_not_closed(case)
    values, errors = _clean_dataset(dataset)
    # A phase is a school's: the report counts it in the school sector only, so it may not stand elsewhere.
    phase, sector = values.get("school_phase", case.school_phase), values.get("sector", case.sector)
    if phase not in ("", SchoolPhase.NOT_APPLICABLE) and sector != Sector.SCHOOL:
        errors.setdefault("school_phase", "Choose a school phase only when the sector is school or academy")
    member: User | None = None
    possible: list[User] = []
    if values.get("adult_name") and values["adult_name"] != case.adult_name:
        try:
            member, possible = typed_subject(
                name=values["adult_name"],
                organisations=[case.local_authority],
                confirmation=subject_confirmation,
                field="subject_confirmation",
            )
        except SubjectToConfirm as question:
            raise question.with_errors(errors) from None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        current = case
        if "incident_date" in values:
            values["non_recent"] = _non_recent(
                lado_pack(current.local_authority), values["incident_date"], current.received_on
            )
        changes = {
            name: (getattr(current, name), value) for name, value in values.items() if getattr(current, name) != value
        }
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=[*values, "version"] if values else ["version"])
        if "adult_name" in changes:
            # The local authority's record of the adult follows the case, and its match keys
            # with it: a case renamed to a colleague's name is hidden from them at once (ADR 0018).
            adult = current.subject
            adult.full_name = current.adult_name
            adult.user = member or adult.user
            adult.save(update_fields=["full_name", "user"])
            record_person_event(
                actor=actor,
                person=adult,
                action="person.updated",
                audit_context=audit_context,
                changed=["full_name"],
                details={"case": current.pk},
            )
            subject_confirmation_record(
                actor=actor,
                person=adult,
                candidates=possible,
                organisation=current.local_authority,
                confirmation=subject_confirmation,
                audit_context=audit_context,
            )
            about = {user.pk for user in possible} | ({member.pk} if member else set())
            if current.lado_id in about:
                current.lado = None
                current.save(update_fields=["lado"])
                record_case_event(
                    actor=actor,
                    case=current,
                    action="case.unallocated",
                    text="Unallocated: the adult could be the LADO it was allocated to. A LADO manager allocates it.",
                    audit_context=audit_context,
                    details={"reason": "possible_subject"},
                )
        record_case_event(
            actor=actor,
            case=current,
            action="case.dataset_changed",
            text="Data set changed: " + (", ".join(_label(name) for name in changes) or "nothing changed") + ".",
            audit_context=audit_context,
            changes=changes,
            details={"fields": sorted(changes)},
        )
        # The sector decides the Ofsted clock; an unallocated case's rows are nobody's until a manager allocates it.
        case_deadlines_sync(current)
    return current


_LABELS = {
    "adult_name": "the adult's name",
    "adult_address": "the adult's address",
    "adult_date_of_birth": "the adult's date of birth",
    "adult_gender": "the adult's gender",
    "adult_ethnicity": "the adult's ethnicity",
    "adult_role": "role or occupation",
    "referring_agency": "referring agency",
    "employer_name": "employing agency",
    "sector": "sector",
    "school_phase": "school phase",
    "came_to_light": "how it came to light",
    "abuse_categories": "category of abuse",
    "incident_date": "date of incident",
    "injury": "injury to the child",
    "summary": "summary",
}


def _label(name: str) -> str:
    return _LABELS.get(name, name)
