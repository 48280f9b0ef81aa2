"""The clocks on a case: timescales at the level the LADO decided, met or overdue, and the monthly review of delay.

Expected dates were counted on a calendar with the England and Wales bank
holidays of the year written out beside them.
"""

from __future__ import annotations

from datetime import date

import pytest

from threshold.policy import get_pack
from threshold.policy.clocks import (
    ClockState,
    clock,
    delay_review_due,
    level_rank,
    next_delay_review,
    timescales_at_level,
)

CASE_CLOCKS = (
    "lado-initial-decision",
    "evaluation-meeting",
    "resolve-target-one-month",
    "resolve-target-three-months",
    "resolve-target-twelve-months",
)


def _timescale(pack_id: str, timescale_id: str):
    return next(timescale for timescale in get_pack(pack_id).timescales if timescale.id == timescale_id)


def test_a_tier_2_case_under_the_bedford_luton_protocol_has_no_evaluation_meeting_clock() -> None:
    ids = [t.id for t in timescales_at_level(get_pack("bedford-luton-lado"), "tier-2", ids=CASE_CLOCKS)]
    assert ids == [
        "lado-initial-decision",
        "resolve-target-one-month",
        "resolve-target-three-months",
        "resolve-target-twelve-months",
    ]


def test_a_tier_1_case_under_the_bedford_luton_protocol_holds_a_meeting_within_five_working_days() -> None:
    ids = [t.id for t in timescales_at_level(get_pack("bedford-luton-lado"), "tier-1", ids=CASE_CLOCKS)]
    assert ids == list(CASE_CLOCKS)


def test_a_consultation_has_only_the_initial_decision_clock() -> None:
    ids = [t.id for t in timescales_at_level(get_pack("bedford-luton-lado"), "consultation", ids=CASE_CLOCKS)]
    assert ids == ["lado-initial-decision"]


def test_a_tier_named_by_a_pack_that_has_no_tiers_counts_as_an_allegation_that_meets_the_harm_threshold() -> None:
    kcsie = get_pack("kcsie")
    assert level_rank(kcsie, "tier-2") == kcsie.level("allegation").rank
    ids = [t.id for t in timescales_at_level(kcsie, "tier-2", ids=CASE_CLOCKS)]
    assert ids == list(CASE_CLOCKS)


def test_the_level_decided_not_the_engines_advice_decides_which_clocks_run() -> None:
    # An override from Tier 1 advice down to Tier 2 drops the evaluation meeting clock.
    pack = get_pack("bedford-luton-lado")
    assert "evaluation-meeting" not in [t.id for t in timescales_at_level(pack, "tier-2")]
    assert "evaluation-meeting" in [t.id for t in timescales_at_level(pack, "tier-1")]


def test_the_initial_decision_on_a_contact_received_the_thursday_before_easter_is_due_on_the_tuesday() -> None:
    # Good Friday 3 Apr 2026 and Easter Monday 6 Apr 2026 are bank holidays in England.
    initial = _timescale("bedford-luton-lado", "lado-initial-decision")
    result = clock(initial, start=date(2026, 4, 2), done_on=None, today=date(2026, 4, 3))
    assert result.due == date(2026, 4, 7)
    assert result.state is ClockState.DUE
    assert result.counting == "1 working day"


def test_the_evaluation_meeting_within_five_working_days_skips_christmas_and_new_year() -> None:
    # Wed 24 Dec 2025: 29, 30, 31 Dec, (Thu 1 Jan holiday), Fri 2 Jan, Mon 5 Jan.
    meeting = _timescale("bedford-luton-lado", "evaluation-meeting")
    result = clock(meeting, start=date(2025, 12, 24), done_on=None, today=date(2026, 1, 6))
    assert result.due == date(2026, 1, 5)
    assert result.state is ClockState.OVERDUE
    assert result.overdue


def test_a_meeting_held_on_the_due_date_meets_the_clock_and_one_held_later_meets_it_late() -> None:
    meeting = _timescale("bedford-luton-lado", "evaluation-meeting")
    on_time = clock(meeting, start=date(2025, 12, 24), done_on=date(2026, 1, 5), today=date(2026, 2, 1))
    late = clock(meeting, start=date(2025, 12, 24), done_on=date(2026, 1, 6), today=date(2026, 2, 1))
    assert on_time.state is ClockState.MET
    assert late.state is ClockState.MET_LATE
    assert not late.overdue


def test_the_three_month_target_from_the_last_day_of_november_falls_on_the_last_day_of_february() -> None:
    three = _timescale("bedford-luton-lado", "resolve-target-three-months")
    assert clock(three, start=date(2025, 11, 30), done_on=None, today=date(2025, 12, 1)).due == date(2026, 2, 28)


def test_a_case_that_ended_without_what_a_clock_waited_for_did_not_meet_it_and_is_not_overdue() -> None:
    meeting = _timescale("bedford-luton-lado", "evaluation-meeting")
    result = clock(meeting, start=date(2026, 1, 5), done_on=None, today=date(2026, 6, 1), running=False)
    assert result.state is ClockState.NOT_MET
    assert not result.overdue


@pytest.mark.parametrize(
    ("reviewed_on", "next_on"),
    [
        (date(2026, 4, 15), date(2026, 5, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the earlier reading is the safe one
        (date(2026, 12, 10), date(2027, 1, 10)),
    ],
)
def test_a_review_of_delay_is_repeated_a_calendar_month_later(reviewed_on: date, next_on: date) -> None:
    assert next_delay_review(reviewed_on) == next_on


def test_the_first_review_of_delay_is_due_at_three_months_and_each_later_one_when_the_last_review_set_it() -> None:
    assert delay_review_due(three_months_on=date(2026, 4, 1), last_next_review_on=None) == date(2026, 4, 1)
    assert delay_review_due(three_months_on=date(2026, 4, 1), last_next_review_on=date(2026, 5, 20)) == date(
        2026, 5, 20
    )
