"""Shared by the allegation services: who may change, the pack, audit and chronology (facts: ``allegations.facts``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.accounts.roles import Role
from threshold.allegations.checklist import investigation_paused as investigation_paused
from threshold.allegations.checklist import pack_for as pack_for
from threshold.allegations.models import Allegation, AllegationStatus
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.people.subjects import exclude_possible_subjects


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
