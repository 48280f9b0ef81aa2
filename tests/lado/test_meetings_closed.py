"""A closed case is the finished record: its meetings take no more changes, shares or updates.

Stopping a share stays allowed on a closed case, because it only takes access
away. The pages hide the change controls and say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.audit.models import AuditEvent
from threshold.lado.models import Case, CaseStatus, Meeting, MeetingAction, MeetingAttendee, MeetingKind
from threshold.lado.services import meetings as services
from threshold.lado.services import sharing
from threshold.lado.views.meetings import meetings_panel

pytestmark = pytest.mark.django_db


def _events(case: Case) -> int:
    return AuditEvent.objects.filter(record_type="case", record_id=str(case.pk)).count()


def _close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    case.refresh_from_db()


@pytest.fixture
def meeting(persona, chris_case: Case) -> Meeting:
    """A review meeting on Chris's case, with an invitee and an open action, shared with Pat."""
    meeting = services.meeting_record(
        actor=persona("lara"),
        case=chris_case,
        kind=MeetingKind.REVIEW,
        held_at=timezone.now() - dt.timedelta(hours=1),
        chair_name="Lara Lado",
        chair_agency="Northshire Council LADO service",
    )
    services.meeting_add_attendee(actor=persona("lara"), meeting=meeting, name="Hana Head", agency="Oakfield")
    services.meeting_add_action(
        actor=persona("lara"),
        meeting=meeting,
        description="Send the outcome letter.",
        owner="Lara Lado",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    sharing.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    return meeting


def _meeting_values() -> dict[str, Any]:
    return {
        "kind": MeetingKind.REVIEW,
        "held_at": timezone.now() - dt.timedelta(hours=1),
        "chair_name": "Mo Manager",
        "chair_agency": "Northshire Council LADO service",
        "decisions": "Changed after closure.",
    }


CHANGES: dict[str, Callable[[Any, Meeting], object]] = {
    "change the meeting": lambda persona, meeting: services.meeting_update(
        actor=persona("lara"), meeting=meeting, **_meeting_values(), expected_version=meeting.version
    ),
    "add an invitee": lambda persona, meeting: services.meeting_add_attendee(
        actor=persona("lara"), meeting=meeting, name="Cara Csc", agency="Northshire Children's Social Care"
    ),
    "mark attendance": lambda persona, meeting: services.meeting_set_attendance(
        actor=persona("lara"), meeting=meeting, attendee=meeting.attendees.get(), status="attended"
    ),
    "add an action": lambda persona, meeting: services.meeting_add_action(
        actor=persona("lara"),
        meeting=meeting,
        description="Another action.",
        owner="Lara Lado",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    ),
    "complete an action": lambda persona, meeting: services.meeting_complete_action(
        actor=persona("lara"), meeting=meeting, action=meeting.actions.get(), expected_version=1
    ),
    "share the meeting": lambda persona, meeting: sharing.meeting_share(
        actor=persona("lara"), meeting=meeting, user=persona("cara")
    ),
    "share the case": lambda persona, meeting: sharing.case_share(
        actor=persona("lara"), case=meeting.case, user=persona("pat")
    ),
    "add the lado's update": lambda persona, meeting: sharing.meeting_add_update(
        actor=persona("lara"), meeting=meeting, text="Late news."
    ),
    "add pat's update": lambda persona, meeting: sharing.meeting_add_update(
        actor=persona("pat"), meeting=meeting, text="Late police news."
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_closed_case_refuses_every_change_to_its_meetings_and_saves_nothing(persona, meeting, change) -> None:
    case = meeting.case
    _close(case)
    before = (_events(case), meeting.attendees.count(), meeting.actions.count(), meeting.updates.count())
    with pytest.raises(ValidationError) as refused:
        CHANGES[change](persona, Meeting.objects.get(pk=meeting.pk))
    assert "This case is closed" in " ".join(refused.value.messages)
    assert (_events(case), meeting.attendees.count(), meeting.actions.count(), meeting.updates.count()) == before
    meeting.refresh_from_db()
    assert meeting.version == 1
    assert meeting.decisions == ""
    assert MeetingAttendee.objects.get(meeting=meeting).status == "invited"
    assert MeetingAction.objects.get(meeting=meeting).done_on is None
    assert not meeting.shares.filter(user=persona("cara")).exists()
    assert not case.shares.filter(user=persona("pat")).exists()


def test_sharing_can_still_be_stopped_on_a_closed_case(persona, meeting, chris_case) -> None:
    _close(chris_case)
    sharing.meeting_unshare(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    sharing.case_unshare(actor=persona("lara"), case=chris_case, user=persona("cara"))
    assert not fetch.visible_meetings(persona("pat")).filter(pk=meeting.pk).exists()
    assert not fetch.visible_cases(persona("cara"), "view_summary").filter(pk=chris_case.pk).exists()


def test_the_meeting_page_of_a_closed_case_says_so_and_offers_only_stop_sharing(signed_in, meeting) -> None:
    _close(meeting.case)
    page = signed_in("lara").get(reverse("meeting_detail", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "This case is closed" in html
    for control in (
        "Change the meeting&#39;s details",
        "Add someone invited",
        "Mark as done",
        "Add an action",
        "Share this meeting",
        "Add your agency&#39;s update",
        reverse("meeting_attendance", args=[meeting.pk]),
    ):
        assert control not in html, control
    assert "Stop sharing" in html


def test_pat_is_not_offered_an_update_on_a_closed_case(signed_in, meeting) -> None:
    _close(meeting.case)
    html = signed_in("pat").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "This case is closed" in html
    assert "Add your agency&#39;s update" not in html
    assert "Stop sharing" not in html


def test_the_case_meetings_panel_of_a_closed_case_keeps_only_stop_sharing(persona, chris_case, meeting) -> None:
    _close(chris_case)
    html = render_to_string("lado/case/_meetings.html", meetings_panel(persona("lara"), chris_case))
    assert "This case is closed" in html
    assert "Record a meeting" not in html
    assert "Share the whole case" not in html
    assert "Stop sharing" in html


def test_a_change_posted_to_a_closed_case_is_shown_the_reason_and_saves_nothing(signed_in, meeting) -> None:
    _close(meeting.case)
    client = signed_in("lara")
    page = client.post(
        reverse("meeting_attendee_add", args=[meeting.pk]), {"name": "Cara", "agency": "CSC", "status": "invited"}
    )
    assert page.status_code == 200
    assert "This case is closed" in page.content.decode()
    answer = client.post(
        reverse("meeting_action_complete", args=[meeting.pk]), {"action": meeting.actions.get().pk, "version": 1}
    )
    assert answer.status_code == 302
    assert "This case is closed" in client.get(answer["Location"]).content.decode()
    shared = client.post(reverse("case_share", args=[meeting.case_id]), {"user": meeting.shares.get().user_id})
    assert "This case is closed" in shared.content.decode()
    assert meeting.attendees.count() == 1
    assert meeting.actions.get().done_on is None
    assert not meeting.case.shares.filter(user_id=meeting.shares.get().user_id).exists()
