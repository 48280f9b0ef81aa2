"""Sharing meetings and cases with named police and children's social care users, and their updates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.accounts.services import user_deactivate
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case, CaseShare, Meeting, MeetingKind, MeetingShare
from threshold.lado.selectors import partner_candidates
from threshold.lado.services import meetings as meeting_services
from threshold.lado.services import sharing as services

pytestmark = pytest.mark.django_db


def _events(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(action=action, record_type="case", record_id=str(case.pk)).count()


@pytest.fixture
def meeting(persona, chris_case: Case) -> Meeting:
    """A new allegations management meeting on Chris's case, shared with nobody yet."""
    return meeting_services.meeting_record(
        actor=persona("lara"),
        case=chris_case,
        kind=MeetingKind.ALLEGATIONS_MANAGEMENT,
        held_at=timezone.now() - dt.timedelta(hours=1),
        chair_name="Lara Lado",
        chair_agency="Northshire Council LADO service",
    )


@pytest.fixture
def southvale_case(ids: dict[str, int]) -> Case:
    return Case.objects.get(pk=ids["case_southvale"])


def test_only_active_police_and_childrens_social_care_users_can_be_shared_with(persona, chris_case) -> None:
    candidates = set(partner_candidates(chris_case).values_list("email", flat=True))
    assert candidates == {persona("pat").email, persona("cara").email}


@pytest.mark.parametrize("key", ["hana", "sam", "ada", "sid", "mo"])
def test_sharing_with_anyone_else_is_refused_beside_the_list(persona, meeting, key) -> None:
    with pytest.raises(ValidationError) as refused:
        services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona(key))
    assert "user" in refused.value.message_dict
    assert not meeting.shares.exists()


def test_a_deactivated_police_user_cannot_be_shared_with(persona, meeting) -> None:
    pat = persona("pat")
    pat.is_active = False
    pat.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.meeting_share(actor=persona("lara"), meeting=meeting, user=pat)


def test_pat_sees_a_meeting_and_the_case_summary_while_shared_and_loses_them_when_unshared(
    persona, meeting, chris_case, ids
) -> None:
    pat = persona("pat")
    # The demo's strategy meeting is shared with Pat already: end it, to watch this meeting alone.
    services.meeting_unshare(actor=persona("lara"), meeting=Meeting.objects.get(pk=ids["meeting_chris"]), user=pat)
    assert not fetch.visible_meetings(pat).filter(pk=meeting.pk).exists()
    assert not fetch.visible_cases(pat, "view_summary").filter(pk=chris_case.pk).exists()

    share = services.meeting_share(actor=persona("lara"), meeting=meeting, user=pat)
    assert fetch.visible_meetings(pat).filter(pk=meeting.pk).exists()
    assert fetch.visible_cases(pat, "view_summary").filter(pk=chris_case.pk).exists()
    assert not fetch.visible_cases(pat, "view").filter(pk=chris_case.pk).exists()
    assert _events(chris_case, "meeting.shared") == 1

    services.meeting_unshare(actor=persona("lara"), meeting=meeting, user=pat)
    share.refresh_from_db()
    assert share.ended_at is not None
    assert not fetch.visible_meetings(pat).filter(pk=meeting.pk).exists()
    assert not fetch.visible_cases(pat, "view_summary").filter(pk=chris_case.pk).exists()
    assert meeting.shares.filter(pk=share.pk).exists(), "a share is ended, never deleted"
    assert _events(chris_case, "meeting.unshared") == 2


def test_a_meeting_is_not_shared_twice_with_the_same_person(persona, meeting) -> None:
    services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    with pytest.raises(ValidationError):
        services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    assert meeting.shares.count() == 1


def test_stopping_a_share_that_does_not_exist_is_refused(persona, meeting) -> None:
    with pytest.raises(ValidationError):
        services.meeting_unshare(actor=persona("lara"), meeting=meeting, user=persona("cara"))


def test_cara_sees_the_whole_case_and_its_meetings_while_the_case_is_shared(persona, meeting, chris_case) -> None:
    cara = persona("cara")
    assert fetch.visible_cases(cara, "view").filter(pk=chris_case.pk).exists()
    assert fetch.visible_meetings(cara).filter(pk=meeting.pk).exists()
    services.case_unshare(actor=persona("lara"), case=chris_case, user=cara)
    assert not fetch.visible_cases(cara, "view_summary").filter(pk=chris_case.pk).exists()
    assert not fetch.visible_meetings(cara).filter(pk=meeting.pk).exists()
    assert chris_case.shares.filter(user=cara, ended_at__isnull=False).exists()
    assert _events(chris_case, "case.unshared") == 1

    services.case_share(actor=persona("lara"), case=chris_case, user=cara)
    assert fetch.visible_meetings(cara).filter(pk=meeting.pk).exists()
    assert _events(chris_case, "case.shared") == 1


def test_a_case_is_shared_only_with_partners_and_not_twice(persona, chris_case) -> None:
    with pytest.raises(ValidationError):
        services.case_share(actor=persona("lara"), case=chris_case, user=persona("hana"))
    with pytest.raises(ValidationError):
        services.case_share(actor=persona("lara"), case=chris_case, user=persona("cara"))


@pytest.mark.parametrize("key", ["pat", "cara", "sam", "ada"])
def test_only_the_lado_service_shares_and_stops_sharing(persona, meeting, chris_case, key) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_share(actor=persona(key), meeting=meeting, user=persona("pat"))
    with pytest.raises(PermissionDenied):
        services.case_unshare(actor=persona(key), case=chris_case, user=persona("cara"))


def test_sam_of_southvale_sees_nothing_of_northshire_and_cannot_share_it(persona, meeting, chris_case) -> None:
    sam = persona("sam")
    assert not fetch.visible_meetings(sam).filter(case=chris_case).exists()
    assert not fetch.visible_cases(sam, "view_summary").filter(pk=chris_case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.case_share(actor=sam, case=chris_case, user=persona("pat"))


def test_pat_and_cara_see_nothing_of_a_case_not_shared_with_them(persona, southvale_case) -> None:
    for key in ("pat", "cara"):
        assert not fetch.visible_cases(persona(key), "view_summary").filter(pk=southvale_case.pk).exists()
        assert not fetch.visible_meetings(persona(key)).filter(case=southvale_case).exists()


def test_pat_adds_the_police_update_to_a_meeting_shared_with_him(persona, meeting, chris_case) -> None:
    services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    update = services.meeting_add_update(
        actor=persona("pat"), meeting=meeting, text="Chris interviewed under caution; no further action."
    )
    assert update.agency == "Northshire Police"
    assert update.recorded_by == persona("pat")
    assert _events(chris_case, "meeting.update_added") == 1
    assert chris_case.chronology.filter(text__contains="update from Northshire Police").exists()


def test_the_lado_adds_an_update_in_the_name_of_the_local_authority(persona, meeting) -> None:
    update = services.meeting_add_update(actor=persona("lara"), meeting=meeting, text="Employer informed.")
    assert update.agency == "Northshire Council"


def test_an_empty_update_is_refused_beside_the_box(persona, meeting) -> None:
    with pytest.raises(ValidationError) as refused:
        services.meeting_add_update(actor=persona("lara"), meeting=meeting, text="   ")
    assert "text" in refused.value.message_dict
    assert not meeting.updates.exists()


def test_pat_cannot_add_an_update_once_the_meeting_is_no_longer_shared(persona, meeting) -> None:
    services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    services.meeting_unshare(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    with pytest.raises(PermissionDenied):
        services.meeting_add_update(actor=persona("pat"), meeting=meeting, text="Late news.")


@pytest.mark.parametrize("key", ["sam", "hana", "ada", "sid"])
def test_nobody_else_adds_an_agency_update(persona, meeting, key) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_add_update(actor=persona(key), meeting=meeting, text="Not mine to add.")


def test_a_share_is_not_half_saved_when_its_audit_fails(persona, meeting, monkeypatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_case_event", broken)
    with pytest.raises(RuntimeError):
        services.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    assert not meeting.shares.exists()
    assert not fetch.visible_meetings(persona("pat")).filter(pk=meeting.pk).exists()


def _partner(email: str, name: str, organisation: Organisation, role: str) -> User:
    user = User.objects.create_user(email=email, full_name=name)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def southvale_csc_manager(demo_world: None) -> User:
    """Sol, a children's social care manager in Southvale: another local authority's area."""
    southvale = Organisation.objects.get(name=world.SOUTHVALE)
    csc = Organisation.objects.create(
        name="Southvale Children's Social Care", kind=OrganisationKind.CHILDRENS_SOCIAL_CARE, local_authority=southvale
    )
    return _partner("sol.csc@southvale.example", "Sol Southvale", csc, Role.CSC_MANAGER)


def test_childrens_social_care_of_another_area_is_not_offered_and_cannot_be_shared_with(
    persona, meeting, chris_case, southvale_csc_manager
) -> None:
    sol = southvale_csc_manager
    assert not partner_candidates(chris_case).filter(pk=sol.pk).exists()
    with pytest.raises(ValidationError) as refused:
        services.meeting_share(actor=persona("lara"), meeting=meeting, user=sol)
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.case_share(actor=persona("lara"), case=chris_case, user=sol)
    assert not meeting.shares.filter(user=sol).exists()
    assert not chris_case.shares.filter(user=sol).exists()
    assert not fetch.visible_meetings(sol).filter(pk=meeting.pk).exists()


def test_southvales_own_social_care_is_offered_on_a_southvale_case(southvale_case, southvale_csc_manager) -> None:
    assert partner_candidates(southvale_case).filter(pk=southvale_csc_manager.pk).exists()


def test_every_active_police_liaison_user_is_offered_listed_by_force_then_name(persona, chris_case) -> None:
    # Police forces have no area link yet, so a neighbouring force's officer is offered too.
    force = Organisation.objects.create(name="Eastmoor Constabulary", kind=OrganisationKind.POLICE)
    eve = _partner("eve.police@eastmoor.example", "Eve Eastmoor", force, Role.POLICE_LIAISON)
    listed = [(user.full_name, getattr(user, "agency_name", "")) for user in partner_candidates(chris_case)]
    assert listed == [
        (eve.full_name, "Eastmoor Constabulary"),
        ("Cara Csc", "Northshire Children's Social Care"),
        ("Pat Police", "Northshire Police"),
    ]


def test_deactivating_pat_and_cara_ends_their_shares_each_on_its_cases_own_trail(persona, ids) -> None:
    shared = {share.case_id for share in CaseShare.objects.filter(user=persona("cara"), ended_at__isnull=True)}
    shared_meetings = {share.meeting_id for share in MeetingShare.objects.filter(user=persona("pat"), ended_at=None)}
    assert shared
    assert shared_meetings
    for partner in ("pat", "cara"):
        user_deactivate(actor=persona("sid"), user=persona(partner))
    unshared = AuditEvent.objects.filter(action="case.unshared", actor=persona("sid"))
    assert {int(event.record_id) for event in unshared} == shared
    assert {event.organisation.name for event in unshared if event.organisation is not None} == {world.NORTHSHIRE}
    meetings = AuditEvent.objects.filter(action="meeting.unshared", actor=persona("sid"))
    assert {event.details["meeting"] for event in meetings} == shared_meetings
    assert {event.details["reason"] for event in [*unshared, *meetings]} == {"partner_role_ended"}
