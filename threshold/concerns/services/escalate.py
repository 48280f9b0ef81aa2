"""Escalating one low-level concern to an allegation and a LADO referral when more comes to light.

The trust's matrix, Tier 2: "Investigate further with a clear view that this could be escalated to a full LADO
referral if more information comes to light"; and its note: "At any point if the threshold for referral to LADO
may be met then a referral should be submitted." A pattern review escalates several concerns at once
(``patterns.pattern_finding_escalate``); this escalates the one concern in hand, without waiting for a review.
It does not wait for the headteacher's sign-off either (ADR 0025): the one-working-day duty to inform the LADO
runs from the moment the threshold may be met.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from threshold.accounts.models import User
from threshold.allegations import services as allegation_services
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import Concern, ConcernStatus
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version
from threshold.policy import HARM_THRESHOLD_FACTS

# What can be escalated: a concern triaged as low-level (an allegation is one already; a closed concern is
# closed, and a new one is triaged, where "allegation" is one of the decisions).
ESCALATABLE = frozenset({ConcernStatus.LOW_LEVEL})
# Said beside the first of the harm threshold's questions when none is answered Yes.
NO_LIMB_MET = (
    "Answer Yes to at least one question about the harm threshold. If none may be met, it stays a low-level"
    " concern and is not escalated"
)


def threshold_problems(answers: Mapping[str, bool | None]) -> dict[str, str]:
    """What is wrong with the harm threshold's answers given to escalate: at least one limb may now be met.

    Each answer is True, False or None (not known); the form says the same with its other errors.
    """
    if any(answers.get(name) is True for name in HARM_THRESHOLD_FACTS):
        return {}
    return {HARM_THRESHOLD_FACTS[0]: NO_LIMB_MET}


def escalate_problem(concern: Concern) -> str:
    """Why this concern cannot be escalated now, in words; empty when it can."""
    if concern.escalated_to_id is not None:
        return "This concern has already been escalated to an allegation"
    if concern.status not in ESCALATABLE:
        return "Only a low-level concern can be escalated to an allegation"
    return ""


def concern_escalate(
    *,
    actor: User,
    concern: Concern,
    expected_version: int,
    came_to_light: str,
    threshold_answers: Mapping[str, bool | None],
    audit_context: AuditContext | None = None,
) -> Allegation:
    """Open an allegation from a low-level concern, refer it to the LADO, and link the concern to it.

    ``threshold_answers``: each of the harm threshold's limbs (``HARM_THRESHOLD_FACTS``) as it may now be met:
    True, False or None (not known); at least one True. They replace the triage's answers, which made the concern
    low-level, so the allegation's tier and advice are those of an allegation (the trust's Tier 3 or 4).

    The caller fetched the concern with "change". In one transaction: the allegation opens with the concern's
    summary and what has now come to light (and the concern's triage answers, as triage would give them), the
    referral to the LADO of the setting's area is started (it reaches the LADO's inbox at once; the case
    manager completes its data set on the referral page), and the concern moves on to "Allegation" with its
    chronology saying why. Its low-level deadlines stop: the allegation's own take over.
    """
    errors = {}
    came_to_light = came_to_light.strip()
    if not came_to_light:
        errors["came_to_light"] = "Enter what has come to light since the concern was triaged"
    errors |= threshold_problems(threshold_answers)
    if problem := escalate_problem(concern):
        errors["__all__"] = problem
    if errors:
        raise ValidationError(errors)
    answered = {name: value for name in HARM_THRESHOLD_FACTS if isinstance(value := threshold_answers.get(name), bool)}
    with transaction.atomic(durable=True):
        seen = (concern.status, concern.escalated_to_id)
        bump_version(concern, expected_version)
        current = concern
        if (current.status, current.escalated_to_id) != seen:
            raise ConflictError(current)
        allegation = allegation_services.allegation_open_in_transaction(
            actor=actor,
            organisation=current.organisation,
            subject=current.subject,
            summary=f"{current.summary}\n\nCame to light since the concern was triaged: {came_to_light}",
            concern=current,
            # A concern routed past the head routes its allegation past the head too.
            routed_to_trust=current.routed_to_trust,
            audit_context=audit_context,
            threshold_answers=answered,
        )
        referral = allegation_services.referral_make_in_transaction(
            actor=actor, allegation=allegation, audit_context=audit_context
        )
        old_status = current.status
        current.escalated_to = allegation
        current.status = ConcernStatus.ALLEGATION
        current.save(update_fields=["escalated_to", "status"])
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.escalated",
            record_type="concern",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"status": (old_status, current.status)},
            details={
                "allegation": allegation.pk,
                "referral": referral.pk,
                "why": "came to light",
                "threshold": answered,
            },
        )
        chronology_record_event(
            record=current,
            text=f"Escalated to allegation {allegation.reference} and referred to the LADO: {came_to_light}",
            actor=actor,
        )
        concern_deadlines_sync(current)
    return allegation
