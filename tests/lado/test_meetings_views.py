"""The meeting pages: thin over the services, errors beside fields, conflicts answered with 409."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.demo import world
from threshold.lado.models import Case, Meeting, MeetingKind
from threshold.lado.services import meetings as services
from threshold.lado.services import sharing
from threshold.lado.views.meetings import meetings_panel

pytestmark = pytest.mark.django_db


def _form(day: dt.date, **overrides: str) -> dict[str, str]:
    return {
        "kind": "strategy",
        "held_on_day": str(day.day),
        "held_on_month": str(day.month),
        "held_on_year": str(day.year),
        "held_time": "10:30am",
        "chair_name": "Cara Csc",
        "chair_agency": "Northshire Children's Social Care",
        "information_shared": "School: CCTV shows the incident.",
        "decisions": "Police to investigate.",
        "minutes": "",
        **overrides,
    }


@pytest.fixture
def meeting(persona, chris_case: Case) -> Meeting:
    # The referral reached the LADO yesterday: a meeting is never dated before it.
    Case.objects.filter(pk=chris_case.pk).update(received_on=timezone.localdate() - dt.timedelta(days=1))
    chris_case.refresh_from_db()
    return services.meeting_record(
        actor=persona("lara"),
        case=chris_case,
        kind=MeetingKind.STRATEGY,
        held_at=timezone.now() - dt.timedelta(hours=3),
        chair_name="Cara Csc",
        chair_agency="Northshire Children's Social Care",
    )


def test_lara_records_a_meeting_and_lands_on_its_page(signed_in, chris_case) -> None:
    client = signed_in("lara")
    page = client.get(reverse("meeting_new", args=[chris_case.pk]))
    assert page.status_code == 200
    assert "the LADO should be invited" in page.content.decode()
    answer = client.post(reverse("meeting_new", args=[chris_case.pk]), _form(timezone.localdate()))
    meeting = chris_case.meetings.latest("pk")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.chair_name == "Cara Csc"
    assert timezone.localtime(meeting.held_at).strftime("%H:%M") == "10:30"
    shown = client.get(answer["Location"]).content.decode()
    assert "Meeting recorded." in shown
    assert "Police to investigate." in shown


def test_a_meeting_form_with_mistakes_shows_them_beside_the_fields_and_saves_nothing(signed_in, chris_case) -> None:
    before = chris_case.meetings.count()
    page = signed_in("lara").post(
        reverse("meeting_new", args=[chris_case.pk]),
        _form(timezone.localdate(), chair_name="", held_time="25 o'clock", held_on_day=""),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert "Enter the name of the chair" in html
    assert "Enter the time like 2:30pm or 14:30" in html
    assert chris_case.meetings.count() == before


def test_a_stale_edit_is_given_back_with_laras_decisions_beside_mos_and_saves_nothing(signed_in, meeting) -> None:
    form = _form(timezone.localdate(), version="1", decisions="Lara's decisions.")
    assert (
        signed_in("mo").post(reverse("meeting_edit", args=[meeting.pk]), form | {"decisions": "Mo's."}).status_code
        == 302
    )
    page = signed_in("lara").post(reverse("meeting_edit", args=[meeting.pk]), form)
    html = page.content.decode()
    assert page.status_code == 409
    assert "Someone else changed this after you opened the form" in html
    differs = html.split("What differs</caption>")[1].split("</table>")[0]
    assert "Mo&#39;s." in differs
    assert "Lara&#39;s decisions." in differs
    assert html.count("Lara&#39;s decisions.") >= 2  # in the table, and back in her form
    meeting.refresh_from_db()
    assert meeting.decisions == "Mo's."


def test_lara_adds_an_attendee_marks_apologies_and_adds_an_action_then_marks_it_done(signed_in, meeting) -> None:
    client = signed_in("lara")
    added = client.post(
        reverse("meeting_attendee_add", args=[meeting.pk]),
        {"name": "Pat Police", "agency": "Northshire Police", "status": "invited"},
    )
    assert added.status_code == 302
    attendee = meeting.attendees.get()
    client.post(reverse("meeting_attendance", args=[meeting.pk]), {"attendee": attendee.pk, "status": "apologies"})
    attendee.refresh_from_db()
    assert attendee.status == "apologies"
    due = timezone.localdate() + dt.timedelta(days=5)
    client.post(
        reverse("meeting_action_add", args=[meeting.pk]),
        {
            "description": "Interview Chris",
            "owner": "Northshire Police",
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        },
    )
    action = meeting.actions.get()
    client.post(reverse("meeting_action_complete", args=[meeting.pk]), {"action": action.pk, "version": 1})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Apologies" in page
    assert "Interview Chris" in page


def test_an_attendee_without_a_name_is_shown_the_error(signed_in, meeting) -> None:
    page = signed_in("lara").post(
        reverse("meeting_attendee_add", args=[meeting.pk]), {"name": "", "agency": "Police", "status": "invited"}
    )
    assert page.status_code == 200
    assert "Enter the person&#39;s name" in page.content.decode()


def test_an_attendee_of_another_meeting_cannot_be_marked_through_this_one(signed_in, meeting, persona) -> None:
    other = services.meeting_record(
        actor=persona("lara"),
        case=meeting.case,
        kind="review",
        held_at=timezone.now(),
        chair_name="Lara",
        chair_agency="LADO",
    )
    stranger = services.meeting_add_attendee(actor=persona("lara"), meeting=other, name="A", agency="B")
    answer = signed_in("lara").post(
        reverse("meeting_attendance", args=[meeting.pk]), {"attendee": stranger.pk, "status": "attended"}
    )
    assert answer.status_code == 404


def test_the_share_page_lists_only_police_and_childrens_social_care_users(signed_in, meeting) -> None:
    page = signed_in("lara").get(reverse("meeting_share", args=[meeting.pk])).content.decode()
    assert "Pat Police (Northshire Police)" in page
    assert "Cara Csc (Northshire Children&#39;s Social Care)" in page
    assert "Hana Head" not in page


def test_lara_shares_a_meeting_with_pat_who_adds_his_update_then_loses_it_when_unshared(
    signed_in, meeting, persona
) -> None:
    lara, pat = signed_in("lara"), signed_in("pat")
    assert pat.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    lara.post(reverse("meeting_share", args=[meeting.pk]), {"user": persona("pat").pk})
    assert pat.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    added = pat.post(reverse("meeting_update_add", args=[meeting.pk]), {"text": "No further police action."})
    assert added.status_code == 302
    page = lara.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "No further police action." in page
    assert "Northshire Police" in page
    assert "Stop sharing" in page
    lara.post(reverse("meeting_unshare", args=[meeting.pk]), {"user": persona("pat").pk})
    assert pat.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404


def test_sharing_with_someone_not_in_the_list_is_shown_as_an_error(signed_in, meeting, persona) -> None:
    page = signed_in("lara").post(reverse("meeting_share", args=[meeting.pk]), {"user": persona("hana").pk})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert not meeting.shares.exists()


def test_lara_stops_sharing_the_case_with_cara(signed_in, chris_case, persona) -> None:
    answer = signed_in("lara").post(reverse("case_unshare", args=[chris_case.pk]), {"user": persona("cara").pk})
    assert answer.status_code == 302
    assert not chris_case.shares.filter(ended_at__isnull=True).exists()
    page = signed_in("lara").get(reverse("case_share", args=[chris_case.pk]))
    assert page.status_code == 200
    signed_in("lara").post(reverse("case_share", args=[chris_case.pk]), {"user": persona("cara").pk})
    assert chris_case.shares.filter(ended_at__isnull=True, user=persona("cara")).exists()


def test_partners_cannot_use_the_lados_buttons(signed_in, chris_case, meeting, persona) -> None:
    sharing.meeting_share(actor=persona("lara"), meeting=meeting, user=persona("pat"))
    pat = signed_in("pat")
    assert pat.post(reverse("meeting_unshare", args=[meeting.pk]), {"user": persona("pat").pk}).status_code == 404
    assert pat.post(reverse("case_unshare", args=[chris_case.pk]), {"user": persona("cara").pk}).status_code == 404
    assert pat.post(reverse("meeting_attendee_add", args=[meeting.pk]), {"name": "X"}).status_code == 404
    assert meeting.shares.filter(ended_at__isnull=True).exists()


def test_the_case_meetings_panel_offers_the_lado_the_controls(persona, chris_case, meeting) -> None:
    context = meetings_panel(persona("lara"), chris_case)
    html = render_to_string("lado/case/_meetings.html", context)
    assert "Record a meeting" in html
    assert "Cara Csc" in html
    assert "Share the whole case" in html
    assert len(context["meetings_list"]) == 2


def test_pat_sees_only_the_meeting_shared_with_him_and_no_controls(persona, chris_case, meeting) -> None:
    context = meetings_panel(persona("pat"), chris_case)
    html = render_to_string("lado/case/_meetings.html", context)
    assert [shown for shown, _ in context["meetings_list"]] == [chris_case.meetings.earliest("pk")]
    assert "Record a meeting" not in html
    assert "Stop sharing" not in html


def test_the_edit_form_is_filled_with_the_meeting_and_saves_a_change(signed_in, meeting) -> None:
    client = signed_in("lara")
    page = client.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert 'name="version" value="1"' in page
    assert 'value="Cara Csc"' in page
    held = timezone.localtime(meeting.held_at)
    answer = client.post(
        reverse("meeting_edit", args=[meeting.pk]),
        _form(held.date(), version="1", held_time=held.strftime("%H:%M"), minutes="Agreed by all."),
    )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed by all."
    assert meeting.version == 2


def test_an_edit_posted_without_its_version_gets_the_conflict_page_and_saves_nothing(signed_in, meeting) -> None:
    page = signed_in("lara").post(
        reverse("meeting_edit", args=[meeting.pk]), _form(timezone.localdate(), decisions="Overwritten.")
    )
    assert page.status_code == 409
    assert "Someone else changed this after you opened the form" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.decisions == ""
    assert meeting.version == 1


def test_a_done_button_shown_before_someone_else_marked_it_gets_the_conflict_page(signed_in, meeting, persona) -> None:
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Visit.", owner="Cara", due_on=timezone.localdate()
    )
    services.meeting_complete_action(actor=persona("mo"), meeting=meeting, action=action, expected_version=1)
    page = signed_in("lara").post(
        reverse("meeting_action_complete", args=[meeting.pk]), {"action": action.pk, "version": 1}
    )
    assert page.status_code == 409
    assert "Someone else changed this action after you opened the meeting" in page.content.decode()
    action.refresh_from_db()
    assert action.version == 2


def test_a_done_button_posted_without_its_version_gets_the_conflict_page_and_saves_nothing(
    signed_in, meeting, persona
) -> None:
    action = services.meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Visit.", owner="Cara", due_on=timezone.localdate()
    )
    page = signed_in("lara").post(reverse("meeting_action_complete", args=[meeting.pk]), {"action": action.pk})
    assert page.status_code == 409
    action.refresh_from_db()
    assert action.done_on is None
    assert action.version == 1


def test_the_share_page_does_not_offer_childrens_social_care_of_another_area(signed_in, meeting, persona) -> None:
    southvale = Organisation.objects.get(name=world.SOUTHVALE)
    csc = Organisation.objects.create(
        name="Southvale Children's Social Care", kind=OrganisationKind.CHILDRENS_SOCIAL_CARE, local_authority=southvale
    )
    sol = User.objects.create_user(email="sol.csc@southvale.example", full_name="Sol Southvale")
    Membership.objects.create(user=sol, organisation=csc, role=Role.CSC_MANAGER)
    client = signed_in("lara")
    assert "Sol Southvale" not in client.get(reverse("meeting_share", args=[meeting.pk])).content.decode()
    refused = client.post(reverse("meeting_share", args=[meeting.pk]), {"user": sol.pk})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert not meeting.shares.filter(user=sol).exists()
