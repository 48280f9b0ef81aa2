"""The monthly review of delay of an open case past three months (National LADO Network minimum standards).

Reading a case's clocks and whether a review of delay is due is ``threshold.lado.selectors``
(``case_deadlines``, ``delay_review_state``); recording the review, with the reason for delay, is here.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.lado.models import Case, CaseStatus, DelayReview
from threshold.lado.selectors import three_months_on
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.deadlines import case_deadlines_sync
from threshold.policy.clocks import next_delay_review


def case_record_delay_review(
    *,
    actor: User,
    case: Case,
    reason: str,
    reviewed_on: dt.date | None = None,
    audit_context: AuditContext | None = None,
) -> DelayReview:
    """Record the monthly review of an open case past three months, with the reason for delay.

    The next review falls a month after this one.
    """
    require_case(actor, case, "change")
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    reached = three_months_on(case)
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = "Only an open case is reviewed for delay"
    elif today < reached:
        errors["__all__"] = (
            f"A review of delay is recorded once the case is past three months (from {reached:%d/%m/%Y})"
        )
    if not text(reason):
        errors["reason"] = "Enter the reason for the delay"
    if reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    elif reviewed_on < case.received_on:
        errors["reviewed_on"] = "The date of the review must be after the referral was received"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        review = DelayReview.objects.create(
            case=case,
            reviewed_on=reviewed_on,
            reason=text(reason),
            next_review_on=next_delay_review(reviewed_on),
            recorded_by=actor,
        )
        record_case_event(
            actor=actor,
            case=case,
            action="case.delay_reviewed",
            text=f"Review of delay: {text(reason)} Next review by {review.next_review_on:%d/%m/%Y}.",
            audit_context=audit_context,
            row=review.pk,
            details={"reviewed_on": reviewed_on.isoformat(), "next_review_on": review.next_review_on.isoformat()},
        )
        # This review's row is met; the next falls a month later.
        case_deadlines_sync(case)
    return review
