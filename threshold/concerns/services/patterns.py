"""Termly pattern reviews, their findings, and escalation of a pattern to an allegation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations import services as allegation_services
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import selectors
from threshold.concerns.models import (
    Concern,
    ConcernStatus,
    PatternFinding,
    PatternReview,
)
from threshold.concerns.services.deadlines import concern_deadlines_sync, pattern_review_deadline_sync
from threshold.concerns.services.escalate import threshold_problems
from threshold.core.locking import hold
from threshold.people.models import Person
from threshold.policy import HARM_THRESHOLD_FACTS


def pattern_review_start(
    *,
    actor: User,
    organisation: Organisation,
    period_start: dt.date,
    period_end: dt.date,
    audit_context: AuditContext | None = None,
) -> PatternReview:
    """Start a pattern review of the concerns raised in a period (section 13.4)."""
    if organisation not in selectors.review_organisations(actor):
        raise PermissionDenied("You do not review concerns for that organisation.")
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    with transaction.atomic(durable=True):
        review = PatternReview.objects.create(
            organisation=organisation, period_start=period_start, period_end=period_end, started_by=actor
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="pattern_review.started",
            record_type="pattern_review",
            record_id=review.pk,
            organisation=organisation,
            details={"period_start": period_start, "period_end": period_end},
        )
        pattern_review_deadline_sync(organisation)
    return review


def _check_open(review: PatternReview) -> None:
    if review.completed_at is not None:
        raise ValidationError({"__all__": "This review has been completed"})


def pattern_finding_record(
    *,
    actor: User,
    review: PatternReview,
    subject: Person,
    pattern_found: bool,
    findings: str,
    audit_context: AuditContext | None = None,
) -> PatternFinding:
    """Record what the review found about one person (the caller checked the person is in the review)."""
    _check_open(review)
    if not findings.strip():
        raise ValidationError({"findings": "Enter the findings"})
    with transaction.atomic(durable=True):
        hold(review)  # two reviewers recording the same person at once: the second is told, not a 500
        if PatternFinding.objects.filter(review=review, subject=subject).exists():
            raise ValidationError({"findings": "The findings about this person are already recorded"})
        finding = PatternFinding.objects.create(
            review=review, subject=subject, pattern_found=pattern_found, findings=findings.strip(), recorded_by=actor
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="pattern_review.finding_recorded",
            record_type="pattern_review",
            record_id=review.pk,
            organisation=review.organisation,
            details={"person": subject.pk, "pattern_found": pattern_found},
        )
    return finding


def _escalation_routed_to_trust(*, actor: User, finding: PatternFinding) -> bool:
    """An escalated pattern goes to the trust if the review, any of its concerns, or the person calls for it.

    The finding's concerns are those the review listed (the ones the reviewer
    handles). Otherwise the allegation would reach the setting's handlers,
    who were kept from the concerns it is made of.
    """
    review = finding.review
    subject = finding.subject
    if review.organisation.kind == OrganisationKind.ACADEMY_TRUST:
        return True
    if subject.user is not None and selectors.is_headteacher(user=subject.user, organisation=subject.organisation):
        return True
    return (
        selectors.reviewable_concerns(user=actor, organisation=review.organisation)
        .filter(
            subject=subject,
            raised_on__gte=review.period_start,
            raised_on__lte=review.period_end,
            routed_to_trust=True,
        )
        .exists()
    )


def pattern_finding_escalate(
    *,
    actor: User,
    finding: PatternFinding,
    threshold_answers: Mapping[str, bool | None],
    audit_context: AuditContext | None = None,
) -> Allegation:
    """Escalate a pattern to an allegation and a LADO referral in one step (section 13.4).

    "Where a pattern of behaviour moves from a concern to meeting the harms threshold … it will be referred to
    the LADO": ``threshold_answers`` are the harm threshold's limbs as the pattern may now meet them (True, False
    or None for not known; at least one True), which give the allegation its tier and advice.

    In one transaction: the allegation is opened, the referral to the LADO of
    the setting's area is started (it reaches the LADO's inbox at once, with
    what the review knows; the case manager completes its data set on the
    referral page), and every concern of the finding is linked to the
    allegation, moved on to "Allegation", and its chronology says why.
    """
    if finding.allegation_id is not None:
        raise ValidationError({"__all__": "This pattern has already been escalated"})
    if not finding.pattern_found:
        raise ValidationError({"__all__": "Only a pattern can be escalated to an allegation"})
    if problems := threshold_problems(threshold_answers):
        raise ValidationError(problems)
    answered = {name: value for name in HARM_THRESHOLD_FACTS if isinstance(value := threshold_answers.get(name), bool)}
    concerns = selectors.finding_concerns(user=actor, finding=finding)
    review = finding.review
    period = f"{review.period_start:%-d %B %Y} to {review.period_end:%-d %B %Y}"
    with transaction.atomic(durable=True):
        current = PatternFinding.objects.select_for_update().get(pk=finding.pk)
        if current.allegation_id is not None:
            raise ValidationError({"__all__": "This pattern has already been escalated"})
        subject = current.subject
        allegation = allegation_services.allegation_open_in_transaction(
            actor=actor,
            organisation=subject.organisation,
            subject=subject,
            summary=f"A pattern of low-level concerns found by the pattern review of {period}: {current.findings}",
            # Any routed concern of the finding (records of the same adult grouped) routes the allegation too.
            routed_to_trust=_escalation_routed_to_trust(actor=actor, finding=current)
            or any(concern.routed_to_trust for concern in concerns),
            audit_context=audit_context,
            threshold_answers=answered,
        )
        referral = allegation_services.referral_make_in_transaction(
            actor=actor, allegation=allegation, audit_context=audit_context
        )
        # A concern already escalated, or closed, keeps its own history: it is
        # not pulled into this allegation, nor its earlier link overwritten.
        open_concerns = (
            Concern.objects.select_for_update()
            .filter(pk__in=[c.pk for c in concerns], escalated_to__isnull=True)
            .exclude(status=ConcernStatus.CLOSED)
            .order_by("pk")
        )
        for concern in open_concerns:
            old_status = concern.status
            concern.escalated_to = allegation
            concern.status = ConcernStatus.ALLEGATION
            concern.version += 1
            concern.save(update_fields=["escalated_to", "status", "version"])
            audit_record(
                context=context_for(actor, audit_context),
                action="concern.escalated",
                record_type="concern",
                record_id=concern.pk,
                organisation=concern.organisation,
                changes={"status": (old_status, concern.status)},
                details={"allegation": allegation.pk, "pattern_review": review.pk},
            )
            chronology_record_event(
                record=concern,
                text=f"Escalated to allegation {allegation.reference} after the pattern review of {period}.",
                actor=actor,
            )
            # A concern still waiting for triage is dealt with: its triage is met by the escalation.
            concern_deadlines_sync(concern)
        current.allegation = allegation
        current.save(update_fields=["allegation"])
        audit_record(
            context=context_for(actor, audit_context),
            action="pattern_review.escalated",
            record_type="pattern_review",
            record_id=current.review_id,
            organisation=current.review.organisation,
            details={
                "person": subject.pk,
                "allegation": allegation.pk,
                "referral": referral.pk,
                "concerns": sorted(c.pk for c in concerns),
                "threshold": answered,
            },
        )
    return allegation


def pattern_review_complete(
    *, actor: User, review: PatternReview, summary: str, audit_context: AuditContext | None = None
) -> PatternReview:
    """Complete a review: the next one is then due at the end of next term."""
    _check_open(review)
    if not summary.strip():
        raise ValidationError({"summary": "Enter a summary of the review"})
    with transaction.atomic(durable=True):
        current = PatternReview.objects.select_for_update().get(pk=review.pk)
        _check_open(current)
        current.completed_at = timezone.now()
        current.completed_by = actor
        current.summary = summary.strip()
        current.save(update_fields=["completed_at", "completed_by", "summary"])
        audit_record(
            context=context_for(actor, audit_context),
            action="pattern_review.completed",
            record_type="pattern_review",
            record_id=current.pk,
            organisation=current.organisation,
        )
        pattern_review_deadline_sync(current.organisation)
    return current
