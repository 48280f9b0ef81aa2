"""Lara's forms say every error at once: the service's own rules with the fields' missing answers (GOV.UK).

The conclusion, a line of investigation and a referral to a body each have rules beyond one field alone (a
referral confirmed or explained for each body the case asks about, an outcome's date unless ongoing, a regulator
named). They were said only once the fields' own errors were fixed, so Lara met a second round of errors after
correcting the first.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.forms import date_boxes
from threshold.lado.models import BodyReferral, CaseStatus, Contact, Investigation
from threshold.lado.services.case_agencies import case_record_body_referral

pytestmark = pytest.mark.django_db


def test_concluding_without_a_summary_also_asks_whether_each_body_was_referred(signed_in, nursery_case) -> None:
    response = signed_in("lara").post(
        reverse("case_conclusion", args=[nursery_case.pk]),
        {
            "version": nursery_case.version,
            "outcome": "unsubstantiated",
            **date_boxes("concluded_on", timezone.localdate()),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_summary">Enter a summary of the conclusion for the employer' in html
    assert 'href="#id_dbs_referred">Say whether a referral was made to the Disclosure and Barring Service' in html
    assert 'href="#id_ofsted_referred">Say whether a referral was made to Ofsted' in html
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.OPEN


def test_a_line_of_investigation_with_an_outcome_but_no_dates_says_both_dates_at_once(signed_in, nursery_case) -> None:
    response = signed_in("lara").post(
        reverse("case_record_investigation", args=[nursery_case.pk, "criminal"]),
        {"version": nursery_case.version, "outcome": "other"},
    )

    html = response.content.decode()
    assert 'href="#id_referred_on_day">Enter the date it was referred or started' in html
    assert 'href="#id_outcome_on_day">Enter the date of the outcome' in html
    assert 'href="#id_outcome_detail">Describe the outcome' in html
    assert not Investigation.objects.filter(case=nursery_case).exists()


def test_a_referral_to_a_regulator_asks_its_name_with_whether_one_was_made(signed_in, nursery_case) -> None:
    response = signed_in("lara").post(
        reverse("case_record_body_referral", args=[nursery_case.pk]),
        {"version": nursery_case.version, "body": "regulator"},
    )

    html = response.content.decode()
    assert 'href="#id_referred">Say whether a referral was made' in html
    assert 'href="#id_body_name">Enter the name of the body' in html
    assert not BodyReferral.objects.filter(case=nursery_case).exists()


def test_a_professionals_contact_asks_for_their_name_and_agency_with_the_missing_circumstances(signed_in) -> None:
    before = Contact.objects.count()
    response = signed_in("lara").post(
        "/lado/contacts/new/",
        {
            **date_boxes("received", timezone.localdate() + dt.timedelta(days=1)),
            "received_time": "9am",
            "method": "phone",
            "source": "employer",
        },
    )

    html = response.content.decode()
    assert 'href="#id_received_day">The date and time the contact was received must be in the past' in html
    assert 'href="#id_summary">Enter brief details of the circumstances' in html
    assert 'href="#id_referrer_name">Enter the name of the professional making the contact' in html
    assert 'href="#id_referrer_agency">Enter the agency making the contact' in html
    assert Contact.objects.count() == before


def test_the_service_refuses_a_referral_to_a_body_without_saying_whether_it_was_made(persona, nursery_case) -> None:
    with pytest.raises(ValidationError) as refused:
        case_record_body_referral(
            actor=persona("lara"),
            case=nursery_case,
            body="dbs",
            referred=None,  # type: ignore[arg-type]  # as a script or a stale form might send it
            expected_version=nursery_case.version,
        )
    assert refused.value.message_dict == {"referred": ["Say whether a referral was made"]}
