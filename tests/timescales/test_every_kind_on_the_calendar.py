"""The clocks no other test stands on a holiday: each written by its real service, with the clock frozen.

Issue 12 asks for every deadline kind across Christmas 2026, Easter 2027 and the late May bank holiday
2027. Most kinds are covered where their service is tested (tests/timescales/test_employer_deadlines.py,
tests/lado/test_deadline_rows.py); these are the rest. Each of them is a date a person chose or the day
of the outcome, so the holiday must NOT move it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from tests.lado.nursery import open_nursery_case
from tests.timescales.test_employer_deadlines import _conclude, _open, _risk, _rows, on, supply_worker_removed
from threshold.allegations import services
from threshold.allegations.checklist import not_recorded_kind
from threshold.allegations.models import Step
from threshold.lado.services.requests import information_request
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")

CHRISTMAS_EVE = dt.date(2026, 12, 24)  # a Thursday: Christmas Day, the weekend and Boxing Day's Monday follow
EASTER_THURSDAY = dt.date(2027, 3, 25)  # the day before Good Friday
GOOD_FRIDAY = dt.date(2027, 3, 26)
EASTER_MONDAY = dt.date(2027, 3, 29)
LATE_MAY_BANK_HOLIDAY = dt.date(2027, 5, 31)


def test_the_steps_nobody_recorded_and_the_referrals_fall_due_on_an_outcome_given_on_christmas_eve(
    persona, records
) -> None:
    allegation = _open(persona, records, dt.date(2026, 12, 14))
    _conclude(persona, allegation, CHRISTMAS_EVE)
    rows = _rows(allegation)
    not_recorded = {kind: row for kind, row in rows.items() if kind.startswith("step-")}
    assert not_recorded_kind(Step.BASIC_ENQUIRIES) in not_recorded
    # Due the day of the outcome, not carried past Christmas Day and the Boxing Day holiday.
    assert {(row.due_on, row.state) for row in not_recorded.values()} == {(CHRISTMAS_EVE, DeadlineState.OPEN)}
    referrals = {kind: row for kind, row in rows.items() if kind in {"dbs-referral", "tra-referral"}}
    assert "dbs-referral" in referrals
    assert {(row.due_on, row.state, row.owner) for row in referrals.values()} == {
        (CHRISTMAS_EVE, DeadlineState.OPEN, persona("hana"))
    }
    # On the first working day after the holidays they are overdue.
    assert {row.status_on(dt.date(2026, 12, 29)) for row in [*not_recorded.values(), *referrals.values()]} == {
        "overdue"
    }


def test_a_teachers_tra_referral_advised_at_an_outcome_before_easter_is_due_that_day_not_after_easter_monday(
    persona, records
) -> None:
    allegation = _open(persona, records, dt.date(2027, 3, 1))
    with on(dt.date(2027, 3, 1)):
        services.allegation_update(
            actor=persona("hana"),
            allegation=allegation,
            expected_version=allegation.version,
            came_to_attention_on=allegation.came_to_attention_on,
            subject_employment=allegation.subject_employment,
            agency=None,
            subject_is_teacher=True,
            accused_by_pupil=False,
            reporting_restriction_ended_on=None,
            interim_prohibition_order=False,
        )
    allegation.refresh_from_db()
    _conclude(persona, allegation, EASTER_THURSDAY)
    tra = _rows(allegation)["tra-referral"]
    assert (tra.due_on, tra.state, tra.label) == (
        EASTER_THURSDAY,
        DeadlineState.OPEN,
        "TRA referral, or why none is made",
    )
    assert tra.status_on(GOOD_FRIDAY) == "overdue"


def test_a_risk_assessment_review_agreed_for_easter_monday_stays_on_easter_monday(persona, records) -> None:
    allegation = _open(persona, records, dt.date(2027, 3, 22))
    _risk(persona, allegation, EASTER_THURSDAY, review_on=EASTER_MONDAY)
    review = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="risk-assessment-review")
    # The date agreed in the assessment is a calendar date: the bank holiday does not move it.
    assert (review.due_on, review.state, review.owner) == (EASTER_MONDAY, DeadlineState.OPEN, persona("hana"))
    assert review.status_on(GOOD_FRIDAY) == "week"
    assert review.status_on(dt.date(2027, 3, 30)) == "overdue"


def test_a_request_for_information_due_on_the_late_may_bank_holiday_is_stored_for_that_day(persona, records) -> None:
    with on(dt.date(2027, 5, 17)):
        case = open_nursery_case(persona, records)
        request = information_request(
            actor=persona("lara"),
            case=case,
            what="Please send the staff rota for that morning.",
            due_on=LATE_MAY_BANK_HOLIDAY,
            chase_every_days=3,
            chase_limit=3,
        )
    row = Deadline.objects.get(kind="information-request", allegation=request.allegation)
    assert (row.due_on, row.state, row.owner) == (LATE_MAY_BANK_HOLIDAY, DeadlineState.OPEN, persona("nina"))
    assert row.status_on(dt.date(2027, 5, 28)) == "week"
    assert row.status_on(dt.date(2027, 6, 1)) == "overdue"


def test_a_request_for_information_asked_on_christmas_eve_keeps_the_date_asked(persona, records) -> None:
    with on(CHRISTMAS_EVE):
        case = open_nursery_case(persona, records)
        request = information_request(
            actor=persona("lara"),
            case=case,
            what="Please send the staff rota for that morning.",
            due_on=dt.date(2026, 12, 31),
            chase_every_days=3,
            chase_limit=3,
        )
    row = Deadline.objects.get(kind="information-request", allegation=request.allegation)
    assert (row.due_on, row.reference) == (dt.date(2026, 12, 31), request.allegation.reference)


def test_a_nursery_case_opened_on_christmas_eve_counts_ofsted_and_its_targets_in_calendar_days_and_months(
    persona, records
) -> None:
    with on(CHRISTMAS_EVE):
        case = open_nursery_case(persona, records)
    rows = {row.kind: row for row in Deadline.objects.filter(case=case, key="")}
    # Fourteen calendar days and one calendar month: Christmas and New Year move neither.
    assert rows["ofsted-notification"].due_on == dt.date(2027, 1, 7)
    assert rows["resolve-target-one-month"].due_on == dt.date(2027, 1, 24)
    assert rows["lado-initial-decision"].met_on == CHRISTMAS_EVE


def test_a_supply_workers_cover_after_a_removal_on_good_friday_is_due_48_hours_later_on_easter_sunday(
    persona, records
) -> None:
    allegation = supply_worker_removed(persona, records, GOOD_FRIDAY)
    cover = _rows(allegation)["replacement-cover"]
    # Hours, not working days: neither Good Friday nor Easter Monday moves it (the clocks go forward
    # at 1am on Easter Sunday, after it fell due).
    assert (cover.due_at, cover.due_on, cover.state) == (
        dt.datetime(2027, 3, 28, 0, 0, tzinfo=LONDON),
        dt.date(2027, 3, 28),
        DeadlineState.OPEN,
    )


def test_the_lessons_review_of_a_case_concluded_on_the_late_may_bank_holiday_is_due_that_day(persona, records) -> None:
    allegation = _open(persona, records, dt.date(2027, 5, 24))
    with on(dt.date(2027, 5, 24)):
        services.step_record(
            actor=persona("hana"), allegation=allegation, step=Step.DISCUSS_WITH_LADO,
            done_on=dt.date(2027, 5, 24), decision="Agreed with the LADO: investigate.", route="investigation",
        )  # fmt: skip
    _conclude(persona, allegation, LATE_MAY_BANK_HOLIDAY, outcome="unsubstantiated")
    review = _rows(allegation)["lessons-review"]
    # Section 11's review falls due the day of the outcome, holiday or not, and is overdue the day after.
    assert (review.due_on, review.state) == (LATE_MAY_BANK_HOLIDAY, DeadlineState.OPEN)
    assert review.status_on(dt.date(2027, 6, 1)) == "overdue"
