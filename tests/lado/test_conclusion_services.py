"""Concluding and closing a case: the outcome and its definition, referrals confirmed or explained, sent on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.lado.nursery import accept_employers_outcome, not_known_reasons, nursery_allegation, open_nursery_case
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.errors import ConflictError
from threshold.lado.models import BodyReferral, Case, CaseStatus, Conclusion
from threshold.lado.presenters.dataset import dataset_cards
from threshold.lado.services.case_agencies import case_record_body_referral
from threshold.lado.services.conclusion import (
    body_questions,
    case_close,
    case_conclude,
    lado_conclusion_for,
    outcome_definitions,
)
from threshold.policy import get_pack

TODAY = timezone.localdate


@pytest.fixture
def nursery_case(persona, ids: dict[str, int]) -> Case:
    """Little Acorns' referral about Nell, decided Tier 2 by Lara, who has accepted the nursery's outcome."""
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    return case


def _no_referral(body: str, why: str = "Not removed from regulated activity.") -> dict[str, Any]:
    return {"body": body, "referred": False, "explanation": why}


def _conclude(persona, case: Case, **overrides: Any) -> Conclusion:
    values: dict[str, Any] = {
        "outcome": "unsubstantiated",
        "concluded_on": TODAY(),
        "summary": "Insufficient evidence either way; the nursery has refreshed its handling training.",
        "lessons": "Two adults at nappy changes.",
        "referrals": [_no_referral("dbs"), _no_referral("ofsted", "Notified by the nursery on day one.")],
        "expected_version": case.version,
        "missing_reasons": not_known_reasons(case),
        **overrides,
    }
    return case_conclude(actor=persona("lara"), case=case, **values)


def test_the_nursery_case_asks_about_the_dbs_and_ofsted_but_not_the_tra(nursery_case: Case) -> None:
    asked = [question.body for question in body_questions(nursery_case)]
    assert asked == ["dbs", "ofsted"]


def test_a_substantiated_outcome_brings_the_packs_dbs_advice(nursery_case: Case) -> None:
    dbs = body_questions(nursery_case, "substantiated")[0]
    assert dbs.advice is not None
    assert dbs.advice.consider
    assert any("substantiated" in reason.text for reason in dbs.advice.reasons)


def test_the_outcomes_are_shown_with_the_bedford_luton_packs_definitions() -> None:
    choices, note = outcome_definitions(get_pack("bedford-luton-lado"))
    assert [choice.value for choice in choices] == [
        "substantiated",
        "malicious",
        "false",
        "unsubstantiated",
        "unfounded",
    ]
    assert choices[0].definition == "There is sufficient evidence to prove the allegation."
    assert "KCSIE" in choices[0].source
    assert note == ""


def test_a_pack_without_outcome_definitions_falls_back_to_kcsies_and_says_so() -> None:
    pack = get_pack("bedford-luton-lado")
    bare = type(pack)(**{**pack.__dict__, "outcomes": {}})
    choices, note = outcome_definitions(bare)
    assert choices[3].definition.startswith("There is insufficient evidence to either prove or disprove")
    assert "these are KCSIE's definitions" in note


def test_lara_concludes_the_case_and_the_outcome_reaches_the_nursery(persona, ids, nursery_case: Case) -> None:
    conclusion = _conclude(persona, nursery_case)
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.CONCLUDED
    assert nursery_case.outcome == "unsubstantiated"
    assert nursery_case.concluded_on == TODAY()
    assert conclusion.pack == "bedford-luton-lado"
    assert conclusion.definition.startswith("There is insufficient evidence")
    rows = {row.body: row for row in BodyReferral.objects.filter(case=nursery_case)}
    assert set(rows) == {"dbs", "ofsted"}
    assert not rows["dbs"].referred
    assert rows["ofsted"].explanation == "Notified by the nursery on day one."
    case_events = AuditEvent.objects.filter(action="case.concluded", record_id=str(nursery_case.pk))
    assert case_events.count() == 1
    assert ChronologyEntry.objects.filter(case=nursery_case, text__contains="unsubstantiated").count() == 1
    # Sent to the employer: a line on the allegation's chronology and an audit event on it.
    allegation = nursery_allegation(ids)
    assert ChronologyEntry.objects.filter(allegation=allegation, text__contains="concluded case").count() == 1
    sent = AuditEvent.objects.get(action="allegation.lado_concluded", record_id=str(allegation.pk))
    assert sent.actor == persona("lara")
    assert lado_conclusion_for(allegation) == conclusion


def test_a_case_is_concluded_only_once(persona, nursery_case: Case) -> None:
    _conclude(persona, nursery_case)
    with pytest.raises(ValidationError) as again:
        _conclude(persona, nursery_case, outcome="false")
    assert again.value.message_dict["__all__"] == ["This case has already been concluded"]
    assert Conclusion.objects.filter(case=nursery_case).count() == 1


def test_a_stale_conclusion_form_conflicts_and_saves_nothing(persona, nursery_case: Case) -> None:
    with pytest.raises(ConflictError):
        _conclude(persona, nursery_case, expected_version=nursery_case.version - 1 or 99)
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.OPEN
    assert not Conclusion.objects.filter(case=nursery_case).exists()
    assert not BodyReferral.objects.filter(case=nursery_case).exists()


def test_each_asked_referral_is_confirmed_with_a_date_or_explained(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _conclude(
            persona,
            nursery_case,
            referrals=[{"body": "dbs", "referred": True, "referred_on": None}, _no_referral("ofsted", " ")],
        )
    assert refused.value.message_dict == {
        "dbs_referred_on": ["Enter the date of the referral to the Disclosure and Barring Service (DBS)"],
        "ofsted_explanation": ["Explain why no referral was made to Ofsted"],
    }
    with pytest.raises(ValidationError) as unanswered:
        _conclude(persona, nursery_case, referrals=[_no_referral("dbs")])
    assert "ofsted_referred" in unanswered.value.message_dict
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.OPEN
    assert not BodyReferral.objects.filter(case=nursery_case).exists()


def test_a_referral_made_is_recorded_with_its_date_and_reference(persona, nursery_case: Case) -> None:
    referred_on = TODAY() - dt.timedelta(days=2)
    _conclude(
        persona,
        nursery_case,
        outcome="substantiated",
        referrals=[
            {"body": "dbs", "referred": True, "referred_on": referred_on, "reference": "DBS-77"},
            {"body": "ofsted", "referred": True, "referred_on": referred_on, "reference": ""},
        ],
    )
    dbs = BodyReferral.objects.get(case=nursery_case, body="dbs")
    assert dbs.referred
    assert dbs.referred_on == referred_on
    assert dbs.reference == "DBS-77"


def test_the_outcome_date_and_summary_are_checked(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _conclude(persona, nursery_case, outcome="", concluded_on=TODAY() + dt.timedelta(days=1), summary="")
    assert set(refused.value.message_dict) == {"outcome", "concluded_on", "summary"}


def test_sam_of_southvale_cannot_conclude_or_close_a_northshire_case(persona, nursery_case: Case) -> None:
    with pytest.raises(PermissionDenied):
        case_conclude(
            actor=persona("sam"),
            case=nursery_case,
            expected_version=nursery_case.version,
            outcome="false",
            concluded_on=TODAY(),
            summary="x",
            lessons="",
            referrals=[],
        )
    _conclude(persona, nursery_case)
    with pytest.raises(PermissionDenied):
        case_close(actor=persona("sam"), case=nursery_case, expected_version=nursery_case.version)


def test_a_case_cannot_be_closed_before_it_is_concluded(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        case_close(actor=persona("lara"), case=nursery_case, expected_version=nursery_case.version)
    assert refused.value.message_dict["__all__"] == ["Conclude the case before closing it"]


def test_lara_closes_a_concluded_case_once(persona, nursery_case: Case) -> None:
    _conclude(persona, nursery_case)
    nursery_case.refresh_from_db()
    case_close(actor=persona("lara"), case=nursery_case, expected_version=nursery_case.version)
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.CLOSED
    assert nursery_case.closed_on == TODAY()
    assert AuditEvent.objects.filter(action="case.closed", record_id=str(nursery_case.pk)).count() == 1
    with pytest.raises(ValidationError):
        case_close(actor=persona("lara"), case=nursery_case, expected_version=nursery_case.version)


def test_a_case_not_from_an_employers_referral_sends_nothing_to_an_allegation(persona, chris_case: Case) -> None:
    # Without its link to Oakfield's allegation the case stands as if the referral had come by phone.
    chris_case.contact = None
    chris_case.save(update_fields=["contact"])
    before = AuditEvent.objects.filter(action="allegation.lado_concluded").count()
    _conclude(persona, chris_case, referrals=[_no_referral("dbs"), _no_referral("tra")])
    assert AuditEvent.objects.filter(action="allegation.lado_concluded").count() == before


def test_a_referral_confirmed_as_recorded_keeps_its_row_and_a_changed_one_is_added(persona, nursery_case: Case) -> None:
    referred_on = TODAY() - dt.timedelta(days=4)
    dbs = case_record_body_referral(
        actor=persona("lara"),
        case=nursery_case,
        expected_version=nursery_case.version,
        body="dbs",
        referred=True,
        referred_on=referred_on,
        reference="D-1",
    )
    ofsted = case_record_body_referral(
        actor=persona("lara"),
        case=nursery_case,
        expected_version=nursery_case.version,
        body="ofsted",
        referred=False,
        explanation="Not yet decided.",
    )
    _conclude(
        persona,
        nursery_case,
        referrals=[
            {"body": "dbs", "referred": True, "referred_on": referred_on, "reference": "D-1"},
            {"body": "ofsted", "referred": True, "referred_on": TODAY()},
        ],
    )
    assert list(BodyReferral.objects.filter(case=nursery_case, body="dbs")) == [dbs]
    assert [row.referred for row in BodyReferral.objects.filter(case=nursery_case, body="ofsted")] == [False, True]
    concluded = AuditEvent.objects.get(action="case.concluded", record_id=nursery_case.pk)
    assert concluded.details["body_referrals_confirmed"] == [dbs.pk]
    assert ofsted.pk not in concluded.details["body_referrals"]
    assert len(concluded.details["body_referrals"]) == 1


def test_the_data_set_shows_each_bodys_latest_referral_with_the_earlier_as_history(persona, nursery_case) -> None:
    case_record_body_referral(
        actor=persona("lara"),
        case=nursery_case,
        expected_version=nursery_case.version,
        body="dbs",
        referred=False,
        explanation="Awaiting the outcome.",
    )
    _conclude(
        persona,
        nursery_case,
        referrals=[{"body": "dbs", "referred": True, "referred_on": TODAY()}, _no_referral("ofsted")],
    )
    card = next(card for card in dataset_cards(nursery_case, may_change=False) if card.anchor == "dataset-bodies")
    assert [row["key"]["text"] for row in card.rows] == ["Disclosure and Barring Service (DBS)", "Ofsted"]
    value = str(card.rows[0]["value"]["html"])
    assert value.startswith("Referred on")
    assert "Earlier, recorded" in value
    assert "Not referred: Awaiting the outcome." in value
