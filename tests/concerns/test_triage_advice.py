"""Issue 13 on the triage page: the advice box lists suspension, and no answers means no Tier 1 advice.

Seed 003 (the trust's policy), Appendix 5: "Tier 4: incident which requires referral to LADO
and consideration of suspension/ police referral/ arrest/ immediate action to protect child",
and Tier 1 is "Threshold for LADO Not Met", which nobody has said until the harm threshold
questions are answered.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.concerns.conftest import TIER_2_FACTS
from threshold.concerns import services
from threshold.concerns.models import Concern, ConcernStatus, Triage

pytestmark = pytest.mark.django_db

TIER_4_ANSWERS = {"harmed_or_may_have_harmed_child": "yes", "corroborating_evidence": "yes"}


def _error_beside(body: str, field: str) -> str:
    """The text of the GOV.UK error message beside ``field`` ('' when there is none)."""
    found = re.search(rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', body, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


@pytest.fixture
def concern(share, persona) -> Concern:
    """Tom's concern about Chris, raised yesterday at Oakfield, waiting for Hana's triage."""
    return share(persona("tom"))


def test_the_advice_box_lists_suspension_for_a_tier_4_allegation(signed_in, concern: Concern) -> None:
    page = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]), {**TIER_4_ANSWERS, "version": concern.version, "step": "assess"}
    )
    body = page.content.decode()
    assert "Tier 4: incident which requires referral to LADO and consideration of suspension" in body
    box = body.split('id="advice-suspension"')[1].split("</div>")[0]
    assert "Suspension: consider" in box
    assert "Suspension should be considered in any case where there is cause to suspect a child is at risk" in box
    assert "Redeployment within the academy" in box


def test_a_tier_2_low_level_concern_lists_no_suspension(signed_in, concern: Concern) -> None:
    answers = {
        name: "yes" if value is True else "no" if value is False else value for name, value in TIER_2_FACTS.items()
    }
    page = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]), {**answers, "version": concern.version, "step": "assess"}
    )
    body = page.content.decode()
    assert "Tier 2: Low Level concern" in body
    assert 'id="advice-suspension"' not in body


def test_with_no_harm_threshold_question_answered_the_page_asks_for_them_instead_of_advising_tier_1(
    signed_in, concern: Concern
) -> None:
    page = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {"safeguarding_concern": "no", "version": concern.version, "step": "assess"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body
    assert _error_beside(body, "harmed_or_may_have_harmed_child") == "Error: Answer the harm threshold questions"
    assert 'href="#id_harmed_or_may_have_harmed_child"' in body
    assert "The policy's advice" not in body
    assert "Tier 1: Low level concern" not in body


def test_answering_the_harm_threshold_questions_no_gives_the_tier_1_advice(signed_in, concern: Concern) -> None:
    answers = {name: "no" for name in TIER_2_FACTS if name.startswith(("harmed", "possible", "behaviour", "may_be"))}
    page = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {**answers, "safeguarding_concern": "no", "version": concern.version, "step": "assess"},
    )
    body = page.content.decode()
    assert "Tier 1: Low level concern incident that needs recording" in body
    assert _error_beside(body, "harmed_or_may_have_harmed_child") == ""


def test_a_triage_decision_without_the_harm_threshold_answers_is_refused_and_nothing_is_saved(
    persona, concern: Concern
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.concern_triage(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            raw_facts={"safeguarding_concern": False},
            decision="low_level",
            rationale="A complaint with no safeguarding concern.",
        )
    assert refused.value.message_dict == {"harmed_or_may_have_harmed_child": ["Answer the harm threshold questions"]}
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert not Triage.objects.filter(concern=concern).exists()


def test_a_concern_raised_yesterday_is_triaged_with_the_pack_in_force_on_the_day_of_the_decision(
    persona, concern: Concern
) -> None:
    triage = services.concern_triage(
        actor=persona("hana"),
        concern=concern,
        expected_version=concern.version,
        raw_facts=TIER_2_FACTS,
        decision="low_level",
        rationale="Inappropriate but not harmful.",
    )
    assert isinstance(triage, Triage), "Hana is the headteacher: her decision needs no sign-off"
    assert (triage.pack_id, triage.pack_version) == ("lead-academy-trust", "1.2")
    assert triage.result["complete"] is True
    assert triage.facts["reported_on"] == concern.raised_on.isoformat()


def test_triage_asks_when_the_incident_happened_and_says_when_it_is_non_recent(signed_in, concern: Concern) -> None:
    """An incident more than 12 months before the concern was raised is non-recent (historic), and the advice
    quotes what the policy says of such allegations (sections 4 and 12)."""
    client = signed_in("hana")
    url = reverse("concern_triage", args=[concern.pk])
    assert "When did the incident happen?" in client.get(url).content.decode()
    answers = {**TIER_4_ANSWERS, "version": concern.version, "step": "assess"}
    years_ago = concern.raised_on.replace(year=concern.raised_on.year - 3)
    page = client.post(
        url,
        {**answers, "incident_date_day": "1", "incident_date_month": "5", "incident_date_year": str(years_ago.year)},
    )
    body = page.content.decode()
    advice = body[body.index('id="advice"') :]
    assert "Yes: the incident was long before the concern was raised" in advice
    assert "Abuse can be reported, no matter how long ago it happened." in advice
    recent = client.post(url, answers).content.decode()
    assert "Non-recent (historic)" not in recent[recent.index('id="advice"') :]  # not given: not said either way


def test_an_incident_after_the_concern_was_raised_is_refused_beside_its_date(signed_in, concern: Concern) -> None:
    later = concern.raised_on + dt.timedelta(days=1)
    page = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {
            **TIER_4_ANSWERS,
            "version": concern.version,
            "step": "decide",
            "decision": "allegation",
            "rationale": "Tier 4.",
            "incident_date_day": str(later.day),
            "incident_date_month": str(later.month),
            "incident_date_year": str(later.year),
        },
    )
    body = page.content.decode()
    beside = body[body.index('id="incident_date-date-error"') :]
    assert "The date of the incident must be on or before the day the concern was raised" in beside[:300]
    assert not Triage.objects.filter(concern=concern).exists()
