"""The LADO's decision answers carry into the new case's recording data set (issue 13: Lara no longer types them again).

The protocol's data set asks for the "Category of abuse (physical, sexual, neglect, conduct etc); date of
incident" and "How did allegation come to light"; the decision already asked the category, the injury and the
date. A LADO can still change each on the case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.lado.nursery import refer_nursery_allegation
from threshold.accounts.models import Organisation
from threshold.lado.models import Case, Contact
from threshold.lado.presenters.dataset import dataset_cards
from threshold.lado.services.cases import case_update_dataset
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.decisions import contact_decide

TODAY = timezone.localdate  # asked when used, not when the module loads: a run may cross midnight
A_WEEK_AGO = TODAY() - dt.timedelta(days=7)
# A red mark on a child: the protocol's Tier 1 (police always referred), with the decision's own answers.
DECIDED = {
    "works_with_children": True,
    "adult_identified": True,
    "harmed_or_may_have_harmed_child": True,
    "abuse_categories": ["physical"],
    "injury": "visible",
    "incident_date": A_WEEK_AGO.isoformat(),
    "setting_type": "other",
}


@pytest.fixture
def police_contact(persona, northshire: Organisation) -> Contact:
    """The police tell Lara about a youth club volunteer who left a red mark on a child."""
    return contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=2),
        method="phone",
        source="police",
        referrer_name="DC Synthetic",
        referrer_agency="Northshire Police",
        adult_name="Robyn Youthleader",
        employer_name="Northshire Youth Club",
        summary="A young person has a red mark after the volunteer grabbed their arm.",
    )


def _decide(persona, contact: Contact, facts: dict, level: str = "tier-1") -> Case:
    decision = contact_decide(
        actor=persona("lara"),
        contact=contact,
        expected_version=contact.version,
        facts=facts,
        level=level,
        override_reason="Decided on the facts given.",
    )
    assert decision.case is not None
    return decision.case


def test_the_category_of_abuse_injury_and_date_of_incident_from_the_decision_open_the_case(
    persona, police_contact: Contact
) -> None:
    case = _decide(persona, police_contact, DECIDED)
    assert case.abuse_categories == ["physical"]
    assert case.injury == "visible"
    assert case.incident_date == A_WEEK_AGO
    assert case.non_recent is False
    # "How did allegation come to light": the police told the LADO.
    assert case.came_to_light == "police"
    # The decision's kind of setting, where Threshold does not know the employer.
    assert case.sector == "other"
    assert case.referring_agency == "Northshire Police"


def test_the_case_page_shows_the_injury_the_decision_recorded(persona, police_contact: Contact) -> None:
    case = _decide(persona, police_contact, DECIDED)
    rows = {
        row["key"]["text"]: row["value"].get("text")
        for card in dataset_cards(case, may_change=True)
        for row in card.rows
    }
    assert rows["Injury to the child"] == "Visible injury, including a red mark"
    assert rows["Category of abuse"] == "Physical"


def test_lara_can_still_change_what_the_decision_carried_into_the_data_set(persona, police_contact: Contact) -> None:
    case = _decide(persona, police_contact, DECIDED)
    changed = case_update_dataset(
        actor=persona("lara"),
        case=case,
        dataset={"injury": "reported", "abuse_categories": ["physical", "emotional"], "came_to_light": "complaint"},
        expected_version=case.version,
    )
    assert changed.injury == "reported"
    assert changed.abuse_categories == ["physical", "emotional"]
    assert changed.came_to_light == "complaint"


def test_the_allegation_page_of_the_data_set_asks_the_injury(persona, signed_in, police_contact: Contact) -> None:
    case = _decide(persona, police_contact, DECIDED)
    page = signed_in("lara").get(reverse("case_change_dataset", args=[case.pk, "allegation"])).content.decode()
    assert "Injury to the child" in page
    assert '<option value="visible" selected>' in page


def test_the_lados_answers_on_the_decision_come_before_the_employers_referral(persona, ids) -> None:
    contact = refer_nursery_allegation(persona, ids)
    referral = contact.referral
    assert referral is not None
    case = _decide(persona, contact, {**DECIDED, "abuse_categories": ["physical", "conduct"]})
    assert case.abuse_categories == ["physical", "conduct"]
    # What the decision did not answer stays as the employer recorded it; a known employer gives the sector.
    assert case.came_to_light == referral.came_to_light
    assert case.sector == "early_years"


def test_a_decision_without_those_answers_leaves_the_data_set_as_the_contact_had_it(
    persona, police_contact: Contact
) -> None:
    facts = {key: value for key, value in DECIDED.items() if key not in ("abuse_categories", "injury", "incident_date")}
    case = _decide(persona, police_contact, facts, level="tier-2")
    assert case.abuse_categories == []
    assert case.injury == ""
    assert case.incident_date is None
