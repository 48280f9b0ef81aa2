"""The LADO presenters: the case page's summary, data set and allocation, and the meeting page, in their words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from threshold.jinja2 import govuk_date
from threshold.lado.models import Case, CaseStatus, Meeting, MeetingKind
from threshold.lado.presenters.case import allocation_lines, case_page_context, summary_rows
from threshold.lado.presenters.dataset import dataset_cards, tier_label
from threshold.lado.presenters.meeting import form_context, meeting_detail_context, paragraphs
from threshold.lado.services import meetings as meeting_services
from threshold.lado.services.case_allocation import case_change_tier, case_reassign

TODAY = timezone.localdate


def _rows(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {row["key"]["text"]: str(row["value"].get("text", row["value"].get("html"))) for row in rows}


def _card(case: Case, anchor: str, *, may_change: bool = True) -> dict[str, Any]:
    return next(card.params() for card in dataset_cards(case, may_change=may_change) if card.anchor == anchor)


def _close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY())
    case.refresh_from_db()


@pytest.fixture
def meeting(persona, chris_case: Case) -> Meeting:
    # The referral reached the LADO a week ago: a meeting is never dated before it.
    Case.objects.filter(pk=chris_case.pk).update(received_on=TODAY() - dt.timedelta(days=7))
    chris_case.refresh_from_db()
    return meeting_services.meeting_record(
        actor=persona("lara"),
        case=chris_case,
        kind=MeetingKind.STRATEGY,
        held_at=timezone.now() - dt.timedelta(days=3),
        chair_name="Cara Csc",
        chair_agency="Northshire Children's Social Care",
    )


def test_the_data_set_cards_say_not_recorded_for_an_unanswered_item_and_name_the_category(chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(abuse_categories=["physical", "neglect"], adult_address="")
    chris_case.refresh_from_db()
    adult = _rows(_card(chris_case, "dataset-adult")["rows"])
    assert adult["Address"] == "Not recorded"
    assert adult["Gender"] == "Not recorded"
    category = next(
        card.params() for card in dataset_cards(chris_case, may_change=True) if card.title.startswith("Category")
    )
    assert _rows(category["rows"])["Category of abuse"] == "Physical, Neglect"


def test_the_lado_is_offered_change_links_and_a_reader_is_not(chris_case) -> None:
    actions = _card(chris_case, "dataset-adult")["card"]["actions"]["items"]
    assert actions == [
        {
            "href": reverse("case_change_dataset", args=[chris_case.pk, "adult"]),
            "text": "Change",
            "visuallyHiddenText": "the adult's details",
        }
    ]
    assert "actions" not in _card(chris_case, "dataset-adult", may_change=False)["card"]


def test_a_closed_case_offers_no_change_links_even_to_its_lado(chris_case) -> None:
    _close(chris_case)
    assert all("actions" not in card.params()["card"] for card in dataset_cards(chris_case, may_change=True))


def test_a_case_with_no_children_recorded_says_so_under_the_victims_heading(chris_case) -> None:
    assert _rows(_card(chris_case, "dataset-children")["rows"]) == {"Children (victims)": "None recorded yet"}


def test_a_move_between_tiers_is_listed_with_its_reason(persona, chris_case) -> None:
    case_change_tier(
        actor=persona("lara"),
        case=chris_case,
        expected_version=chris_case.version,
        tier="tier-2",
        reason="The school can manage it.",
    )
    chris_case.refresh_from_db()
    rows = _rows(_card(chris_case, "dataset-tier")["rows"])
    assert rows["Tier"] == "Tier 2"
    assert rows[f"Moved on {govuk_date(TODAY())}"] == "From Tier 1 to Tier 2: The school can manage it."
    assert tier_label("") == "No tier"


def test_the_case_summary_names_the_lado_and_the_tier(chris_case) -> None:
    rows = _rows(summary_rows(chris_case))
    assert rows["LADO"] == "Lara Lado"
    assert rows["Tier"] == "Tier 1"
    assert rows["Referral received"] == govuk_date(chris_case.received_on)


def test_a_case_never_reallocated_says_who_has_it_and_a_reassignment_is_listed(persona, chris_case) -> None:
    page = case_page_context(chris_case, may_change=True)
    assert page["allocation_lines"] == []
    assert page["allocated_to"] == "Allocated to Lara Lado."
    case_reassign(
        actor=persona("mo"),
        case=chris_case,
        expected_version=chris_case.version,
        lado=persona("mo"),
        reason="Lara is on leave",
    )
    assert allocation_lines(chris_case) == [
        f"{govuk_date(TODAY())}: allocated to Mo Manager by Mo Manager (Lara is on leave)"
    ]


def test_the_meeting_page_names_its_case_and_chair_and_says_not_recorded_for_empty_minutes(meeting) -> None:
    page = meeting_detail_context(meeting, may_change=True, may_unshare=True, is_closed=False)
    rows = _rows(page["summary_rows"])
    assert rows["Chair"] == "Cara Csc, Northshire Children's Social Care"
    assert f"LADO case {meeting.case.reference}" in rows["Case"]
    assert page["minutes"] == ["Not recorded."]
    assert page["closed_notice"] == ""
    assert paragraphs("First point.\n\n  \nSecond point.") == ["First point.", "Second point."]


def test_an_invitee_is_offered_only_the_attendance_they_are_not_at(persona, meeting) -> None:
    meeting_services.meeting_add_attendee(
        actor=persona("lara"), meeting=meeting, name="Pat Police", agency="Police", status="attended"
    )
    attendee = meeting_detail_context(meeting, may_change=True, may_unshare=True, is_closed=False)["attendees"][0]
    assert attendee["attendance"] == "Attended"
    assert attendee["buttons"] == [("apologies", "Apologies")]
    reader = meeting_detail_context(meeting, may_change=False, may_unshare=False, is_closed=False)
    assert reader["attendees"][0]["buttons"] == []


def test_an_open_action_past_its_date_is_overdue_and_only_the_lado_may_mark_it_done(persona, meeting) -> None:
    meeting_services.meeting_add_action(
        actor=persona("lara"),
        meeting=meeting,
        description="Interview Chris.",
        owner="Pat",
        due_on=TODAY() - dt.timedelta(days=1),
    )
    action = meeting_detail_context(meeting, may_change=True, may_unshare=True, is_closed=False)["actions"][0]
    assert action["overdue"]
    assert action["may_mark_done"]
    reader = meeting_detail_context(meeting, may_change=False, may_unshare=False, is_closed=False)["actions"][0]
    assert not reader["may_mark_done"]


def test_a_closed_cases_meeting_says_it_is_final_and_whether_sharing_may_still_stop(meeting) -> None:
    closed = meeting_detail_context(meeting, may_change=False, may_unshare=True, is_closed=True)
    assert closed["closed_notice"] == (
        "This case is closed, so this meeting can no longer be changed, shared or given updates."
        " You can still stop sharing it."
    )
    partner = meeting_detail_context(meeting, may_change=False, may_unshare=False, is_closed=True)
    assert partner["closed_notice"].endswith("given updates.")


def test_a_meeting_form_page_names_the_meeting_and_leads_back_to_it(meeting) -> None:
    context = form_context(meeting, form=None)
    assert context["meeting_title"].startswith("Strategy meeting of ")
    assert context["case_name"] == meeting.case.reference
    assert context["back"] == reverse("meeting_detail", args=[meeting.pk])
