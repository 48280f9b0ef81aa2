"""Every state change of a meeting: validated, written whole, audited on the case, in its chronology."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.errors import ConflictError
from threshold.lado.models import Case, CaseStatus, Meeting, MeetingAction, MeetingAttendee, MeetingKind
from threshold.lado.services import meetings as services

pytestmark = pytest.mark.django_db


def _events(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(action=action, record_type="case", record_id=str(case.pk)).count()


def _lines(case: Case) -> list[str]:
    return list(ChronologyEntry.objects.filter(case=case).values_list("text", flat=True))


def meeting_data(**overrides: Any) -> dict[str, Any]:
    """A strategy meeting chaired by children's social care, as the protocol says."""
    return {
        "kind": MeetingKind.STRATEGY,
        "held_at": timezone.now() - dt.timedelta(hours=2),
        "chair_name": "Cara Csc",
        "chair_agency": "Northshire Children's Social Care",
        "information_shared": "Police: Chris has no previous record.",
        "decisions": "Police to investigate; school to keep Chris suspended.",
        **overrides,
    }


@pytest.fixture
def meeting(persona, chris_case: Case) -> Meeting:
    """A strategy meeting Lara recorded on Chris's case."""
    return services.meeting_record(actor=persona("lara"), case=chris_case, **meeting_data())


def test_lara_records_a_strategy_meeting_audited_on_the_case_with_a_chronology_line(persona, chris_case) -> None:
    meeting = services.meeting_record(actor=persona("lara"), case=chris_case, **meeting_data())
    assert meeting.case == chris_case
    assert meeting.chair_agency == "Northshire Children's Social Care"
    assert meeting.created_by == persona("lara")
    assert _events(chris_case, "meeting.recorded") == 1
    assert any("Strategy meeting of" in line and "chaired by Cara Csc" in line for line in _lines(chris_case))


def test_a_meeting_without_kind_time_or_chair_is_refused_with_a_message_beside_each_field(persona, chris_case) -> None:
    before = chris_case.meetings.count()
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            actor=persona("lara"),
            case=chris_case,
            **meeting_data(kind="tea-party", held_at=None, chair_name=" ", chair_agency=""),
        )
    assert set(refused.value.message_dict) == {"kind", "held_at", "chair_name", "chair_agency"}
    assert chris_case.meetings.count() == before
    assert _events(chris_case, "meeting.recorded") == 0


def test_a_closed_case_takes_no_more_meetings(persona, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(status=CaseStatus.CLOSED)
    chris_case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_record(actor=persona("lara"), case=chris_case, **meeting_data())


@pytest.mark.parametrize("key", ["sam", "pat", "cara", "ada", "hana", "sid"])
def test_only_the_lado_service_of_the_area_records_meetings(persona, chris_case, key) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=persona(key), case=chris_case, **meeting_data())


def test_mo_the_lado_manager_may_record_a_meeting_too(persona, chris_case) -> None:
    meeting = services.meeting_record(
        actor=persona("mo"),
        case=chris_case,
        **meeting_data(kind=MeetingKind.ALLEGATIONS_MANAGEMENT, chair_name="Mo Manager", chair_agency="LADO"),
    )
    assert meeting.kind == MeetingKind.ALLEGATIONS_MANAGEMENT


def test_lara_changes_the_minutes_and_the_version_moves_on(persona, meeting) -> None:
    updated = services.meeting_update(
        actor=persona("lara"),
        meeting=meeting,
        **meeting_data(minutes="Minutes agreed by all present."),
        expected_version=meeting.version,
    )
    assert updated.minutes == "Minutes agreed by all present."
    assert updated.version == 2
    event = AuditEvent.objects.get(action="meeting.updated", record_id=str(meeting.case_id))
    # Minutes are narrative: the trail records that they changed, not what they say (audit/sensitive.py).
    assert "minutes" in event.excluded_fields
    assert "Minutes agreed" not in str(event.changes)


def test_a_stale_change_to_a_meeting_raises_a_conflict_and_saves_nothing(persona, meeting) -> None:
    services.meeting_update(
        actor=persona("mo"), meeting=meeting, **meeting_data(decisions="Mo's decisions."), expected_version=1
    )
    stale = Meeting.objects.get(pk=meeting.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.meeting_update(
            actor=persona("lara"), meeting=stale, **meeting_data(decisions="Lara's decisions."), expected_version=1
        )
    assert Meeting.objects.get(pk=meeting.pk).decisions == "Mo's decisions."
    assert _events(meeting.case, "meeting.updated") == 1


def test_an_invalid_change_is_refused_whole(persona, meeting) -> None:
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=persona("lara"), meeting=meeting, **meeting_data(chair_name=""), expected_version=1
        )
    meeting.refresh_from_db()
    assert meeting.chair_name == "Cara Csc"
    assert meeting.version == 1


def test_invitees_are_recorded_by_agency_and_their_attendance_or_apologies(persona, meeting) -> None:
    pat = services.meeting_add_attendee(
        actor=persona("lara"), meeting=meeting, name="Pat Police", agency="Northshire Police"
    )
    assert pat.status == "invited"
    services.meeting_set_attendance(actor=persona("lara"), meeting=meeting, attendee=pat, status="apologies")
    assert MeetingAttendee.objects.get(pk=pat.pk).status == "apologies"
    assert _events(meeting.case, "meeting.attendee_added") == 1
    assert _events(meeting.case, "meeting.attendance_set") == 1
    assert any("Pat Police (Northshire Police) marked apologies" in line for line in _lines(meeting.case))


def test_an_attendee_needs_a_name_an_agency_and_a_known_status(persona, meeting) -> None:
    with pytest.raises(ValidationError) as refused:
        services.meeting_add_attendee(actor=persona("lara"), meeting=meeting, name="", agency="")
    assert set(refused.value.message_dict) == {"name", "agency"}
    with pytest.raises(ValidationError):
        services.meeting_add_attendee(actor=persona("lara"), meeting=meeting, name="A", agency="B", status="maybe")
    assert not meeting.attendees.exists()


def test_attendance_is_set_only_for_someone_invited_to_that_meeting(persona, meeting, chris_case) -> None:
    other = services.meeting_record(actor=persona("lara"), case=chris_case, **meeting_data())
    stranger = services.meeting_add_attendee(actor=persona("lara"), meeting=other, name="A", agency="B")
    with pytest.raises(ValidationError):
        services.meeting_set_attendance(actor=persona("lara"), meeting=meeting, attendee=stranger, status="attended")


def test_an_action_has_an_owner_and_a_due_date_and_is_marked_done(persona, meeting) -> None:
    due = timezone.localdate() + dt.timedelta(days=7)
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Interview Chris.", owner="Northshire Police", due_on=due
    )
    assert action.done_on is None
    services.meeting_complete_action(actor=persona("lara"), meeting=meeting, action=action, expected_version=1)
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert action.version == 2
    assert _events(meeting.case, "meeting.action_added") == 1
    assert _events(meeting.case, "meeting.action_completed") == 1


def test_an_action_without_owner_or_due_date_is_refused(persona, meeting) -> None:
    with pytest.raises(ValidationError) as refused:
        services.meeting_add_action(actor=persona("lara"), meeting=meeting, description="", owner="", due_on=None)
    assert set(refused.value.message_dict) == {"description", "owner", "due_on"}
    earlier = timezone.localdate() - dt.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        services.meeting_add_action(actor=persona("lara"), meeting=meeting, description="X", owner="Y", due_on=earlier)
    assert "due_on" in refused.value.message_dict
    assert not meeting.actions.exists()


def test_an_action_is_done_once_and_a_stale_button_conflicts(persona, meeting) -> None:
    due = timezone.localdate() + dt.timedelta(days=7)
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Visit.", owner="Cara", due_on=due
    )
    stale = MeetingAction.objects.get(pk=action.pk)
    services.meeting_complete_action(actor=persona("mo"), meeting=meeting, action=action, expected_version=1)
    with pytest.raises(ValidationError):
        services.meeting_complete_action(actor=persona("lara"), meeting=meeting, action=action, expected_version=2)
    with pytest.raises(ConflictError):
        services.meeting_complete_action(actor=persona("lara"), meeting=meeting, action=stale, expected_version=1)
    assert _events(meeting.case, "meeting.action_completed") == 1


def test_partners_cannot_change_the_meeting_they_see(persona, meeting) -> None:
    for key in ("pat", "cara"):
        with pytest.raises(PermissionDenied):
            services.meeting_add_attendee(actor=persona(key), meeting=meeting, name="X", agency="Y")
        with pytest.raises(PermissionDenied):
            services.meeting_update(actor=persona(key), meeting=meeting, **meeting_data(), expected_version=1)


def test_a_meeting_is_not_half_saved_when_its_audit_fails(persona, chris_case, monkeypatch) -> None:
    before = chris_case.meetings.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_case_event", broken)
    with pytest.raises(RuntimeError):
        services.meeting_record(actor=persona("lara"), case=chris_case, **meeting_data())
    assert chris_case.meetings.count() == before


def test_a_completed_action_is_rolled_back_when_its_audit_fails(persona, meeting, monkeypatch) -> None:
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Visit.", owner="Cara", due_on=timezone.localdate()
    )

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_case_event", broken)
    with pytest.raises(RuntimeError):
        services.meeting_complete_action(actor=persona("lara"), meeting=meeting, action=action, expected_version=1)
    fresh = MeetingAction.objects.get(pk=action.pk)
    assert fresh.done_on is None
    assert fresh.version == 1


def test_a_change_without_the_version_it_was_loaded_with_is_refused_and_saves_nothing(persona, meeting) -> None:
    with pytest.raises(TypeError):
        services.meeting_update(
            actor=persona("lara"),
            meeting=meeting,
            **meeting_data(decisions="Unchecked."),
            expected_version=None,  # type: ignore[arg-type]  # what a form that lost its version would send
        )
    meeting.refresh_from_db()
    assert meeting.version == 1
    assert meeting.decisions != "Unchecked."
    assert _events(meeting.case, "meeting.updated") == 0


def test_an_action_marked_done_without_its_version_is_refused_and_saves_nothing(persona, meeting) -> None:
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Visit.", owner="Cara", due_on=timezone.localdate()
    )
    with pytest.raises(TypeError):
        services.meeting_complete_action(actor=persona("lara"), meeting=meeting, action=action, expected_version=None)  # type: ignore[arg-type]
    action.refresh_from_db()
    assert action.done_on is None
    assert action.version == 1
