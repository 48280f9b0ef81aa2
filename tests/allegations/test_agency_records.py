"""Appendix 4: "The supply agency's human resources manager or nominated person should be invited to meetings …
and should be kept up to date", and "The agency must contact the Academy with any outcome of their processes …
factual references … must provide assurances … updated their letter of comfort"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from threshold.accounts.models import Organisation
from threshold.allegations import services
from threshold.allegations.models import AgencyLiaison, AgencyReply, Allegation
from threshold.demo.world import SUPPLY_PARTNERS

TODAY = timezone.localdate


@pytest.fixture
def supply_allegation(persona, chris_allegation) -> Allegation:
    """Chris as a supply worker from Supply Partners Ltd."""
    agency = Organisation.objects.get(name=SUPPLY_PARTNERS)
    return update_details(persona, chris_allegation, subject_employment="supply", agency=agency)


def _page(signed_in, allegation: Allegation) -> str:
    return signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


def test_the_agencys_hr_manager_is_recorded_as_a_contact_and_each_invitation_and_update_logged(
    signed_in, persona, supply_allegation
) -> None:
    hana = persona("hana")
    html = _page(signed_in, supply_allegation)
    assert reverse("allegation_agency_hr_manager", args=[supply_allegation.pk]) in html
    services.agency_hr_manager_record(
        actor=hana, allegation=supply_allegation, name="Sandra Shaw", email="hr@supplypartners.example"
    )
    services.agency_liaison_add(
        actor=hana, allegation=supply_allegation, kind="invitation", sent_on=TODAY(), about="The strategy meeting"
    )
    services.agency_liaison_add(
        actor=hana, allegation=supply_allegation, kind="update", sent_on=TODAY(), about="The Trust's procedure"
    )
    assert AgencyLiaison.objects.filter(allegation=supply_allegation).count() == 2
    html = _page(signed_in, supply_allegation)
    assert "Sandra Shaw, hr@supplypartners.example" in html
    assert f"{TODAY():%-d %B %Y}: Invitation to a meeting, The strategy meeting" in html
    assert "Update on policies and processes, The Trust&#39;s procedure" in html
    # A contact, not an account: Threshold emails the agency nothing.
    assert mail.outbox == []


def test_the_hr_managers_email_must_be_an_email_address(persona, supply_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.agency_hr_manager_record(
            actor=persona("hana"), allegation=supply_allegation, name="Sandra Shaw", email="Sandra at the agency"
        )
    assert raised.value.message_dict["email"] == ["Enter an email address in the correct format, like name@example.com"]


def test_nothing_is_logged_as_sent_before_the_hr_manager_is_recorded(persona, supply_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.agency_liaison_add(
            actor=persona("hana"), allegation=supply_allegation, kind="update", sent_on=TODAY(), about="x"
        )
    assert raised.value.message_dict["kind"] == ["Record the agency's HR manager first"]


def test_the_agencys_outcome_reference_assurances_and_letter_of_comfort_are_recorded(
    signed_in, supply_allegation
) -> None:
    url = reverse("allegation_agency_reply", args=[supply_allegation.pk])
    hana = signed_in("hana")
    assert hana.get(url).status_code == 200
    response = hana.post(url, {"outcome_notes": "Removed from the agency's register."})
    assert response.status_code == 200
    assert "Enter the date of the outcome of the agency&#39;s processes" in response.content.decode()
    today = TODAY()
    on = {"day": today.day, "month": today.month, "year": today.year}
    response = hana.post(
        url,
        {
            **{f"outcome_received_on_{part}": value for part, value in on.items()},
            "outcome_notes": "Removed from the agency's register.",
            **{f"reference_received_on_{part}": value for part, value in on.items()},
            "reference_notes": "References will state the outcome.",
            **{f"assurances_received_on_{part}": value for part, value in on.items()},
            **{f"letter_of_comfort_updated_on_{part}": value for part, value in on.items()},
        },
    )
    assert response.status_code == 302
    reply = AgencyReply.objects.get()
    assert reply.letter_of_comfort_updated_on == today
    html = _page(signed_in, supply_allegation)
    assert "Removed from the agency&#39;s register." in html
    assert "Updated letter of comfort" in html


def test_an_employee_has_no_agency_hr_manager(signed_in, persona, chris_allegation) -> None:
    assert "The agency&#39;s HR manager" not in _page(signed_in, chris_allegation)
    with pytest.raises(ValidationError):
        services.agency_hr_manager_record(
            actor=persona("hana"), allegation=chris_allegation, name="Sandra Shaw", email="hr@supplypartners.example"
        )
