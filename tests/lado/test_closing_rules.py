"""What stops a LADO case closing too early, and what a concluded case does to its deadlines.

A Tier 1 case concludes once a strategy meeting or a LADO-chaired meeting was held, or with the reason none
was ("In Tier 1 cases a Strategy Meeting, or a meeting convened by the LADO will be held"); a Tier 2 case once
the LADO has accepted the employer's outcome (a challenge resolved by accepting the revised outcome), or with the
reason it concludes without. A meeting dated before the referral was received is refused. At conclusion the
resolution targets are met or stop; a step nobody recorded stays open until a person closes it with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.lado.nursery import accept_employers_outcome, lara_decides, not_known_reasons, refer_nursery_allegation
from threshold.chronology.models import ChronologyEntry
from threshold.lado.models import Case, CaseStatus, Conclusion, MeetingKind
from threshold.lado.services.conclusion import case_close, case_conclude
from threshold.lado.services.meetings import meeting_record, meeting_update
from threshold.lado.services.monitoring import case_quality_assure, monitoring_schedule_review
from threshold.timescales.models import Deadline, DeadlineState

LONDON = ZoneInfo("Europe/London")
BEFORE_EASTER = dt.date(2027, 3, 24)
AFTER_EASTER = dt.date(2027, 4, 6)
NO_MEETING = "Record the strategy meeting or LADO-chaired meeting held, or enter why no meeting was held"
NO_QA = "Quality assure the employer's outcome, or enter why the case concludes without it"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def _travel(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(_at(day, hour), tick=False)


def _case(persona, ids, level: str) -> Case:
    """Little Acorns refers Nell to Northshire on the Wednesday before Easter 2027; Lara decides ``level``."""
    with _travel(BEFORE_EASTER):
        return lara_decides(persona, refer_nursery_allegation(persona, ids), level)


@pytest.fixture
def tier_1(persona, ids) -> Case:
    return _case(persona, ids, "tier-1")


@pytest.fixture
def tier_2(persona, ids) -> Case:
    return _case(persona, ids, "tier-2")


def _conclude(persona, case: Case, **overrides: Any) -> Conclusion:
    case.refresh_from_db()
    values: dict[str, Any] = {
        "outcome": "unsubstantiated",
        "concluded_on": AFTER_EASTER,
        "summary": "Insufficient evidence either way.",
        "lessons": "",
        "referrals": [
            {"body": "dbs", "referred": False, "explanation": "Not removed from regulated activity."},
            {"body": "ofsted", "referred": False, "explanation": "The nursery notified Ofsted itself."},
        ],
        "expected_version": case.version,
        "missing_reasons": not_known_reasons(case),
        **overrides,
    }
    with _travel(AFTER_EASTER):
        return case_conclude(actor=persona("lara"), case=case, **values)


def _meeting(persona, case: Case, kind: str, day: dt.date) -> None:
    with _travel(BEFORE_EASTER, hour=16):
        meeting_record(
            actor=persona("lara"),
            case=case,
            kind=kind,
            held_at=_at(day, 11),
            chair_name="Cara Csc",
            chair_agency="Northshire Children's Social Care",
        )


def _row(case: Case, kind: str, key: str = "") -> Deadline:
    return Deadline.objects.get(case=case, kind=kind, key=key)


# ---------------------------------------------------------------- Tier 1: a meeting, or why none


def test_a_tier_1_case_without_a_meeting_cannot_be_concluded(persona, tier_1: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, tier_1)
    assert refused.value.message_dict == {"no_meeting_reason": [NO_MEETING]}
    tier_1.refresh_from_db()
    assert tier_1.status == CaseStatus.OPEN


def test_a_review_meeting_alone_is_not_the_meeting_the_protocol_asks_for(persona, tier_1: Case) -> None:
    _meeting(persona, tier_1, MeetingKind.REVIEW, dt.date(2027, 3, 24))
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, tier_1)
    assert "no_meeting_reason" in refused.value.message_dict


def test_a_meeting_booked_for_after_the_conclusion_has_not_been_held(persona, tier_1: Case) -> None:
    _meeting(persona, tier_1, MeetingKind.STRATEGY, dt.date(2027, 4, 20))
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, tier_1)
    assert "no_meeting_reason" in refused.value.message_dict


@pytest.mark.parametrize("kind", [MeetingKind.STRATEGY, MeetingKind.ALLEGATIONS_MANAGEMENT])
def test_a_tier_1_case_concludes_once_a_strategy_or_lado_chaired_meeting_was_held(persona, tier_1, kind) -> None:
    _meeting(persona, tier_1, kind, dt.date(2027, 3, 24))
    conclusion = _conclude(persona, tier_1)
    assert conclusion.no_meeting_reason == ""
    assert _row(tier_1, "evaluation-meeting").state == DeadlineState.MET


def test_a_tier_1_case_concludes_without_a_meeting_when_lara_records_why(persona, tier_1: Case) -> None:
    why = "The police charged the adult the same day; the partners agreed by phone that no meeting was needed."
    conclusion = _conclude(persona, tier_1, no_meeting_reason=why)
    assert conclusion.no_meeting_reason == why
    assert ChronologyEntry.objects.filter(case=tier_1, text__contains="no meeting was needed").exists()
    # The evaluation meeting was not silently "not needed": it stopped for the reason the conclusion records.
    row = _row(tier_1, "evaluation-meeting")
    assert row.state == DeadlineState.STOPPED
    assert row.reason == "The conclusion records why no strategy or LADO-chaired meeting was held"
    assert why not in row.reason


# ---------------------------------------------------------------- Tier 2: quality assurance, or why not


def test_a_tier_2_case_cannot_be_concluded_before_the_employers_outcome_is_quality_assured(
    persona, tier_2: Case
) -> None:
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, tier_2)
    assert refused.value.message_dict == {"no_quality_assurance_reason": [NO_QA]}


def test_a_challenged_outcome_stops_the_conclusion_until_the_challenge_is_resolved(persona, tier_2: Case) -> None:
    with _travel(dt.date(2027, 3, 30)):
        case_quality_assure(actor=persona("lara"), case=tier_2, decision="challenged", reasons="Ask the parents.")
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, tier_2)
    assert refused.value.message_dict["no_quality_assurance_reason"] == [
        "Record that the challenge to the employer's outcome is resolved, or enter why the case concludes without it"
    ]
    with _travel(dt.date(2027, 4, 1)):
        accept_employers_outcome(persona, tier_2)
    assert _conclude(persona, tier_2).no_quality_assurance_reason == ""


def test_a_tier_2_case_concludes_without_quality_assurance_when_lara_records_why(persona, tier_2: Case) -> None:
    why = "The nursery closed and its records went with it."
    assert _conclude(persona, tier_2, no_quality_assurance_reason=why).no_quality_assurance_reason == why


def test_a_reason_given_when_none_is_needed_is_not_kept(persona, tier_2: Case) -> None:
    accept_employers_outcome(persona, tier_2)
    conclusion = _conclude(persona, tier_2, no_quality_assurance_reason="Not needed.", no_meeting_reason="Nor this.")
    assert (conclusion.no_quality_assurance_reason, conclusion.no_meeting_reason) == ("", "")


# ---------------------------------------------------------------- meetings before the referral


def test_a_meeting_dated_before_the_referral_was_received_is_refused(persona, tier_1: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _meeting(persona, tier_1, MeetingKind.STRATEGY, dt.date(2027, 3, 23))
    assert refused.value.message_dict == {
        "held_at": ["The date of the meeting must be on or after the date the referral was received, 24 March 2027"]
    }
    assert not tier_1.meetings.exists()


def test_the_meeting_page_shows_the_refusal_beside_the_date(signed_in, tier_1: Case) -> None:
    with _travel(BEFORE_EASTER, hour=16):
        page = signed_in("lara").post(
            reverse("meeting_new", args=[tier_1.pk]),
            {
                "kind": "strategy",
                "held_on_day": "23",
                "held_on_month": "3",
                "held_on_year": "2027",
                "held_time": "10:30am",
                "chair_name": "Cara Csc",
                "chair_agency": "Northshire Children's Social Care",
            },
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_held_on_day">The date of the meeting must be on or after' in html
    beside = html.split('id="held_on-date-error"', 1)[1].split("</p>", 1)[0]
    assert "must be on or after the date the referral was received, 24 March 2027" in beside


# ---------------------------------------------------------------- the conclusion page


def test_the_conclusion_page_asks_why_no_meeting_only_when_none_was_held(persona, signed_in, tier_1: Case) -> None:
    url = reverse("case_conclusion", args=[tier_1.pk])
    with _travel(AFTER_EASTER):
        client = signed_in("lara")
        asked = client.get(url).content.decode()
        refused = client.post(
            url,
            {
                "version": tier_1.version,
                "outcome": "unsubstantiated",
                "concluded_on_day": "6",
                "concluded_on_month": "4",
                "concluded_on_year": "2027",
                "summary": "Insufficient evidence either way.",
                "dbs_referred": "no",
                "dbs_explanation": "Not removed.",
                "ofsted_referred": "no",
                "ofsted_explanation": "Notified by the nursery.",
            },
        )
    assert 'name="no_meeting_reason"' in asked
    assert "In Tier 1 cases a Strategy Meeting, or a meeting convened by the LADO will be held" in asked
    assert 'name="no_quality_assurance_reason"' not in asked
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "There is a problem" in html
    assert NO_MEETING in html
    beside = html.split('id="id_no_meeting_reason-error"', 1)[1].split("</p>", 1)[0]
    assert NO_MEETING in beside
    _meeting(persona, tier_1, MeetingKind.STRATEGY, dt.date(2027, 3, 25))
    with _travel(AFTER_EASTER):
        again = signed_in("lara").get(url).content.decode()
    assert 'name="no_meeting_reason"' not in again


def test_the_conclusion_page_asks_a_tier_2_case_why_the_outcome_was_not_accepted(signed_in, tier_2: Case) -> None:
    with _travel(AFTER_EASTER):
        html = signed_in("lara").get(reverse("case_conclusion", args=[tier_2.pk])).content.decode()
    assert 'name="no_quality_assurance_reason"' in html
    assert reverse("case_quality_assurance", args=[tier_2.pk]) in html
    assert 'name="no_meeting_reason"' not in html


# ---------------------------------------------------------------- the rows of a concluded case


def test_concluding_meets_the_resolution_targets_and_leaves_an_unrecorded_step_open(persona, tier_2: Case) -> None:
    with _travel(BEFORE_EASTER, hour=15):
        review = monitoring_schedule_review(actor=persona("lara"), case=tier_2, due_on=dt.date(2027, 3, 31))
    accept_employers_outcome(persona, tier_2)
    _conclude(persona, tier_2)
    one_month = _row(tier_2, "resolve-target-one-month")
    assert (one_month.state, one_month.met_on, one_month.due_on) == (
        DeadlineState.MET,
        AFTER_EASTER,
        dt.date(2027, 4, 24),
    )
    assert _row(tier_2, "resolve-target-twelve-months").state == DeadlineState.MET
    # The monitoring review nobody recorded is not marked "not needed": it stays open for a person to close.
    missed = _row(tier_2, "monitoring-review", f"review-{review.pk}")
    assert missed.state == DeadlineState.OPEN
    assert missed.status_on(AFTER_EASTER) == "overdue"
    # The review of delay was for an open case past three months: concluded first, it never fell due.
    delay = _row(tier_2, "delay-review", "2027-06-24")
    assert (delay.state, delay.reason) == (
        DeadlineState.STOPPED,
        "Case concluded before the review of delay fell due",
    )
    tier_2.refresh_from_db()
    with _travel(AFTER_EASTER, hour=12):
        case_close(actor=persona("lara"), case=tier_2, expected_version=tier_2.version)
    missed.refresh_from_db()
    assert missed.state == DeadlineState.OPEN
    assert Case.objects.get(pk=tier_2.pk).status == CaseStatus.CLOSED


def test_a_meeting_moved_to_before_the_referral_is_refused(persona, tier_1: Case) -> None:
    _meeting(persona, tier_1, MeetingKind.STRATEGY, dt.date(2027, 3, 25))
    meeting = tier_1.meetings.get()
    with _travel(BEFORE_EASTER, hour=17), pytest.raises(ValidationError) as refused:
        meeting_update(
            actor=persona("lara"),
            meeting=meeting,
            kind=meeting.kind,
            held_at=_at(dt.date(2027, 3, 22), 11),
            chair_name=meeting.chair_name,
            chair_agency=meeting.chair_agency,
            expected_version=meeting.version,
        )
    assert list(refused.value.message_dict) == ["held_at"]
    meeting.refresh_from_db()
    assert timezone.localdate(meeting.held_at) == dt.date(2027, 3, 25)


def test_the_case_page_lists_what_is_still_to_do_from_the_rows(persona, signed_in, tier_2: Case) -> None:
    with _travel(BEFORE_EASTER, hour=15):
        monitoring_schedule_review(actor=persona("lara"), case=tier_2, due_on=dt.date(2027, 3, 31))
    with _travel(AFTER_EASTER):
        html = signed_in("lara").get(reverse("case_detail", args=[tier_2.pk])).content.decode()
    still = html.split('id="open-deadlines"', 1)[1].split("</table>", 1)[0]
    assert "Monitoring review" in still
    assert "31 March 2027" in still
    assert "Overdue" in still
    # A step may be closed by a person, with a reason, on the timescales app's page the row links to.
    close = reverse("deadline_close", args=[Deadline.objects.get(case=tier_2, kind="monitoring-review").pk])
    assert close in still
