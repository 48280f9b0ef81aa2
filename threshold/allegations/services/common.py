"""Shared by the allegation services: who may change, the pack and its facts, audit and chronology together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from threshold.access import fetch
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.allegations.checklist import investigation_paused as investigation_paused
from threshold.allegations.checklist import pack_for as pack_for
from threshold.allegations.models import Allegation, AllegationStatus
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import Concern
from threshold.people.subjects import exclude_possible_subjects
from threshold.policy import Facts, FactsError, parse_facts


def require_change(*, actor: User, allegation: Allegation) -> None:
    """Refuse anyone who may not change this allegation (the same rule the pages use)."""
    if not fetch.visible_allegations(actor, "change").filter(pk=allegation.pk).exists():
        raise PermissionDenied("You may not change this allegation.")


CONCLUDED_MESSAGE = (
    "This allegation is concluded: its steps, risk assessments and support can no longer be recorded. "
    "Documents, chronology entries and the DBS or TRA referral can still be added"
)


def require_open(allegation: Allegation) -> None:
    """Refuse a case record on a concluded allegation (documents, chronology and 6.5 follow-ups stay open)."""
    if allegation.status == AllegationStatus.CONCLUDED:
        raise ValidationError({"__all__": CONCLUDED_MESSAGE})


# Who may manage an allegation as its case manager (and see the trust's restrictions).
MANAGING_ROLES = frozenset({Role.CASE_MANAGER, Role.DSL, Role.DIRECTOR_OF_SCHOOL, Role.HR_BUSINESS_PARTNER})


def case_manager_candidates(allegation: Allegation) -> QuerySet[User]:
    """Who may take the case over: active case managers, DSLs, directors and HR of the setting or its trust.

    Never the adult the allegation is about.
    """
    organisations = Q(memberships__organisation=allegation.organisation)
    if allegation.organisation.trust_id:
        organisations |= Q(memberships__organisation_id=allegation.organisation.trust_id)
    candidates = User.objects.filter(
        organisations, is_active=True, memberships__is_active=True, memberships__role__in=MANAGING_ROLES
    )
    # Never anyone the adult is or could be (ADR 0018).
    return exclude_possible_subjects(allegation.subject, candidates.distinct()).order_by("full_name")


def _setting_type(organisation: Organisation) -> str:
    return {
        OrganisationKind.SCHOOL: "school",
        OrganisationKind.ACADEMY_TRUST: "school",
        OrganisationKind.EARLY_YEARS: "early_years",
    }.get(organisation.kind, "other")  # type: ignore[call-overload]


def concern_part(concern: Concern | None, name: str) -> Any:
    """A concern's triage or details (one-to-one records of the concerns app), if there are any."""
    if concern is None:
        return None
    try:
        return getattr(concern, name)
    except ObjectDoesNotExist:
        return None


def _concern_part(allegation: Allegation, name: str) -> Any:
    """The triage or details of the concern the allegation was opened from, if there are any."""
    return concern_part(allegation.concern, name)


def triage_of(allegation: Allegation) -> Any:
    """The triage decision on the concern the allegation was opened from (None if there is none)."""
    return _concern_part(allegation, "triage")


def triage_facts(allegation: Allegation) -> dict[str, Any]:
    """The facts the concern was triaged on (empty for an allegation opened without a triaged concern)."""
    triage = triage_of(allegation)
    return dict(triage.facts) if triage is not None and isinstance(triage.facts, dict) else {}


def incident_date(allegation: Allegation) -> dt.date | None:
    """When the incident happened, as the referral (the latest) or else the triage recorded it."""
    referral = allegation.referrals.first()
    if referral is not None and referral.incident_date:
        return referral.incident_date
    given = triage_facts(allegation).get("incident_date")
    return dt.date.fromisoformat(given) if isinstance(given, str) else None


def allegation_facts(allegation: Allegation, **extra: Any) -> dict[str, Any]:
    """The facts the policy engine is given about this allegation.

    Starts from the facts the concern was triaged on (harm-threshold limbs,
    injury, pattern …), then adds what the allegation itself records. The
    allegation's own yes/no facts started from the triage's answers when it
    was opened (``allegation_open_in_transaction``), so "Is the adult a
    teacher? Yes" at triage is still Yes here unless the case manager has
    since answered No on the allegation. A date the allegation leaves empty
    (the day the adult left) is left out, never given as a blank.
    """
    facts = triage_facts(allegation)
    facts |= {
        "works_with_children": True,
        "adult_identified": True,
        "subject_is_teacher": allegation.subject_is_teacher,
        "subject_employment": allegation.subject_employment,
        "setting_type": _setting_type(allegation.organisation),
        "interim_prohibition_order": allegation.interim_prohibition_order,
        "reported_on": allegation.attention_date().isoformat(),
        "allegation_date": allegation.attention_date().isoformat(),
    }
    if allegation.subject.date_of_birth:
        facts["subject_date_of_birth"] = allegation.subject.date_of_birth.isoformat()
    if allegation.left_employment_on:
        # Appendix 4: "a supply worker who is no longer teaching" (the pack reads a leaving date as that).
        facts["left_employment_on"] = allegation.left_employment_on.isoformat()
    facts.update({key: value for key, value in extra.items() if value is not None})
    return facts


def checked_facts(allegation: Allegation, **extra: Any) -> Facts:
    """The facts, checked by the engine; the triage facts are dropped if they no longer fit together."""
    try:
        return parse_facts(allegation_facts(allegation, **extra))
    except FactsError:
        triage = _concern_part(allegation, "triage")
        own = allegation_facts(allegation, **extra)
        for key in triage.facts if triage is not None and isinstance(triage.facts, dict) else ():
            if key not in extra and key not in _OWN_FACTS:
                own.pop(key, None)
        return parse_facts(own)


_OWN_FACTS = {
    "works_with_children",
    "adult_identified",
    "subject_is_teacher",
    "subject_employment",
    "setting_type",
    "interim_prohibition_order",
    "reported_on",
    "allegation_date",
    "subject_date_of_birth",
    "left_employment_on",
}


def _record(
    *,
    actor: User,
    allegation: Allegation,
    action: str,
    text: str,
    audit_context: AuditContext | None,
    record_id: object = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    audit_record(
        context=context_for(actor, audit_context),
        action=action,
        record_type="allegation",
        record_id=allegation.pk,
        organisation=allegation.organisation,
        changes=changes,
        details={**(details or {}), **({"row": record_id} if record_id is not None else {})},
    )
    chronology_record_event(record=allegation, text=text, actor=actor)


def _text(value: object) -> str:
    return str(value or "").strip()


def _required(data: Mapping[str, Any], messages: Mapping[str, str]) -> dict[str, str]:
    return {field: message for field, message in messages.items() if not data.get(field)}
