"""A case's timescales from the LADO's pack, the overdue filter, and the monthly review of delay past three months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.lado.nursery import open_nursery_case
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.lado.models import Case, CaseStatus, Contact, DelayReview, Meeting
from threshold.lado.selectors import case_deadlines, case_overdue, delay_review_state
from threshold.lado.services.timescales import case_record_delay_review
from threshold.policy import add_months
from threshold.policy.clocks import Clock

TODAY = timezone.localdate
CHRISTMAS_EVE = dt.date(2025, 12, 24)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _received(case: Case, day: dt.date) -> Case:
    """Move the referral's receipt (and the contact's) to ``day``."""
    Case.objects.filter(pk=case.pk).update(received_on=day)
    if case.contact_id:
        Contact.objects.filter(pk=case.contact_id).update(received_at=_at(day))
    case.refresh_from_db()
    return case


def _by_id(case: Case, today: dt.date) -> dict[str, Clock]:
    return {deadline.clock.id: deadline.clock for deadline in case_deadlines(case, today)}


@pytest.fixture
def chris_at_christmas(chris_case: Case) -> Case:
    """Chris's Tier 1 case, as if the referral had reached the LADO on Christmas Eve 2025, with no meeting yet."""
    Meeting.objects.filter(case=chris_case).update(held_at=_at(dt.date(2026, 3, 1)))
    return _received(chris_case, CHRISTMAS_EVE)


def test_a_new_tier_2_case_shows_the_decision_met_and_the_resolution_targets_due(persona, ids) -> None:
    case = open_nursery_case(persona, ids)
    clocks = _by_id(case, TODAY())
    assert list(clocks) == [
        "lado-initial-decision",
        "resolve-target-one-month",
        "resolve-target-three-months",
        "resolve-target-twelve-months",
    ]
    assert clocks["lado-initial-decision"].state == "met"
    assert clocks["lado-initial-decision"].done_on == TODAY()
    assert clocks["resolve-target-three-months"].due == add_months(TODAY(), 3)
    assert clocks["resolve-target-one-month"].state == "due"
    assert not case_overdue(case, TODAY())


def test_a_tier_1_case_waits_for_its_evaluation_meeting_within_five_working_days(chris_at_christmas: Case) -> None:
    # Christmas Eve 2025: 29, 30, 31 Dec, (1 Jan a bank holiday), 2 Jan, 5 Jan.
    meeting = _by_id(chris_at_christmas, dt.date(2026, 1, 5))["evaluation-meeting"]
    assert meeting.due == dt.date(2026, 1, 5)
    assert meeting.state == "due"
    assert _by_id(chris_at_christmas, dt.date(2026, 1, 6))["evaluation-meeting"].state == "overdue"
    assert case_overdue(chris_at_christmas, dt.date(2026, 1, 6))


def test_the_first_strategy_meeting_held_stops_the_evaluation_meeting_clock(chris_at_christmas: Case) -> None:
    Meeting.objects.filter(case=chris_at_christmas).update(held_at=_at(dt.date(2026, 1, 2)))
    meeting = _by_id(chris_at_christmas, dt.date(2026, 1, 20))["evaluation-meeting"]
    assert meeting.state == "met"
    assert meeting.done_on == dt.date(2026, 1, 2)


def test_a_review_meeting_does_not_stop_the_evaluation_meeting_clock(chris_at_christmas: Case) -> None:
    Meeting.objects.filter(case=chris_at_christmas).update(kind="review", held_at=_at(dt.date(2026, 1, 2)))
    assert _by_id(chris_at_christmas, dt.date(2026, 1, 20))["evaluation-meeting"].state == "overdue"


def test_an_allegations_management_meeting_held_stops_the_evaluation_meeting_clock(chris_at_christmas: Case) -> None:
    Meeting.objects.filter(case=chris_at_christmas).update(kind="review", held_at=_at(dt.date(2026, 1, 2)))
    Meeting.objects.create(case=chris_at_christmas, kind="allegations_management", held_at=_at(dt.date(2026, 1, 5)))
    meeting = _by_id(chris_at_christmas, dt.date(2026, 1, 20))["evaluation-meeting"]
    assert meeting.state == "met"
    assert meeting.done_on == dt.date(2026, 1, 5)


def test_a_meeting_booked_for_a_later_day_has_not_stopped_the_clock_yet(chris_at_christmas: Case) -> None:
    meeting = _by_id(chris_at_christmas, dt.date(2026, 1, 20))["evaluation-meeting"]
    assert meeting.state == "overdue"


def test_the_cases_tier_decides_the_clocks_a_tier_2_case_has_no_evaluation_meeting(chris_at_christmas: Case) -> None:
    Case.objects.filter(pk=chris_at_christmas.pk).update(tier="tier-2")
    chris_at_christmas.refresh_from_db()
    assert "evaluation-meeting" not in _by_id(chris_at_christmas, dt.date(2026, 1, 20))


def test_a_concluded_case_is_never_overdue_and_its_targets_are_met_by_the_conclusion(chris_at_christmas: Case) -> None:
    Case.objects.filter(pk=chris_at_christmas.pk).update(
        status=CaseStatus.CONCLUDED, outcome="unfounded", concluded_on=dt.date(2026, 2, 10)
    )
    Meeting.objects.filter(case=chris_at_christmas).update(held_at=_at(dt.date(2026, 7, 1)))
    chris_at_christmas.refresh_from_db()
    clocks = _by_id(chris_at_christmas, dt.date(2026, 6, 1))
    assert clocks["resolve-target-one-month"].state == "met_late"
    assert clocks["resolve-target-three-months"].state == "met"
    assert clocks["evaluation-meeting"].state == "not_met"
    assert not case_overdue(chris_at_christmas, dt.date(2026, 6, 1))


def test_a_southvale_case_under_the_national_pack_has_the_evaluation_meeting_clock_at_tier_2(ids) -> None:
    case = Case.objects.get(pk=ids["case_southvale"])
    assert "evaluation-meeting" in _by_id(case, TODAY())


def test_no_review_of_delay_is_due_before_three_months(persona, ids) -> None:
    case = open_nursery_case(persona, ids)
    assert delay_review_state(case, TODAY()) is None
    with pytest.raises(ValidationError) as refused:
        case_record_delay_review(actor=persona("lara"), case=case, reason="Waiting for the police.")
    assert "past three months" in refused.value.message_dict["__all__"][0]


def test_past_three_months_the_review_of_delay_is_due_and_then_overdue(persona, ids) -> None:
    case = open_nursery_case(persona, ids, received_days_ago=100)
    state = delay_review_state(case, TODAY())
    assert state is not None
    assert state.three_months_on == add_months(case.received_on, 3)
    assert state.due_on == state.three_months_on
    assert state.overdue
    assert case_overdue(case, TODAY())


def test_lara_records_the_reason_for_delay_and_the_next_review_falls_a_month_later(persona, ids) -> None:
    case = open_nursery_case(persona, ids, received_days_ago=100)
    review = case_record_delay_review(actor=persona("lara"), case=case, reason="Awaiting the disciplinary hearing.")
    assert review.reviewed_on == TODAY()
    assert review.next_review_on == add_months(TODAY(), 1)
    state = delay_review_state(case, TODAY())
    assert state is not None
    assert state.due_on == review.next_review_on
    assert not state.overdue
    assert AuditEvent.objects.filter(action="case.delay_reviewed", record_id=str(case.pk)).count() == 1
    assert ChronologyEntry.objects.filter(case=case, text__contains="Awaiting the disciplinary hearing").count() == 1


def test_a_review_of_delay_needs_a_reason_and_a_date_not_in_the_future(persona, ids) -> None:
    case = open_nursery_case(persona, ids, received_days_ago=100)
    with pytest.raises(ValidationError) as refused:
        case_record_delay_review(
            actor=persona("lara"), case=case, reason="", reviewed_on=TODAY() + dt.timedelta(days=1)
        )
    assert set(refused.value.message_dict) == {"reason", "reviewed_on"}
    assert not DelayReview.objects.filter(case=case).exists()


def test_sam_of_southvale_cannot_record_a_review_of_delay_on_a_northshire_case(persona, ids) -> None:
    case = open_nursery_case(persona, ids, received_days_ago=100)
    with pytest.raises(PermissionDenied):
        case_record_delay_review(actor=persona("sam"), case=case, reason="Not mine.")
