"""Issue 13: the engine gives the advice the seeds give, no less (version 1.1 of both seed packs).

Each test quotes the seed it comes from: the trust's policy (seed 003) for the employer
side, the Bedford/Luton protocol (seed 000) for the LADO side.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.policy.test_policy_packs import MINIMAL
from threshold.policy import PackError, assess, describe_pack, get_pack, load_pack

TRUST = get_pack("lead-academy-trust")
LADO = get_pack("bedford-luton-lado")
HARM_NOT_MET = {
    "harmed_or_may_have_harmed_child": False,
    "possible_criminal_offence": False,
    "behaviour_indicates_risk_of_harm": False,
    "may_be_unsuitable_to_work_with_children": False,
}


def _police(result: Any) -> str:
    advice = result.referrals["police"]
    return "required" if advice.required else "consider" if advice.consider else "no"


def _rules(result: Any, agency: str) -> set[str]:
    return {reason.criterion for reason in result.referrals[agency].reasons}


# ---------------------------------------------------------------- which version decides


def test_new_decisions_use_version_1_1_and_version_1_0_stays_to_replay_stored_decisions() -> None:
    """Version 1.2 of the trust's pack (section 13.5's references) keeps every piece of 1.1's advice."""
    assert (TRUST.version, LADO.version) == ("1.2", "1.1")
    assert get_pack("lead-academy-trust", on=date(2026, 12, 6)).version == "1.1"
    assert get_pack("lead-academy-trust", on=date(2026, 12, 7)).version == "1.2"
    assert get_pack("lead-academy-trust", on=date(2026, 12, 4)).version == "1.1"
    assert get_pack("lead-academy-trust", on=date(2026, 12, 3)).version == "1.0"
    assert get_pack("bedford-luton-lado", on=date(2026, 12, 3)).version == "1.0"
    # Version 1.0 advised Tier 1 on no answers at all; a decision that recorded it replays exactly.
    replayed = assess(get_pack("lead-academy-trust@1.0"), {})
    assert (replayed.level, replayed.complete) == ("tier-1", True)


# ---------------------------------------------------------------- point 1: Tier 4 and suspension


def test_tier_4_requires_referral_to_lado_and_consideration_of_suspension() -> None:
    """Seed 003, Appendix 5: "Tier 4: incident which requires referral to LADO and consideration of suspension/
    police referral/ arrest/ immediate action to protect child."."""
    result = assess(TRUST, {"harmed_or_may_have_harmed_child": True, "corroborating_evidence": True})
    assert result.level == "tier-4"
    assert result.suspension.consider
    assert not result.suspension.required
    assert "tier-4-suspension-considered" in {reason.criterion for reason in result.suspension.reasons}
    assert result.suspension_alternatives
    assert _police(result) == "consider"


# ---------------------------------------------------------------- point 2a: no harm threshold answers


def test_with_no_harm_threshold_question_answered_the_engine_asks_for_them_instead_of_advising_tier_1() -> None:
    """Tier 1 is "Threshold for LADO Not Met": nobody has said so until the questions are answered."""
    result = assess(TRUST, {"safeguarding_concern": False})
    assert not result.complete
    (question,) = result.needs_answers
    assert question.text == "Answer the harm threshold questions"
    assert question.items[0] == "harmed_or_may_have_harmed_child"
    stored: Any = result.as_dict()
    assert stored["complete"] is False
    assert stored["needs_answers"][0]["text"] == "Answer the harm threshold questions"
    assert any("incomplete" in note for note in result.notes)


def test_with_the_harm_threshold_questions_answered_no_tier_1_is_the_advice() -> None:
    """Tier 1: "Complaint made by parent or carer", the harm threshold answered and not met."""
    result = assess(TRUST, {**HARM_NOT_MET, "safeguarding_concern": False})
    assert (result.level, result.complete, result.needs_answers) == ("tier-1", True, ())


@pytest.mark.parametrize("answered", list(HARM_NOT_MET))
def test_one_harm_threshold_question_answered_is_an_answer(answered: str) -> None:
    assert assess(TRUST, {answered: False}).complete


def test_a_concern_that_reaches_tier_3_on_other_facts_is_advised_without_waiting_for_the_questions() -> None:
    """ "A credible disclosure by a child … that uses the word 'hit' or 'hurt'" with an injury reported."""
    result = assess(TRUST, {"injury": "reported"})
    assert (result.level, result.complete) == ("tier-3", True)


# ---------------------------------------------------------------- point 2b: breach of a position of trust


def test_a_tier_3_breach_of_the_position_of_trust_carries_the_police_and_ofsted_consideration() -> None:
    """Seed 003, Tier 3: "Incident which requires referral to LADO and consideration of referral to other agency
    such as police or Ofsted" … "Such cases may not always involve serious injury to a child but present as a
    breach of the position of trust the professional or volunteer was in."."""
    result = assess(TRUST, {**HARM_NOT_MET, "complicated_by_numbers_or_roles": True})
    assert result.level == "tier-3"
    assert "breach-of-position-of-trust" in {reason.criterion for reason in result.reasons}
    assert "tier-3-could-meet-police-threshold" in _rules(result, "police")
    assert result.referrals["ofsted"].consider
    assert "tier-3-consider-ofsted" in _rules(result, "ofsted")
    assert result.referrals["childrens_social_care"].consider


# ---------------------------------------------------------------- point 2c: supply worker no longer teaching


@pytest.mark.parametrize("left_on", ["2025-03-10", "2025-01-31", "2024-07-19", "2025-04-01"])
def test_any_allegation_against_a_supply_worker_who_is_no_longer_teaching_should_be_referred_to_the_police(
    left_on: str,
) -> None:
    """Seed 003, Appendix 4: "Any allegations against a supply worker who is no longer teaching should be referred
    to the police." The allegation gives the date the worker left, a date on or before today (before or after
    the day the allegation was reported)."""
    facts = {
        "subject_employment": "supply",
        "left_employment_on": left_on,
        "harmed_or_may_have_harmed_child": True,
        "reported_on": "2025-03-10",
    }
    result = assess(TRUST, facts)
    assert _police(result) == "required"
    assert "supply-worker-no-longer-teaching" in _rules(result, "police")
    assert "left_employment_on" not in result.facts_not_used


def test_a_supply_worker_who_left_after_a_breach_of_trust_is_referred_to_the_police_too() -> None:
    result = assess(
        TRUST, {**HARM_NOT_MET, "subject_employment": "supply", "left_employment_on": "2025-02-28",
                "complicated_by_numbers_or_roles": True},
    )  # fmt: skip
    assert "supply-worker-no-longer-teaching" in _rules(result, "police")


def test_an_employed_member_of_staff_who_has_left_is_not_under_the_supply_worker_rule() -> None:
    result = assess(
        TRUST, {"subject_employment": "employed", "left_employment_on": "2025-02-28", "possible_criminal_offence": True}
    )
    assert "supply-worker-no-longer-teaching" not in _rules(result, "police")
    assert _police(result) == "consider"


# ---------------------------------------------------------------- point 2d: non-recent allegations


NON_RECENT = {"harmed_or_may_have_harmed_child": True, "incident_date": "1998-01-01", "reported_on": "2025-03-10"}


def test_a_non_recent_allegation_about_employed_staff_is_considered_for_the_police_not_required() -> None:
    """Seed 003, section 12: "Where an adult makes an allegation to the academy that they were abused as a child,
    we will advise the individual to report the allegation to the police." It does not make a police referral
    required; Tier 3 asks for it to be considered."""
    result = assess(TRUST, {**NON_RECENT, "subject_employment": "employed"})
    assert result.non_recent is True
    assert _police(result) == "consider"
    assert "historical-allegations" not in _rules(result, "police")
    items = next(g for g in result.guidance if g.id == "non-recent-allegations").items
    assert (
        "Where an adult makes an allegation to the academy that they were abused as a child, we will advise the"
        " individual to report the allegation to the police." in items
    )


def test_a_non_recent_allegation_whose_employment_is_not_known_is_not_police_required() -> None:
    assert _police(assess(TRUST, NON_RECENT)) == "consider"


@pytest.mark.parametrize("employment", ["supply", "volunteer"])
def test_historical_allegations_against_supply_workers_and_volunteers_should_be_referred_to_the_police(
    employment: str,
) -> None:
    """Seed 003, Appendix 4 ("relates to supply workers and volunteers"): "Historical allegations of abuse should
    also be referred to the police (KCSIE Part 4)."."""
    result = assess(TRUST, {**NON_RECENT, "subject_employment": employment})
    assert _police(result) == "required"
    assert "historical-allegations" in _rules(result, "police")


# ---------------------------------------------------------------- point 3: Working Together (LADO)


@pytest.mark.parametrize("category", ["emotional", "neglect"])
def test_emotional_abuse_or_neglect_asks_whether_it_is_abuse_as_defined_by_working_together(category: str) -> None:
    """Seed 000, 3) Tier 1: "All cases of physical, sexual, emotional abuse or neglect (as defined by Working
    Together 2013) … will be managed at Tier 1"."""
    result = assess(LADO, {"works_with_children": True, "abuse_categories": [category]})
    assert not result.complete
    (question,) = result.needs_answers
    assert question.items == ("meets_working_together_abuse_definition",)
    assert "Working Together" in question.text


@pytest.mark.parametrize("category", ["emotional", "neglect"])
def test_emotional_abuse_or_neglect_as_defined_by_working_together_is_managed_at_tier_1(category: str) -> None:
    result = assess(
        LADO,
        {"works_with_children": True, "abuse_categories": [category], "meets_working_together_abuse_definition": True},
    )
    assert (result.level, result.complete) == ("tier-1", True)
    fired = {reason.criterion: reason.text for reason in result.reasons}
    assert fired["serious-concern-about-risk"].startswith("All cases of physical, sexual, emotional abuse or neglect")
    assert "abuse-as-defined-by-working-together" in fired


def test_neglect_that_is_not_abuse_as_defined_by_working_together_is_not_tier_1_on_that_account() -> None:
    facts = {"abuse_categories": ["neglect"], "meets_working_together_abuse_definition": False}
    result = assess(LADO, {"works_with_children": True, **facts})
    assert (result.level, result.complete) == ("consultation", True)


def test_physical_abuse_does_not_wait_for_the_working_together_question() -> None:
    """Physical abuse has its own ways to Tier 1 (an injury: "we would always refer to the police")."""
    assert assess(LADO, {"abuse_categories": ["physical"]}).complete


# ---------------------------------------------------------------- point 4: criterion 3 and restraint (LADO)

CRITERION_3 = {"works_with_children": True, "may_be_unsuitable_to_work_with_children": True}


def test_criterion_3_as_the_basis_asks_whether_the_adult_may_be_the_injured_party_or_vulnerable() -> None:
    """Seed 000, Assessing criteria 3: "In such cases the adult may be the injured party or vulnerable in some
    other way."."""
    result = assess(LADO, CRITERION_3)
    assert [question.id for question in result.needs_answers] == ["criterion-3-balancing"]


def test_a_vulnerable_adult_needs_the_direct_impact_on_their_role_with_children_recorded() -> None:
    """ "In these circumstances it will be necessary to evidence a direct impact of this on his/her role with
    children before considering this within the allegations procedures."."""
    result = assess(LADO, {**CRITERION_3, "adult_injured_party_or_vulnerable": True})
    assert [question.id for question in result.needs_answers] == ["criterion-3-direct-impact"]


def test_without_evidence_of_a_direct_impact_a_vulnerable_adult_is_not_within_the_allegations_procedures() -> None:
    facts = {**CRITERION_3, "adult_injured_party_or_vulnerable": True, "direct_impact_on_role_with_children": False}
    result = assess(LADO, facts)
    assert (result.level, result.complete) == ("consultation", True)


def test_with_evidence_of_a_direct_impact_criterion_3_is_a_tier_2_allegation() -> None:
    facts = {**CRITERION_3, "adult_injured_party_or_vulnerable": True, "direct_impact_on_role_with_children": True}
    result = assess(LADO, facts)
    assert (result.level, result.complete) == ("tier-2", True)
    assert "criterion-3-personal-life" in {reason.criterion for reason in result.reasons}


def test_an_adult_who_is_not_vulnerable_meets_criterion_3_without_the_direct_impact_question() -> None:
    result = assess(LADO, {**CRITERION_3, "adult_injured_party_or_vulnerable": False})
    assert (result.level, result.complete) == ("tier-2", True)


def test_criterion_3_beside_another_limb_does_not_wait_for_the_balancing_questions() -> None:
    assert assess(LADO, {**CRITERION_3, "behaviour_indicates_risk_of_harm": True}).complete


def test_the_legitimate_use_of_physical_intervention_is_distinguished_from_an_allegation_of_assault() -> None:
    """Seed 000: "There is also a need to distinguish between allegations of assault and the legitimate use of
    physical intervention or restraint to protect a child/children from harming themselves or others, or damaging
    property."."""
    restraint = assess(LADO, {"abuse_categories": ["physical"], "legitimate_physical_intervention": True})
    assert restraint.level == "consultation"
    assert "legitimate-physical-intervention" in {reason.criterion for reason in restraint.reasons}
    assault = assess(LADO, {"abuse_categories": ["physical"], "legitimate_physical_intervention": False})
    assert "legitimate-physical-intervention" not in {reason.criterion for reason in assault.reasons}


def test_restraint_that_caused_an_injury_is_still_referred_to_the_police() -> None:
    """ "We would always refer to the police in cases where: 1. There is injury or reported injury"."""
    result = assess(
        LADO, {"abuse_categories": ["physical"], "legitimate_physical_intervention": True, "injury": "visible"}
    )
    assert (result.level, _police(result)) == ("tier-1", "required")


# ---------------------------------------------------------------- the pack format


def test_a_question_naming_an_unknown_fact_fails_loading_with_its_key(tmp_path: Path) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(
        MINIMAL
        + '\n[[needs_answers]]\nid = "q"\ntext = "Answer q"\nfacts = ["harmed_child"]\nwhen = "pattern_emerging"\n'
        'source = "Test"\n',
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"needs_answers\[0\]\.facts\[0\]"):
        load_pack(path)


def test_policy_show_lists_the_questions_in_words() -> None:
    shown: Any = describe_pack(TRUST)
    assert shown["needs_answers"][0]["text"] == "Answer the harm threshold questions"
    assert "tier-2" in shown["needs_answers"][0]["when"]


# ---------------------------------------------------------------- the national default does not under-advise


def test_the_national_pack_asks_for_the_harm_threshold_questions_rather_than_advise_below_an_allegation() -> None:
    """KCSIE's low-level concern "does not meet the allegation threshold": until someone answers the questions,
    nobody has said so (kcsie 2025.2; decisions made under 2025.1 replay as they were)."""
    current = assess(get_pack("kcsie"), {"inconsistent_with_code_of_conduct": True})
    assert (current.pack.version, current.complete) == ("2025.3", False)
    assert [question.text for question in current.needs_answers] == ["Answer the harm threshold questions"]
    earlier = assess(get_pack("kcsie@2025.1"), {"inconsistent_with_code_of_conduct": True})
    assert (earlier.level, earlier.complete) == ("low-level-concern", True)
    answered = assess(get_pack("kcsie"), {**HARM_NOT_MET, "inconsistent_with_code_of_conduct": True})
    assert (answered.level, answered.complete) == ("low-level-concern", True)
    allegation = assess(get_pack("kcsie"), {"harmed_or_may_have_harmed_child": True})
    assert (allegation.level, allegation.complete) == ("allegation", True)


def test_an_organisation_decides_with_the_version_in_force_today_and_the_first_before_any_was() -> None:
    """Version 1.2 is not used before its day; a clock set before any version's day gets the first version."""
    import time_machine

    from threshold.accounts.models import Organisation

    oakfield = Organisation(name="Oakfield Primary School", policy_pack="lead-academy-trust")
    for day, version in ((date(2026, 12, 6), "1.1"), (date(2026, 12, 7), "1.2"), (date(2020, 1, 1), "1.0")):
        with time_machine.travel(day, tick=False):
            assert oakfield.pack_in_force().version == version
    national = Organisation(name="A setting on the national pack", policy_pack="kcsie")
    with time_machine.travel(date(2024, 12, 24), tick=False):  # before KCSIE 2025's first day
        assert national.pack_in_force().version == "2025.1"
