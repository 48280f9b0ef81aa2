"""A step nobody recorded stays open, on the checklist too, until a person closes it as not needed, with a reason.

The allegation is the demo one about Chris at Oakfield, which Hana manages; it came to attention on
Christmas Eve 2026, so "Inform the LADO" fell due on Tuesday 29 December (after the bank holidays).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from threshold.allegations import services
from threshold.allegations.models import Allegation
from threshold.chronology.models import ChronologyEntry
from threshold.lado.models import Meeting
from threshold.lado.services.meetings import meeting_add_action
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
CHRISTMAS_EVE = dt.date(2026, 12, 24)


@pytest.fixture
def now() -> Iterator[None]:
    """Wednesday 6 January 2027, mid-morning: the step fell due a week ago."""
    with time_machine.travel(dt.datetime(2027, 1, 6, 10, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def allegation(records: dict[str, int], now: None, persona) -> Allegation:
    """Chris's allegation, brought to attention on Christmas Eve, its deadlines written by its services."""
    Allegation.objects.filter(pk=records["allegation_chris"]).update(came_to_attention_on=CHRISTMAS_EVE)
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    services.police_record(  # any service writes the rows; this one changes no step
        actor=persona("hana"),
        allegation=allegation,
        involved=False,
        police_reference="",
        consent_to_share="requested",
        notes="",
    )
    return allegation


def _inform(allegation: Allegation) -> Deadline:
    return Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="inform-lado")


def _page(client: Client, allegation: Allegation) -> str:
    return client.get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


def _conclude(persona, allegation: Allegation) -> None:
    services.outcome_record(
        actor=persona("hana"),
        allegation=allegation,
        report="Witnesses heard.",
        outcome="unfounded",
        concluded_on=dt.date(2027, 1, 6),
    )


def test_after_the_outcome_an_unrecorded_step_is_still_outstanding_with_a_link_to_mark_it_not_needed(
    persona, signed_in, allegation
) -> None:
    _conclude(persona, allegation)
    inform = _inform(allegation)
    assert (inform.state, inform.due_on) == (DeadlineState.OPEN, dt.date(2026, 12, 29))

    html = _page(signed_in("hana"), allegation)
    row = html[html.index('id="step-discuss-with-lado"') :].split("</tr>", 1)[0]
    assert "Overdue" in row
    assert "Not needed" not in row
    assert reverse("deadline_close", args=[inform.pk]) in row
    assert "Mark as not needed" in row


def test_after_the_outcome_a_step_with_no_clock_that_nobody_recorded_can_be_closed_with_a_reason_too(
    persona, signed_in, allegation
) -> None:
    _conclude(persona, allegation)
    parents = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="step-parents-informed")
    hana = signed_in("hana")
    html = _page(hana, allegation)
    row = html[html.index('id="step-parents-informed"') :].split("</tr>", 1)[0]
    assert reverse("deadline_close", args=[parents.pk]) in row

    hana.post(
        reverse("deadline_close", args=[parents.pk]),
        {"version": parents.version, "reason": "Agreed with the police that parents are told by them."},
    )

    parents.refresh_from_db()
    assert (parents.state, parents.closed_by) == (DeadlineState.NOT_NEEDED, persona("hana"))
    row = _page(hana, allegation).split('id="step-parents-informed"', 1)[1].split("</tr>", 1)[0]
    assert "Not needed: Agreed with the police that parents are told by them." in row


def test_closing_a_step_with_a_reason_shows_it_on_the_checklist_and_in_the_chronology(
    persona, signed_in, allegation
) -> None:
    hana = signed_in("hana")
    inform = _inform(allegation)
    url = reverse("deadline_close", args=[inform.pk])
    assert "Why is this not needed?" in hana.get(url).content.decode()

    response = hana.post(url, {"version": inform.version, "reason": "The LADO rang us first, on 24 December."})

    assert response.status_code == 302
    assert response["Location"] == reverse("allegation_detail", args=[allegation.pk])
    inform.refresh_from_db()
    assert (inform.state, inform.reason, inform.closed_by) == (
        DeadlineState.NOT_NEEDED,
        "The LADO rang us first, on 24 December.",
        persona("hana"),
    )
    assert ChronologyEntry.objects.filter(
        allegation=allegation, text__contains="Inform the LADO: marked as not needed"
    ).exists()
    html = _page(hana, allegation)
    row = html[html.index('id="step-discuss-with-lado"') :].split("</tr>", 1)[0]
    assert "Not needed: The LADO rang us first, on 24 December." in row
    assert url not in row


def test_a_later_sync_keeps_the_person_s_decision(persona, signed_in, allegation) -> None:
    inform = _inform(allegation)
    signed_in("hana").post(
        reverse("deadline_close", args=[inform.pk]), {"version": inform.version, "reason": "Agreed with the LADO."}
    )
    _conclude(persona, allegation)

    assert _inform(allegation).state == DeadlineState.NOT_NEEDED


def test_an_empty_reason_is_refused_beside_the_field_and_nothing_is_closed(signed_in, allegation) -> None:
    inform = _inform(allegation)
    response = signed_in("hana").post(
        reverse("deadline_close", args=[inform.pk]), {"version": inform.version, "reason": "  "}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'class="govuk-error-message"' in html
    assert "Enter why this is not needed" in html
    assert _inform(allegation).state == DeadlineState.OPEN


def test_a_form_loaded_before_someone_else_changed_the_step_gets_the_conflict_notice(signed_in, allegation) -> None:
    inform = _inform(allegation)
    Deadline.objects.filter(pk=inform.pk).update(version=inform.version + 1)  # someone else's change

    response = signed_in("dev").post(
        reverse("deadline_close", args=[inform.pk]), {"version": inform.version, "reason": "Not needed now."}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this after you opened the form" in html
    assert "Not needed now." in html  # their entry is given back
    assert _inform(allegation).state == DeadlineState.OPEN


def test_someone_who_may_not_change_the_allegation_cannot_reach_the_page(signed_in, allegation) -> None:
    url = reverse("deadline_close", args=[_inform(allegation).pk])

    assert signed_in("tom").get(url).status_code == 404
    assert signed_in("lara").post(url, {"version": 1, "reason": "No."}).status_code == 404
    assert _inform(allegation).state == DeadlineState.OPEN


def test_the_hearing_that_goes_with_step_8_can_be_closed_from_the_checklist_too(persona, signed_in, allegation) -> None:
    services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step="discuss-with-lado",
        done_on=dt.date(2027, 1, 5),
        decision="Agreed with the LADO.",
        route="investigation",
    )
    services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step="investigation",
        done_on=dt.date(2027, 1, 5),
        decision="The investigation's report is in.",
    )
    hearing = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="disciplinary-hearing")
    hana = signed_in("hana")
    row = _page(hana, allegation).split('id="step-investigation"', 1)[1].split("</tr>", 1)[0]
    assert reverse("deadline_close", args=[hearing.pk]) in row

    hana.post(
        reverse("deadline_close", args=[hearing.pk]), {"version": hearing.version, "reason": "Resigned; no hearing."}
    )

    row = _page(hana, allegation).split('id="step-investigation"', 1)[1].split("</tr>", 1)[0]
    assert "Disciplinary hearing not needed: Resigned; no hearing." in row


def test_a_partner_a_meeting_is_shared_with_cannot_close_the_lados_meeting_action(persona, signed_in, records) -> None:
    meeting = Meeting.objects.get(case_id=records["case_chris"])  # shared with Pat, police liaison
    meeting_add_action(
        actor=persona("lara"),
        meeting=meeting,
        description="Send the strategy meeting's minutes.",
        owner="Lara Lado",
        due_on=dt.date(2027, 1, 8),
    )
    action = Deadline.objects.get(meeting=meeting, kind="meeting-action")
    url = reverse("deadline_close", args=[action.pk])

    response = signed_in("pat").post(url, {"version": action.version, "reason": "Done by the police."})

    assert response.status_code == 404
    action.refresh_from_db()
    assert (action.state, action.closed_by) == (DeadlineState.OPEN, None)
    assert signed_in("lara").get(url).status_code == 200


def test_a_step_met_while_hana_was_writing_why_it_is_not_needed_stays_met(persona, allegation) -> None:
    from django.core.exceptions import ValidationError

    from threshold.timescales.services import deadline_close

    inform = _inform(allegation)  # as her form was loaded
    # Meanwhile the record's clocks meet it (a sync changes its state, not its version: it is no person's edit).
    Deadline.objects.filter(pk=inform.pk).update(state=DeadlineState.MET, met_on=dt.date(2027, 1, 6))
    with pytest.raises(ValidationError, match="This is already closed"):
        deadline_close(
            actor=persona("hana"), deadline=inform, reason="Told the LADO by phone.", expected_version=inform.version
        )
    inform.refresh_from_db()
    assert inform.state == DeadlineState.MET
    assert not ChronologyEntry.objects.filter(text__contains="marked as not needed").exists()
