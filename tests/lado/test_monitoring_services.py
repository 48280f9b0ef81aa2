"""Tier 2 monitoring and quality assurance: each change validated, audited, in the chronology, refused whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.errors import ConflictError
from threshold.lado.models import Case, CaseStatus, MonitoringReview, QualityAssurance
from threshold.lado.services.monitoring import (
    case_quality_assure,
    monitoring_complete_review,
    monitoring_schedule_review,
)

TODAY = timezone.localdate


def _events(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(action=action, record_type="case", record_id=str(case.pk)).count()


def _lines(case: Case, text: str) -> int:
    return ChronologyEntry.objects.filter(case=case, text__contains=text).count()


def test_lara_schedules_a_monitoring_review_on_a_tier_2_case(persona, nursery_case: Case) -> None:
    due = TODAY() + dt.timedelta(days=14)
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=due)
    assert review.due_on == due
    assert review.scheduled_by == persona("lara")
    assert _events(nursery_case, "case.monitoring_scheduled") == 1
    assert _lines(nursery_case, f"Monitoring review scheduled for {due:%d/%m/%Y}") == 1


def test_a_review_needs_a_date_that_is_not_in_the_past(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as missing:
        monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=None)
    assert missing.value.message_dict == {"due_on": ["Enter the date of the review"]}
    with pytest.raises(ValidationError) as past:
        monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY() - dt.timedelta(days=1))
    assert "today or in the future" in past.value.message_dict["due_on"][0]
    assert not MonitoringReview.objects.filter(case=nursery_case).exists()


def test_monitoring_reviews_are_for_tier_2_cases(persona, chris_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        monitoring_schedule_review(actor=persona("lara"), case=chris_case, due_on=TODAY())
    assert "Tier 2" in refused.value.message_dict["__all__"][0]


def test_sam_of_southvale_cannot_monitor_a_northshire_case(persona, nursery_case: Case) -> None:
    with pytest.raises(PermissionDenied):
        monitoring_schedule_review(actor=persona("sam"), case=nursery_case, due_on=TODAY())
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    with pytest.raises(PermissionDenied):
        monitoring_complete_review(actor=persona("sam"), review=review, notes="Seen.", expected_version=1)
    with pytest.raises(PermissionDenied):
        case_quality_assure(actor=persona("sam"), case=nursery_case, decision="accepted", reasons="Fine.")


def test_nina_the_employer_cannot_record_the_lados_monitoring(persona, nursery_case: Case) -> None:
    with pytest.raises(PermissionDenied):
        monitoring_schedule_review(actor=persona("nina"), case=nursery_case, due_on=TODAY())


def test_lara_records_a_review_done_with_the_employers_progress(persona, nursery_case: Case) -> None:
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    done = monitoring_complete_review(
        actor=persona("mo"), review=review, notes="Investigation meeting held; outcome due Friday.", expected_version=1
    )
    assert done.done_on == TODAY()
    assert done.done_by == persona("mo")
    assert done.version == 2
    assert _events(nursery_case, "case.monitoring_reviewed") == 1
    assert _lines(nursery_case, "outcome due Friday") == 1


def test_a_review_is_recorded_once_and_a_stale_form_conflicts(persona, nursery_case: Case) -> None:
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    monitoring_complete_review(actor=persona("lara"), review=review, notes="First.", expected_version=1)
    stale = MonitoringReview.objects.get(pk=review.pk)
    with pytest.raises(ConflictError):
        monitoring_complete_review(actor=persona("mo"), review=stale, notes="Second.", expected_version=1)
    with pytest.raises(ValidationError) as again:
        monitoring_complete_review(actor=persona("mo"), review=stale, notes="Second.", expected_version=stale.version)
    assert again.value.message_dict["__all__"] == ["This review has already been recorded"]
    assert MonitoringReview.objects.get(pk=review.pk).notes == "First."
    assert _events(nursery_case, "case.monitoring_reviewed") == 1


def test_a_review_needs_notes_and_a_date_not_in_the_future(persona, nursery_case: Case) -> None:
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    with pytest.raises(ValidationError) as refused:
        monitoring_complete_review(
            actor=persona("lara"), review=review, notes=" ", expected_version=1, done_on=TODAY() + dt.timedelta(1)
        )
    assert set(refused.value.message_dict) == {"notes", "done_on"}
    review.refresh_from_db()
    assert review.done_on is None
    assert review.version == 1


def test_lara_accepts_the_employers_outcome_with_reasons(persona, nursery_case: Case) -> None:
    row = case_quality_assure(
        actor=persona("lara"), case=nursery_case, decision="accepted", reasons="Proportionate and well evidenced."
    )
    assert row.decision == "accepted"
    assert _events(nursery_case, "case.quality_assured") == 1
    assert _lines(nursery_case, "The employer's outcome accepted: Proportionate") == 1


def test_a_challenge_needs_reasons_and_a_known_decision(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        case_quality_assure(actor=persona("lara"), case=nursery_case, decision="shrugged", reasons="")
    assert set(refused.value.message_dict) == {"decision", "reasons"}
    assert not QualityAssurance.objects.filter(case=nursery_case).exists()


def test_the_outcome_is_quality_assured_before_the_case_concludes(persona, nursery_case: Case) -> None:
    Case.objects.filter(pk=nursery_case.pk).update(status=CaseStatus.CONCLUDED)
    nursery_case.refresh_from_db()
    with pytest.raises(ValidationError):
        case_quality_assure(actor=persona("lara"), case=nursery_case, decision="challenged", reasons="Too late.")
    with pytest.raises(ValidationError):
        monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
