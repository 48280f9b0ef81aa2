"""Tier 2 monitoring and the LADO's quality assurance of the employer's outcome.

Protocol, Tier 2: "In such cases the employer is best placed to manage the
matter to its conclusions. The LADO is however available and actively monitors
timescales and quality assures the outcome." The LADO schedules monitoring
reviews, records each one done with notes of the employer's progress, and
accepts or challenges the employer's outcome with reasons.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import CaseStatus, Level, MonitoringReview, QualityAssurance
from threshold.lado.models.cases import Case, QualityAssuranceDecision
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.deadlines import case_deadlines_sync


def _require_open(case: Case, what: str) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"__all__": f"This case is {case.get_status_display().lower()}: {what}"})


def monitoring_schedule_review(
    *, actor: User, case: Case, due_on: dt.date | None, audit_context: AuditContext | None = None
) -> MonitoringReview:
    """Schedule a monitoring review of a Tier 2 case on a date (today or later)."""
    require_case(actor, case, "change")
    _require_open(case, "monitoring reviews are scheduled on open cases")
    errors: dict[str, str] = {}
    if case.tier != Level.TIER_2:
        errors["__all__"] = "Monitoring reviews are for Tier 2 cases, where the employer manages the matter"
    if due_on is None:
        errors["due_on"] = "Enter the date of the review"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The date of the review must be today or in the future"
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic(durable=True):
        review = MonitoringReview.objects.create(case=case, due_on=due_on, scheduled_by=actor)
        record_case_event(
            actor=actor,
            case=case,
            action="case.monitoring_scheduled",
            text=f"Monitoring review scheduled for {due_on:%d/%m/%Y}.",
            audit_context=audit_context,
            row=review.pk,
            details={"due_on": due_on.isoformat()},
        )
        case_deadlines_sync(case)
    return review


def monitoring_complete_review(
    *,
    actor: User,
    review: MonitoringReview,
    notes: str,
    expected_version: int,
    done_on: dt.date | None = None,
    audit_context: AuditContext | None = None,
) -> MonitoringReview:
    """Record a monitoring review done, with notes of the employer's progress (once; a stale form conflicts)."""
    case = review.case
    require_case(actor, case, "change")
    _require_open(case, "monitoring reviews are recorded on open cases")
    today = timezone.localdate()
    done_on = done_on or today
    errors: dict[str, str] = {}
    if not text(notes):
        errors["notes"] = "Enter what the review found about the employer's progress"
    if done_on > today:
        errors["done_on"] = "The date of the review must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        # The version check comes first: a second person recording the same review gets the conflict page.
        bump_version(review, expected_version)
        if MonitoringReview.objects.filter(pk=review.pk, done_on__isnull=False).exists():
            raise ValidationError({"__all__": "This review has already been recorded"})
        review.done_on = done_on
        review.done_by = actor
        review.notes = text(notes)
        review.save(update_fields=["done_on", "done_by", "notes"])
        record_case_event(
            actor=actor,
            case=case,
            action="case.monitoring_reviewed",
            text=f"Monitoring review due {review.due_on:%d/%m/%Y} done: {review.notes}",
            audit_context=audit_context,
            row=review.pk,
            details={"due_on": review.due_on.isoformat(), "done_on": done_on.isoformat()},
        )
        case_deadlines_sync(case)
    return review


def case_quality_assure(
    *, actor: User, case: Case, decision: str, reasons: str, audit_context: AuditContext | None = None
) -> QualityAssurance:
    """The LADO accepts or challenges the employer's outcome, with reasons (before the case concludes)."""
    require_case(actor, case, "change")
    _require_open(case, "the employer's outcome is quality assured before the case concludes")
    errors: dict[str, str] = {}
    if decision not in QualityAssuranceDecision.values:
        errors["decision"] = "Choose whether you accept or challenge the employer's outcome"
    if not text(reasons):
        errors["reasons"] = "Enter the reasons for your decision"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        row = QualityAssurance.objects.create(case=case, decision=decision, reasons=text(reasons), recorded_by=actor)
        record_case_event(
            actor=actor,
            case=case,
            action="case.quality_assured",
            text=f"The employer's outcome {QualityAssuranceDecision(decision).label.lower()}: {row.reasons}",
            audit_context=audit_context,
            row=row.pk,
            details={"decision": decision},
        )
        case_deadlines_sync(case)
    return row
