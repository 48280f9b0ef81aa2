"""Termly pattern reviews, their findings, and escalation of a pattern to an allegation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations import services as allegation_services
from threshold.allegations.models import Allegation
from threshold.audit.services import audit_record
from threshold.concerns import selectors
from threshold.concerns.models import (
    PatternFinding,
    PatternReview,
)
from threshold.people.models import Person


def pattern_review_start(
    *,
    actor: User,
    organisation: Organisation,
    period_start: dt.date,
    period_end: dt.date,
    request: HttpRequest | None = None,
) -> PatternReview:
    """Start a pattern review of the concerns raised in a period (section 13.4)."""
    if organisation not in selectors.review_organisations(actor):
        raise PermissionDenied("You do not review concerns for that organisation.")
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    with transaction.atomic():
        review = PatternReview.objects.create(
            organisation=organisation, period_start=period_start, period_end=period_end, started_by=actor
        )
        audit_record(
            actor=actor,
            action="pattern_review.started",
            record_type="pattern_review",
            record_id=review.pk,
            organisation=organisation,
            request=request,
            details={"period_start": period_start, "period_end": period_end},
        )
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
    request: HttpRequest | None = None,
) -> PatternFinding:
    """Record what the review found about one person (the caller checked the person is in the review)."""
    _check_open(review)
    if not findings.strip():
        raise ValidationError({"findings": "Enter the findings"})
    with transaction.atomic():
        if PatternFinding.objects.filter(review=review, subject=subject).exists():
            raise ValidationError({"findings": "The findings about this person are already recorded"})
        finding = PatternFinding.objects.create(
            review=review, subject=subject, pattern_found=pattern_found, findings=findings.strip(), recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="pattern_review.finding_recorded",
            record_type="pattern_review",
            record_id=review.pk,
            organisation=review.organisation,
            request=request,
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


def pattern_finding_escalate(*, actor: User, finding: PatternFinding, request: HttpRequest | None = None) -> Allegation:
    """Escalate a pattern to an allegation about the person (section 13.4), ready to be referred to the LADO.

    No referral is made here: the referral's data set is completed and sent
    on the allegation's referral page, where the view sends the reviewer next.
    """
    if finding.allegation_id is not None:
        raise ValidationError({"__all__": "This pattern has already been escalated"})
    if not finding.pattern_found:
        raise ValidationError({"__all__": "Only a pattern can be escalated to an allegation"})
    with transaction.atomic():
        current = PatternFinding.objects.select_for_update().get(pk=finding.pk)
        if current.allegation_id is not None:
            raise ValidationError({"__all__": "This pattern has already been escalated"})
        subject = current.subject
        allegation = allegation_services.allegation_open(
            actor=actor,
            organisation=subject.organisation,
            subject=subject,
            summary=f"A pattern of low-level concerns found by a review: {current.findings}",
            routed_to_trust=_escalation_routed_to_trust(actor=actor, finding=current),
            request=request,
        )
        current.allegation = allegation
        current.save(update_fields=["allegation"])
        audit_record(
            actor=actor,
            action="pattern_review.escalated",
            record_type="pattern_review",
            record_id=current.review_id,
            organisation=current.review.organisation,
            request=request,
            details={"person": subject.pk, "allegation": allegation.pk},
        )
    return allegation


def pattern_review_complete(
    *, actor: User, review: PatternReview, summary: str, request: HttpRequest | None = None
) -> PatternReview:
    """Complete a review: the next one is then due at the end of next term."""
    _check_open(review)
    if not summary.strip():
        raise ValidationError({"summary": "Enter a summary of the review"})
    with transaction.atomic():
        current = PatternReview.objects.select_for_update().get(pk=review.pk)
        _check_open(current)
        current.completed_at = timezone.now()
        current.completed_by = actor
        current.summary = summary.strip()
        current.save(update_fields=["completed_at", "completed_by", "summary"])
        audit_record(
            actor=actor,
            action="pattern_review.completed",
            record_type="pattern_review",
            record_id=current.pk,
            organisation=current.organisation,
            request=request,
        )
    return current
