"""Section 11: the review of an investigated case, when it finds nothing to learn.

"After any cases where an investigation has been conducted, the case manager will review the circumstances
of the case with the LADO and Headteacher to determine whether there are any improvements that can be made
to procedures or practice to help prevent similar events in the future." A lesson found is logged with
``lesson_record``; a review that found none is recorded here, so the review is done either way.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import Allegation, LessonsReview
from threshold.allegations.services.common import _record, _text, require_change
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext


def lessons_review_record(
    *,
    actor: User,
    allegation: Allegation,
    reviewed_on: dt.date | None,
    reviewed_with: str,
    notes: str = "",
    audit_context: AuditContext | None = None,
) -> LessonsReview:
    """Record that the case was reviewed with the LADO and the headteacher and no improvements were found."""
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if not allegation.outcomes.exists():
        errors["__all__"] = "Record the outcome before the review of the case"
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date the case was reviewed"
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    if not _text(reviewed_with):
        errors["reviewed_with"] = "Enter who the case was reviewed with, for example the LADO and the headteacher"
    if errors:
        raise ValidationError(errors)
    assert reviewed_on is not None
    with transaction.atomic(durable=True):
        review = LessonsReview.objects.create(
            allegation=allegation,
            reviewed_on=reviewed_on,
            reviewed_with=_text(reviewed_with),
            notes=_text(notes),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.lessons_reviewed",
            text="Case reviewed for lessons learned: no improvements to procedures or practice identified.",
            audit_context=audit_context,
            record_id=review.pk,
        )
        allegation_deadlines_sync(allegation)
    return review
