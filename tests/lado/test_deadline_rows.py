"""Every LADO-side deadline is a stored row, written by the service that changed what it depends on.

The contact's one working day for advice or a decision, the case's clocks from the pack, the reviews of delay,
Tier 2 monitoring reviews, meeting actions and Ofsted for an early years employer: each is a ``Deadline`` row
with its due date counted over England's bank holidays (Christmas 2026, Easter 2027, the late May bank holiday
2027), met when it is done, and read by the case lists in one query however many cases there are.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.lado.deadline_helpers import NAMES, deadline_rows, phone_contact
from tests.lado.nursery import lara_decides, refer_nursery_allegation
from threshold.lado.models import Case, Contact, MeetingKind
from threshold.lado.selectors import case_overdue
from threshold.lado.services.case_agencies import case_record_body_referral
from threshold.lado.services.case_allocation import case_change_tier, case_reassign
from threshold.lado.services.contact_allocation import contact_allocate
from threshold.lado.services.contacts import contact_record_advice
from threshold.lado.services.meetings import (
    meeting_add_action,
    meeting_complete_action,
    meeting_record,
    meeting_update,
)
from threshold.lado.services.monitoring import monitoring_complete_review, monitoring_schedule_review
from threshold.lado.services.timescales import case_record_delay_review
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list

LONDON = ZoneInfo("Europe/London")
CHRISTMAS_EVE = dt.date(2026, 12, 24)  # a Thursday: Christmas Day, then Boxing Day's Monday substitute
BEFORE_EASTER = dt.date(2027, 3, 24)  # the Wednesday before Good Friday (26 March) and Easter Monday (29 March)
BEFORE_LATE_MAY = dt.date(2027, 5, 28)  # the Friday before the late May bank holiday (31 May)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def _travel(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(_at(day, hour), tick=False)


def _row(record: Case | Contact, kind: str, key: str = "") -> Deadline:
    return deadline_rows(record)[(kind, key)]


def _nursery_case(persona, ids, level: str) -> Case:
    """Little Acorns refers Nell to Northshire now; Lara decides ``level``."""
    return lara_decides(persona, refer_nursery_allegation(persona, ids), level)


# ---------------------------------------------------------------- the contact


def test_a_contact_received_on_christmas_eve_is_due_after_the_bank_holidays_and_met_by_the_advice(
    persona, northshire
) -> None:
    with _travel(CHRISTMAS_EVE):
        contact = phone_contact(persona, northshire)
    row = _row(contact, "lado-initial-decision")
    # Christmas Day (Friday) and Boxing Day's substitute (Monday 28 December) are not working days.
    assert row.due_on == dt.date(2026, 12, 29)
    assert row.state == DeadlineState.OPEN
    assert row.owner is None  # nobody holds it yet: it falls to whoever picks it up
    assert row.label == "Advice or initial decision"
    assert row.reference == contact.reference
    with _travel(dt.date(2026, 12, 29), hour=9):
        contact_record_advice(
            actor=persona("lara"), contact=contact, advice="Speak to the school.", expected_version=contact.version
        )
    row.refresh_from_db()
    assert row.state == DeadlineState.MET
    assert row.met_on == dt.date(2026, 12, 29)


def test_the_manager_allocating_a_contact_makes_its_clock_the_lados(persona, northshire) -> None:
    contact = phone_contact(persona, northshire)
    contact_allocate(actor=persona("mo"), contact=contact, lado=persona("lara"), expected_version=contact.version)
    assert _row(contact, "lado-initial-decision").owner == persona("lara")


def test_a_decision_meets_the_contacts_clock(persona, northshire) -> None:
    with _travel(BEFORE_LATE_MAY):
        contact = phone_contact(persona, northshire)
    # Friday 28 May 2027: the next working day is Tuesday 1 June, after the late May bank holiday.
    assert _row(contact, "lado-initial-decision").due_on == dt.date(2027, 6, 1)
    with _travel(dt.date(2027, 6, 2)):
        contact.refresh_from_db()
        lara_decides(persona, contact, "tier-2")
    row = _row(contact, "lado-initial-decision")
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 6, 2))


# ---------------------------------------------------------------- the case's clocks


def test_a_tier_1_case_opened_before_easter_has_each_clock_as_a_row_owned_by_its_lado(persona, ids) -> None:
    with _travel(BEFORE_EASTER):
        case = _nursery_case(persona, ids, "tier-1")
    rows = deadline_rows(case)
    # 25, 30, 31 March, 1 and 2 April: Good Friday and Easter Monday are skipped.
    assert rows[("evaluation-meeting", "")].due_on == dt.date(2027, 4, 2)
    assert rows[("evaluation-meeting", "")].state == DeadlineState.OPEN
    assert rows[("lado-initial-decision", "")].state == DeadlineState.MET
    assert rows[("lado-initial-decision", "")].met_on == BEFORE_EASTER
    assert rows[("resolve-target-one-month", "")].due_on == dt.date(2027, 4, 24)
    assert rows[("resolve-target-three-months", "")].due_on == dt.date(2027, 6, 24)
    assert rows[("resolve-target-twelve-months", "")].due_on == dt.date(2028, 3, 24)
    # The review of delay is a row from the start, due at three months.
    assert rows[("delay-review", "2027-06-24")].state == DeadlineState.OPEN
    # Little Acorns is an early years setting: Ofsted within 14 days.
    assert rows[("ofsted-notification", "")].due_on == dt.date(2027, 4, 7)
    assert {row.owner for row in rows.values()} == {persona("lara")}
    assert {row.organisation.name for row in rows.values()} == {"Northshire Council"}
    assert {row.reference for row in rows.values()} == {case.reference}
    # Lara's work list reads the rows; Mo's own list holds none of them (they are Lara's).
    with _travel(dt.date(2027, 3, 30)):
        assert "Evaluation meeting" in [item.deadline.label for item in work_list(persona("lara"))["week"]]
        theirs = [item for items in work_list(persona("mo")).values() for item in items]
        assert not [item for item in theirs if item.deadline.case_id == case.pk]


def test_a_strategy_meeting_held_meets_the_evaluation_meeting_clock(persona, ids) -> None:
    with _travel(BEFORE_EASTER):
        case = _nursery_case(persona, ids, "tier-1")
    with _travel(dt.date(2027, 4, 1), hour=15):
        meeting_record(
            actor=persona("lara"),
            case=case,
            kind=MeetingKind.STRATEGY,
            held_at=_at(dt.date(2027, 4, 1), 11),
            chair_name="Cara Csc",
            chair_agency="Northshire Children's Social Care",
        )
    row = _row(case, "evaluation-meeting")
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 4, 1))


def test_a_meeting_booked_in_time_counts_from_its_day_and_one_booked_late_leaves_the_clock_overdue(
    persona, ids
) -> None:
    with _travel(BEFORE_EASTER):
        case = _nursery_case(persona, ids, "tier-1")
        meeting = meeting_record(
            actor=persona("lara"),
            case=case,
            kind=MeetingKind.ALLEGATIONS_MANAGEMENT,
            held_at=_at(dt.date(2027, 4, 6), 11),
            chair_name="Lara Lado",
            chair_agency="Northshire LADO service",
        )
    # Booked for Tuesday 6 April, after the clock's 2 April: still open, overdue from 3 April.
    row = _row(case, "evaluation-meeting")
    assert row.state == DeadlineState.OPEN
    assert row.status_on(dt.date(2027, 4, 3)) == "overdue"
    with _travel(BEFORE_EASTER, hour=12):
        meeting_update(
            actor=persona("lara"),
            meeting=meeting,
            kind=meeting.kind,
            held_at=_at(dt.date(2027, 3, 31), 11),
            chair_name=meeting.chair_name,
            chair_agency=meeting.chair_agency,
            expected_version=meeting.version,
        )
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 3, 31))


def test_moving_a_case_to_tier_1_adds_the_evaluation_meeting_and_reassigning_moves_every_row(persona, ids) -> None:
    with _travel(BEFORE_LATE_MAY):
        case = _nursery_case(persona, ids, "tier-2")
        assert ("evaluation-meeting", "") not in deadline_rows(case)
        case_change_tier(
            actor=persona("lara"),
            case=case,
            tier="tier-1",
            reason="A second child has come forward.",
            expected_version=case.version,
        )
    # 1, 2, 3, 4 and 7 June: the late May bank holiday is skipped.
    assert _row(case, "evaluation-meeting").due_on == dt.date(2027, 6, 7)
    case.refresh_from_db()
    case_reassign(actor=persona("mo"), case=case, lado=persona("mo"), expected_version=case.version)
    assert {row.owner for row in deadline_rows(case).values()} == {persona("mo")}


def test_a_referral_to_ofsted_meets_the_early_years_clock(persona, ids) -> None:
    case = _nursery_case(persona, ids, "tier-2")
    case_record_body_referral(
        actor=persona("lara"),
        case=case,
        body="ofsted",
        referred=True,
        referred_on=timezone.localdate(),
        expected_version=case.version,
    )
    row = _row(case, "ofsted-notification")
    assert (row.state, row.met_on) == (DeadlineState.MET, timezone.localdate())


# ---------------------------------------------------------------- steps: reviews and actions


def test_each_review_of_delay_is_a_met_row_and_the_next_falls_a_month_later(persona, ids) -> None:
    with _travel(dt.date(2026, 12, 23)):
        case = _nursery_case(persona, ids, "tier-2")
    assert _row(case, "delay-review", "2027-03-23").state == DeadlineState.OPEN
    with _travel(dt.date(2027, 3, 26)):  # Good Friday: the review is recorded late
        case_record_delay_review(actor=persona("lara"), case=case, reason="Waiting for the police interview.")
    done = _row(case, "delay-review", "2027-03-23")
    assert (done.state, done.met_on) == (DeadlineState.MET, dt.date(2027, 3, 26))
    following = _row(case, "delay-review", "2027-04-26")
    assert (following.state, following.due_on, following.label) == (
        DeadlineState.OPEN,
        dt.date(2027, 4, 26),
        "Review of delay",
    )


def test_a_monitoring_review_is_a_row_met_when_recorded(persona, ids) -> None:
    with _travel(BEFORE_LATE_MAY):
        case = _nursery_case(persona, ids, "tier-2")
        review = monitoring_schedule_review(actor=persona("lara"), case=case, due_on=dt.date(2027, 6, 1))
    row = _row(case, "monitoring-review", f"review-{review.pk}")
    assert (row.state, row.due_on, row.label) == (DeadlineState.OPEN, dt.date(2027, 6, 1), "Monitoring review")
    with _travel(dt.date(2027, 6, 1)):
        monitoring_complete_review(
            actor=persona("lara"), review=review, notes="The nursery has interviewed the staff.", expected_version=1
        )
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 6, 1))


def test_a_meeting_action_is_the_lados_row_named_only_meeting_action(persona, ids) -> None:
    with _travel(BEFORE_EASTER):
        case = _nursery_case(persona, ids, "tier-1")
        meeting = meeting_record(
            actor=persona("lara"),
            case=case,
            kind=MeetingKind.STRATEGY,
            held_at=_at(BEFORE_EASTER, 9),
            chair_name="Cara Csc",
            chair_agency="Northshire Children's Social Care",
        )
        action = meeting_add_action(
            actor=persona("lara"),
            meeting=meeting,
            description="Pat to interview Nell's colleague Jo about the nappy change.",
            owner="Pat Police",
            due_on=dt.date(2027, 3, 29),
        )
    row = _row(case, "meeting-action", f"action-{action.pk}")
    assert row.label == "Meeting action"
    assert "Nell" not in row.label + row.source + row.reason
    assert row.owner == persona("lara")
    assert row.meeting == meeting
    assert row.due_on == dt.date(2027, 3, 29)
    with _travel(dt.date(2027, 3, 30)):
        meeting_complete_action(actor=persona("lara"), meeting=meeting, action=action, expected_version=1)
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 3, 30))


# ---------------------------------------------------------------- overdue, from the rows


def test_a_missed_monitoring_review_makes_the_case_overdue_in_its_row_and_in_the_lists(persona, ids, signed_in) -> None:
    with _travel(BEFORE_LATE_MAY):
        case = _nursery_case(persona, ids, "tier-2")
        monitoring_schedule_review(actor=persona("lara"), case=case, due_on=dt.date(2027, 6, 1))
    with _travel(dt.date(2027, 6, 2)):
        case.refresh_from_db()
        assert case_overdue(case)
        mine = signed_in("lara").get(reverse("case_list")).content.decode()
        overdue = signed_in("mo").get(reverse("case_list_all"), {"overdue": "on"}).content.decode()
    assert deadline_rows(case)
    row = next(row for row in deadline_rows(case).values() if row.kind == "monitoring-review")
    assert row.status_on(dt.date(2027, 6, 2)) == "overdue"
    assert case.reference in mine
    assert "Overdue" in mine.split(case.reference, 1)[1].split("</tr>", 1)[0]
    assert case.reference in overdue
    with _travel(dt.date(2027, 6, 1)):
        # The day it is due, nothing is overdue yet: the overdue filter leaves the case out.
        not_yet = signed_in("mo").get(reverse("case_list_all"), {"overdue": "on"}).content.decode()
    assert case.reference not in not_yet


def _queries(client, url: str, params: dict[str, str] | None = None) -> int:
    client.get(reverse("accessibility"))  # the session's first request saves it: not the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_my_cases_and_all_cases_cost_the_same_queries_for_2_cases_as_for_12(persona, northshire, signed_in) -> None:
    cases = [lara_decides(persona, phone_contact(persona, northshire, name), "tier-2") for name in NAMES[:2]]
    for case in cases:
        monitoring_schedule_review(actor=persona("lara"), case=case, due_on=case.received_on)
    lara, mo = signed_in("lara"), signed_in("mo")
    filters = {"overdue": "on", "category": "physical", "tier": "tier-2"}
    few = (_queries(lara, reverse("case_list")), _queries(mo, reverse("case_list_all"), filters))
    cases += [lara_decides(persona, phone_contact(persona, northshire, name), "tier-2") for name in NAMES[2:]]
    many = (_queries(lara, reverse("case_list")), _queries(mo, reverse("case_list_all"), filters))
    assert few == many
    page = lara.get(reverse("case_list")).content.decode()
    assert all(case.reference in page for case in cases)


@pytest.mark.parametrize(("category", "listed"), [("physical", True), ("sexual", False)])
def test_the_category_filter_runs_in_the_database(persona, ids, signed_in, category: str, listed: bool) -> None:
    case = _nursery_case(persona, ids, "tier-2")
    Case.objects.filter(pk=case.pk).update(abuse_categories=["emotional", "physical"])
    page = signed_in("mo").get(reverse("case_list_all"), {"category": category}).content.decode()
    assert (case.reference in page) is listed
