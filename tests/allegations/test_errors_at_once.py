"""A form says every error at once: the service's own rules with its missing answers (the GOV.UK error summary).

The referral and the outcome each have rules beyond one field alone (an incident after the day it came to
attention; a TRA referral for someone not recorded as a teacher; the LADO not told of an allegation the policy
says is theirs). They were said only once the fields' own errors were fixed, so Hana met a second round of errors
after correcting the first. Now each form asks the service's rules, from the same function the service calls.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from tests.clock import on
from tests.forms import date_boxes
from threshold.allegations.models import ConfidentialityRecord, OutcomeRecord, Referral, RiskAssessment, StepRecord

pytestmark = pytest.mark.django_db


def test_an_incident_after_the_day_it_came_to_attention_is_said_with_the_referrals_missing_answers(
    signed_in, chris_allegation
) -> None:
    after = chris_allegation.attention_date() + dt.timedelta(days=3)
    with on(after):
        response = signed_in("hana").post(
            reverse("allegation_referral", args=[chris_allegation.pk]),
            {"adult_name": "Chris Coach", **date_boxes("incident_date", after)},
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_came_to_light">Choose how the allegation came to light' in html
    assert 'href="#id_incident_date_day">The date of the incident must be on or before the date it came' in html
    assert not Referral.objects.filter(allegation=chris_allegation).exists()


def test_the_outcome_forms_rules_are_said_with_its_missing_report_at_once(persona, signed_in, chris_allegation) -> None:
    chris_allegation = update_details(persona, chris_allegation, subject_is_teacher=False)
    with on(dt.date(2027, 1, 8)):
        response = signed_in("hana").post(
            reverse("allegation_outcome", args=[chris_allegation.pk]),
            {"outcome": "substantiated", "dbs_reference": "DBS/1", **date_boxes("concluded_on", dt.date(2027, 1, 8))},
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_report">' in html
    assert 'href="#id_disciplinary_route">Enter the disciplinary route for a substantiated allegation' in html
    assert 'href="#id_dbs_referred_on_day">Enter the date of the DBS referral' in html
    assert not OutcomeRecord.objects.filter(allegation=chris_allegation).exists()


def test_a_tra_referral_for_someone_not_recorded_as_a_teacher_is_said_beside_its_date_with_the_other_errors(
    persona, signed_in, chris_allegation
) -> None:
    chris_allegation = update_details(persona, chris_allegation, subject_is_teacher=False)
    with on(dt.date(2027, 1, 8)):
        response = signed_in("hana").post(
            reverse("allegation_outcome", args=[chris_allegation.pk]),
            {"outcome": "unfounded", **date_boxes("tra_referred_on", dt.date(2027, 1, 8))},
        )

    html = response.content.decode()
    assert 'href="#id_report">' in html
    assert 'href="#id_concluded_on_day">Enter the date of the outcome' in html
    assert 'href="#id_tra_referred_on_day">TRA referrals are for teachers: record the adult as a teacher first' in html


def test_no_further_action_asks_for_its_justification_and_what_goes_in_writing_with_the_missing_decision(
    signed_in, chris_allegation
) -> None:
    with on(dt.date(2027, 1, 8)):
        response = signed_in("hana").post(
            reverse("allegation_step", args=[chris_allegation.pk, "no-further-action"]),
            date_boxes("done_on", dt.date(2027, 1, 8)),
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_decision">Enter what was done or decided' in html
    assert 'href="#id_justification">Enter the justification for taking no further action' in html
    assert 'href="#id_written_to">Enter to whom it is put in writing' in html
    assert not StepRecord.objects.filter(allegation=chris_allegation).exists()


def test_a_risk_row_half_filled_is_said_with_the_risk_assessments_missing_context_and_decision(
    signed_in, chris_allegation
) -> None:
    with on(dt.date(2027, 1, 8)):
        response = signed_in("hana").post(
            reverse("allegation_risk_assessment", args=[chris_allegation.pk]),
            {"row_count": "1", "row_0_area": "PE lessons", **date_boxes("review_on", dt.date(2027, 1, 22))},
        )

    html = response.content.decode()
    assert 'href="#id_context">Enter the context of the risk assessment' in html
    assert 'href="#id_decision">Choose the decision' in html
    assert 'href="#id_row_0_potential_risks">Risk 1: enter the potential risks' in html
    assert 'href="#id_row_0_mitigation">Risk 1: enter the method of potential mitigation' in html
    assert not RiskAssessment.objects.filter(allegation=chris_allegation).exists()


def test_whom_it_was_agreed_with_is_asked_with_the_confidentiality_forms_missing_answers(
    signed_in, chris_allegation
) -> None:
    response = signed_in("hana").post(
        reverse("allegation_confidentiality", args=[chris_allegation.pk]),
        {**date_boxes("agreed_on", timezone.localdate()), "what_may_be_shared": "Nothing beyond the staff room."},
    )

    html = response.content.decode()
    assert 'href="#id_who_needs_to_know">Enter who needs to know about the allegation' in html
    assert 'href="#id_agreed_with">Choose who it was agreed with' in html
    assert not ConfidentialityRecord.objects.filter(allegation=chris_allegation).exists()


def test_an_objection_without_what_was_asked_is_said_with_the_missing_representative(
    signed_in, chris_allegation
) -> None:
    response = signed_in("hana").post(
        reverse("allegation_support", args=[chris_allegation.pk]), {"version": "0", "objection": "police"}
    )

    html = response.content.decode()
    assert 'href="#id_representative_name">Enter the named representative' in html
    assert 'href="#id_objection_detail">Enter what the police or children&#39;s social care asked' in html
