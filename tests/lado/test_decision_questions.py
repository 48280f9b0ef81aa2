"""Issue 13 on the LADO decision: the questions that weigh an allegation are asked, recorded and shown.

Seed 000 (the Bedford/Luton protocol): "All cases of physical, sexual, emotional abuse or
neglect (as defined by Working Together 2013) … will be managed at Tier 1"; criterion 3's
balancing ("the adult may be the injured party or vulnerable in some other way … it will be
necessary to evidence a direct impact of this on his/her role with children"); and "a need to
distinguish between allegations of assault and the legitimate use of physical intervention or
restraint".
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.core.record_ids import encode as rid
from threshold.lado.forms.contacts import initial_from_facts
from threshold.lado.models import ConsultationReason, Contact, Level
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.decisions import contact_decide

CRITERION_3 = {"works_with_children": True, "may_be_unsuitable_to_work_with_children": True}


@pytest.fixture
def contact(persona, northshire: Organisation) -> Contact:
    """A call Lara has just recorded about a nursery practitioner."""
    return contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=1),
        method="phone",
        source="employer",
        referrer_name="Kim Manager",
        referrer_agency="Little Steps Nursery",
        adult_name="Sam Practitioner",
        adult_date_of_birth=dt.date(1994, 6, 3),
        employer_name="Little Steps Nursery",
        summary="Children in the practitioner's room were left unchanged and hungry for long periods.",
    )


def _text(response: Any) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def _error_beside(response: Any, field: str) -> str:
    found = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', response.content.decode(), re.S
    )
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())) if found else ""


def _assess(client: Any, contact: Contact, answers: dict[str, Any]) -> Any:
    return client.post(
        f"/lado/contacts/{rid(contact.pk)}/decision/", {"version": contact.version, **answers, "action": "assess"}
    )


def test_choosing_neglect_asks_the_working_together_question_beside_its_field(signed_in, contact: Contact) -> None:
    page = _assess(signed_in("lara"), contact, {"works_with_children": "yes", "abuse_categories": ["neglect"]})
    assert page.status_code == 200
    assert "There is a problem" in _text(page)
    assert _error_beside(page, "working_together") == (
        "Error: Answer whether this is an allegation of abuse as defined by Working Together"
    )
    assert "The pack's advice" not in _text(page)
    assert not contact.decisions.exists()


def test_emotional_abuse_as_defined_by_working_together_is_advised_tier_1(signed_in, contact: Contact) -> None:
    page = _assess(
        signed_in("lara"),
        contact,
        {"works_with_children": "yes", "abuse_categories": ["emotional"], "working_together": "yes"},
    )
    text = _text(page)
    assert "The pack's advice: Tier 1 referral (active case)" in text
    assert "All cases of physical, sexual, emotional abuse or neglect (as defined by Working Together 2013)" in text
    assert _error_beside(page, "working_together") == ""


def test_the_service_refuses_a_decision_on_neglect_without_the_working_together_answer(
    persona, contact: Contact
) -> None:
    with pytest.raises(ValidationError) as refused:
        contact_decide(
            actor=persona("lara"),
            contact=contact,
            facts={"works_with_children": True, "abuse_categories": ["neglect"]},
            level=Level.TIER_2,
            override_reason="Monitoring is enough.",
            expected_version=contact.version,
        )
    assert list(refused.value.message_dict) == ["meets_working_together_abuse_definition"]
    assert not contact.decisions.exists()


def test_criterion_3_alone_asks_whether_the_adult_may_be_the_injured_party_or_vulnerable(
    signed_in, contact: Contact
) -> None:
    page = _assess(
        signed_in("lara"),
        contact,
        {"works_with_children": "yes", "definition": ["may_be_unsuitable_to_work_with_children"]},
    )
    assert _error_beside(page, "adult_vulnerable") == (
        "Error: Answer whether the adult may be the injured party or vulnerable in some other way"
    )


def test_a_vulnerable_adult_is_asked_for_the_evidence_of_a_direct_impact_on_their_role(
    signed_in, contact: Contact
) -> None:
    page = _assess(
        signed_in("lara"),
        contact,
        {
            "works_with_children": "yes",
            "definition": ["may_be_unsuitable_to_work_with_children"],
            "adult_vulnerable": "yes",
        },
    )
    assert _error_beside(page, "direct_impact") == (
        "Error: Answer whether there is evidence of a direct impact on the adult's role with children"
    )


def test_criterion_3_s_balancing_is_recorded_in_the_decision_and_shown_on_its_summary(
    signed_in, persona, contact: Contact
) -> None:
    facts = {**CRITERION_3, "adult_injured_party_or_vulnerable": True, "direct_impact_on_role_with_children": True}
    decision = contact_decide(
        actor=persona("lara"), contact=contact, facts=facts, level=Level.TIER_2, expected_version=contact.version
    )
    assert decision.advised_level == Level.TIER_2
    assert decision.facts["adult_injured_party_or_vulnerable"] is True
    assert decision.facts["direct_impact_on_role_with_children"] is True
    text = _text(signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "Criterion 3: the adult may be the injured party or vulnerable Yes" in text
    assert "Criterion 3: evidence of a direct impact on the role with children Yes" in text


def test_without_evidence_of_a_direct_impact_the_advice_is_a_consultation(persona, contact: Contact) -> None:
    facts = {**CRITERION_3, "adult_injured_party_or_vulnerable": True, "direct_impact_on_role_with_children": False}
    decision = contact_decide(
        actor=persona("lara"),
        contact=contact,
        facts=facts,
        level=Level.CONSULTATION,
        consultation_reason=ConsultationReason.OTHER,
        rationale="No evidence that the adult's circumstances affect their work with children.",
        expected_version=contact.version,
    )
    assert decision.advised_level == Level.CONSULTATION
    assert not decision.overridden


def test_the_restraint_distinction_is_recorded_and_shown_on_the_decision(signed_in, persona, contact: Contact) -> None:
    page = _assess(
        signed_in("lara"),
        contact,
        {"works_with_children": "yes", "abuse_categories": ["physical"], "physical_intervention": "yes"},
    )
    assert "legitimate use of physical intervention or restraint to protect a child/children" in _text(page)
    decision = contact_decide(
        actor=persona("lara"),
        contact=contact,
        facts={"works_with_children": True, "abuse_categories": ["physical"], "legitimate_physical_intervention": True},
        level=Level.CONSULTATION,
        consultation_reason=ConsultationReason.OTHER,
        rationale="The practitioner held the child to stop him running into the road.",
        expected_version=contact.version,
    )
    assert decision.facts["legitimate_physical_intervention"] is True
    text = _text(signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "Legitimate physical intervention or restraint (not an allegation of assault) Yes" in text


def test_the_recorded_answers_fill_the_decision_form_again() -> None:
    initial = initial_from_facts(
        {"meets_working_together_abuse_definition": False, "legitimate_physical_intervention": True}
    )
    assert (initial["working_together"], initial["physical_intervention"]) == ("no", "yes")
    assert "adult_vulnerable" not in initial


def test_the_advice_quotes_what_the_protocol_says_for_the_matter(signed_in, contact: Contact) -> None:
    """The protocol's guidance that applies, in its words, under "What the policy says": a physical allegation
    brings "a need to distinguish between allegations of assault and the legitimate use of physical intervention"."""
    page = _assess(
        signed_in("lara"),
        contact,
        {"works_with_children": "yes", "abuse_categories": ["physical"], "harmed_or_may_have_harmed_child": "yes"},
    )
    body = page.content.decode()
    said = _text(page)[_text(page).index("What the policy says") :]
    assert body.count('id="guidance"') == 1
    assert "distinguish between allegations of assault and the legitimate use of physical intervention" in said
