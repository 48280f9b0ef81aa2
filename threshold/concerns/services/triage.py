"""Triage: the policy engine advises, the case manager or DSL decides, with reasons; the head signs a DSL's off.

A DSL's decision that a concern is low level or appropriate conduct waits for the headteacher's sign-off
(section 13.3, ADR 0025: ``services.sign_off``); an allegation proceeds at once and the head confirms it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import services as allegation_services
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import recipients
from threshold.concerns.models import (
    Concern,
    ConcernStatus,
    Decision,
    HeadSignOff,
    SignOffKind,
    Triage,
)
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.concerns.services.sign_off import (
    STATUS_FOR_DECISION,
    awaiting_sign_off,
    sign_off_request_in_transaction,
)
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version
from threshold.policy import (
    FactsError,
    assess,
    parse_facts,
)
from threshold.policy.results import Assessment


def advised_decision(assessment: Assessment) -> str:
    """What the pack's answer means for appendix 2, question 7."""
    if assessment.meets_harm_threshold or assessment.refer_to_lado:
        return Decision.ALLEGATION
    if assessment.spectrum is not None and assessment.spectrum.id == "appropriate-conduct":
        return Decision.APPROPRIATE
    return Decision.LOW_LEVEL


def concern_assess(*, concern: Concern, raw_facts: dict[str, Any]) -> tuple[Any, Assessment]:
    """The pack's advice for a concern: the organisation's pack in force on the day of the triage decision.

    A new decision uses the version in force on its date (docs/policy-packs.md), so a concern raised
    before a corrected version came into force is triaged with the correction; deadlines still count
    from the day the concern was raised.
    """
    pack = concern.organisation.pack_in_force()
    try:
        facts = parse_facts({**raw_facts, "reported_on": concern.raised_on.isoformat()})
    except FactsError as error:
        if error.fact == "incident_date":
            raise ValidationError(
                {"incident_date": "The date of the incident must be on or before the day the concern was raised"}
            ) from error
        raise ValidationError({"__all__": str(error)}) from error
    assessment = assess(pack, facts)
    if not assessment.complete:
        # The pack needs these answered before it advises (the trust's Tier 1 is "Threshold for LADO Not
        # Met", which nobody has said): each message goes beside the first of its questions.
        raise ValidationError({question.items[0]: question.text for question in assessment.needs_answers})
    return facts, assessment


def concern_triage(
    *,
    actor: User,
    concern: Concern,
    expected_version: int,
    raw_facts: dict[str, Any],
    decision: str,
    rationale: str,
    override_reason: str = "",
    advice_hr: bool = False,
    advice_trust: bool = False,
    advice_lado: bool = False,
    advice_notes: str = "",
    previous_concerns: bool = False,
    audit_context: AuditContext | None = None,
) -> Triage | HeadSignOff:
    """Record the triage decision with the pack's advice; an allegation is opened for the case manager.

    The caller has fetched the concern with the "change" action. Choosing
    other than the pack advises needs a written reason. When the actor is not
    the one who signs off (``recipients.decides_alone``), a low-level or
    appropriate-conduct decision is returned as the ``HeadSignOff`` it waits
    on and the concern stays new; an allegation is recorded at once and the
    head is asked to confirm it.
    """
    facts, assessment = concern_assess(concern=concern, raw_facts=raw_facts)
    advised = advised_decision(assessment)
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose whether this is a low-level concern, an allegation or appropriate conduct"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if decision in Decision.values and decision != advised and not override_reason.strip():
        errors["override_reason"] = (
            f"Explain why you decided differently from the policy's advice ({Decision(advised).label.lower()})"
        )
    if errors:
        raise ValidationError(errors)
    result = assessment.as_dict()
    needs_sign_off = not recipients.decides_alone(user=actor, concern=concern)
    with transaction.atomic(durable=True):
        bump_version(concern, expected_version)
        current = concern
        if current.status != ConcernStatus.NEW or awaiting_sign_off(current) is not None:
            raise ConflictError(current)
        values = {
            "decision": decision,
            "advised_decision": advised,
            "rationale": rationale.strip(),
            "override_reason": override_reason.strip() if decision != advised else "",
            "advice_hr": advice_hr,
            "advice_trust": advice_trust,
            "advice_lado": advice_lado,
            "advice_notes": advice_notes.strip(),
            "previous_concerns": previous_concerns,
            "pack_id": assessment.pack.id,
            "pack_version": assessment.pack.version,
            "pack_digest": assessment.pack.digest,
            "facts": facts.as_json(),
            "result": result,
        }
        if needs_sign_off and decision != Decision.ALLEGATION:
            # Low level or appropriate conduct: nothing follows until the head agrees (13.3, ADR 0025).
            sign_off = sign_off_request_in_transaction(
                actor=actor,
                concern=current,
                kind=SignOffKind.TRIAGE,
                decision=decision,
                proposal={**values, "decided_by_id": actor.pk, "decided_at": timezone.now().isoformat()},
                audit_context=audit_context,
            )
            text = (
                f"Decided as {Decision(decision).label.lower()} (the policy advised {assessment.level_title}),"
                " awaiting the headteacher's sign-off."
            )
            chronology_record_event(record=current, text=text, actor=actor)
            concern_deadlines_sync(current)  # triage is done; the head's sign-off has its own row
            return sign_off
        allegation = None
        if decision == Decision.ALLEGATION:
            allegation = allegation_services.allegation_open_in_transaction(
                actor=actor,
                organisation=current.organisation,
                subject=current.subject,
                summary=current.summary,
                concern=current,
                audit_context=audit_context,
                # The triage is stored after the allegation opens: its answers are the allegation's start.
                starting_facts=values["facts"],
            )
        triage = Triage.objects.create(concern=current, allegation=allegation, decided_by=actor, **values)
        if allegation is not None:
            # Its advice (the tier, and so policy 6.4's resolution targets) is the triage's answers, stored now.
            allegation_deadlines_sync(allegation)
        old_status = current.status
        current.status = STATUS_FOR_DECISION[Decision(decision)]
        current.save(update_fields=["status"])
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.triaged",
            record_type="concern",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"status": (old_status, current.status)},
            details={
                "decision": decision,
                "advised": advised,
                "level": assessment.level,
                "pack": f"{assessment.pack.id}@{assessment.pack.version}",
                "allegation": allegation.pk if allegation else None,
            },
        )
        text = f"Triaged as {Decision(decision).label.lower()} (the policy advised {assessment.level_title})."
        chronology_record_event(record=current, text=text, actor=actor)
        concern_deadlines_sync(current)
        if needs_sign_off:
            # An allegation does not wait (the one-working-day LADO duty): the head is asked to confirm it.
            sign_off_request_in_transaction(
                actor=actor, concern=current, kind=SignOffKind.TRIAGE, decision=decision, audit_context=audit_context
            )
    return triage
