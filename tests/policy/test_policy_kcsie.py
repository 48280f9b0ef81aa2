"""The national default pack: KCSIE Part 4's harm threshold, low-level concerns and duties."""

from __future__ import annotations

from typing import Any

import pytest

from threshold.policy import HARM_THRESHOLD_FACTS, assess, get_pack

PACK = get_pack("kcsie")

LIMBS = {
    "harmed_or_may_have_harmed_child": "Behaved in a way that has harmed a child, or may have harmed a child",
    "possible_criminal_offence": "Possibly committed a criminal offence against or related to a child",
    "behaviour_indicates_risk_of_harm": (
        "Behaved towards a child or children in a way that indicates he or she may pose a risk of harm to children"
    ),
    "may_be_unsuitable_to_work_with_children": (
        "Behaved or may have behaved in a way that indicates they may not be suitable to work with children"
    ),
}


@pytest.mark.parametrize("fact", HARM_THRESHOLD_FACTS)
def test_each_limb_of_the_harm_threshold_makes_an_allegation_to_refer_to_the_lado_within_one_working_day(
    fact: str,
) -> None:
    result = assess(PACK, {fact: True, "reported_on": "2026-03-06"})
    assert result.level == "allegation"
    assert result.meets_harm_threshold
    assert result.refer_to_lado
    assert [r.text for r in result.reasons] == [LIMBS[fact]]
    inform = next(d for d in result.deadlines if d.id == "inform-lado")
    assert inform.due.isoformat() == "2026-03-09"  # Friday -> Monday


# Each KCSIE example of a low-level concern, the facts that describe it, and the limb of
# the harm threshold it would cross if it went further (which must make it an allegation).
LOW_LEVEL_EXAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "being over friendly with children": (
        {"inconsistent_with_code_of_conduct": True, "behaviour_indicates_risk_of_harm": False},
        "behaviour_indicates_risk_of_harm",
    ),
    "having favourites": (
        {"inconsistent_with_code_of_conduct": True, "harmed_or_may_have_harmed_child": False},
        "harmed_or_may_have_harmed_child",
    ),
    "taking photographs of children on their mobile phone, contrary to school policy": (
        {"inconsistent_with_code_of_conduct": True, "possible_criminal_offence": False},
        "possible_criminal_offence",
    ),
    "engaging with a child on a one-to-one basis in a secluded area or behind a closed door": (
        {"inconsistent_with_code_of_conduct": True, "sexual_interest_in_children_concern": False},
        "sexual_interest_in_children_concern",
    ),
    "humiliating pupils": (
        {"inconsistent_with_code_of_conduct": True, "harmed_or_may_have_harmed_child": False},
        "harmed_or_may_have_harmed_child",
    ),
}


def test_the_pack_lists_exactly_kcsie_s_low_level_concern_examples() -> None:
    assert list(PACK.low_level_concerns.examples) == list(LOW_LEVEL_EXAMPLES)


@pytest.mark.parametrize("example", list(LOW_LEVEL_EXAMPLES))
def test_kcsie_s_low_level_concern_examples_are_low_level_concerns_until_they_cross_the_harm_threshold(
    example: str,
) -> None:
    """Inconsistent with the staff code of conduct, and the harm threshold not met; cross it and it is an allegation."""
    facts, escalation = LOW_LEVEL_EXAMPLES[example]
    result = assess(PACK, facts)
    assert result.level == "low-level-concern"
    assert not result.refer_to_lado
    assert not result.meets_harm_threshold
    assert [r.criterion for r in result.reasons] == ["inconsistent-with-code-of-conduct"]
    assert "does not meet the harm threshold" in result.reasons[0].text
    assert result.spectrum is not None
    assert result.spectrum.id == "low-level-concern"
    assert not any(advice.consider for advice in result.referrals.values())
    escalated = assess(PACK, facts | {escalation: True})
    assert escalated.level == "allegation"
    assert escalated.refer_to_lado


def test_the_low_level_concern_definition_uses_the_current_kcsie_words() -> None:
    """KCSIE 2022 onward: "does not meet the harm threshold or is otherwise not serious enough"."""
    definition = PACK.low_level_concerns.definition
    assert "does not meet the harm threshold or is otherwise not serious enough to consider a referral to the LADO" in (
        definition
    )
    assert "allegations threshold" not in definition
    criterion = PACK.level("low-level-concern").criteria[0]
    assert criterion.text == definition


def test_behaviour_consistent_with_the_code_of_conduct_is_appropriate_conduct() -> None:
    result = assess(PACK, {"inconsistent_with_code_of_conduct": False})
    assert result.level == "appropriate-conduct"
    assert result.spectrum is not None
    assert (
        result.spectrum.text
        == "Behaviour which is entirely consistent with the organisation's staff code of conduct, and the law."
    )


def test_with_no_facts_the_lowest_level_is_advised_and_the_note_says_why() -> None:
    result = assess(PACK, {})
    assert (result.level, result.reasons) == ("appropriate-conduct", ())
    assert "No criterion fired" in result.notes[0]


def test_an_allegation_reported_on_christmas_eve_has_every_kcsie_deadline() -> None:
    result = assess(PACK, {"harmed_or_may_have_harmed_child": True, "reported_on": "2025-12-24"})
    due = {d.id: d.due.isoformat() for d in result.deadlines}
    assert due == {
        "inform-lado": "2025-12-29",
        "lado-initial-decision": "2025-12-29",
        "evaluation-meeting": "2026-01-05",
        "no-further-action-employer-action": "2025-12-31",
        "investigation-report": "2026-01-12",
        "disciplinary-hearing": "2026-01-19",
        "resolve-target-one-month": "2026-01-24",
        "resolve-target-three-months": "2026-03-24",
        "resolve-target-twelve-months": "2026-12-24",
    }


def test_an_early_years_setting_notifies_ofsted_within_fourteen_calendar_days() -> None:
    result = assess(
        PACK, {"setting_type": "early_years", "harmed_or_may_have_harmed_child": True, "reported_on": "2025-12-24"}
    )
    assert result.referrals["ofsted"].required
    ofsted = next(d for d in result.deadlines if d.id == "ofsted-notification")
    assert (ofsted.due.isoformat(), ofsted.counting) == ("2026-01-07", "14 calendar days")


def test_a_school_does_not_notify_ofsted_of_the_same_allegation() -> None:
    result = assess(PACK, {"setting_type": "school", "harmed_or_may_have_harmed_child": True})
    assert not result.referrals["ofsted"].consider


def test_removal_from_regulated_activity_is_a_legal_duty_to_refer_to_the_dbs() -> None:
    assert assess(PACK, {"removed_from_regulated_activity": True}).referrals["dbs"].required
    left = assess(PACK, {"resigned_before_conclusion": True, "outcome": "substantiated"})
    assert left.referrals["dbs"].required
    substantiated = assess(PACK, {"outcome": "substantiated"})
    assert (substantiated.referrals["dbs"].required, substantiated.referrals["dbs"].consider) == (False, True)


def test_a_tra_referral_is_considered_for_a_teacher_at_the_conclusion() -> None:
    result = assess(PACK, {"subject_is_teacher": True, "outcome": "substantiated"})
    assert (result.referrals["tra"].required, result.referrals["tra"].consider) == (False, True)
    assert not assess(PACK, {"outcome": "substantiated"}).referrals["tra"].consider


def test_an_interim_prohibition_order_requires_the_teacher_to_stop_teaching() -> None:
    result = assess(PACK, {"subject_is_teacher": True, "interim_prohibition_order": True})
    assert result.suspension.required
    assert result.referrals["tra"].consider


def test_a_teacher_facing_an_allegation_has_reporting_restrictions() -> None:
    result = assess(PACK, {"subject_is_teacher": True, "possible_criminal_offence": True})
    assert "reporting-restrictions" in {g.id for g in result.guidance}


def test_historical_allegations_of_abuse_are_referred_to_the_police() -> None:
    result = assess(
        PACK, {"harmed_or_may_have_harmed_child": True, "incident_date": "2001-09-01", "reported_on": "2025-09-01"}
    )
    assert result.non_recent is True
    assert result.referrals["police"].required


def test_a_case_clear_at_once_to_be_malicious_is_resolved_within_a_week() -> None:
    result = assess(PACK, {"outcome": "malicious", "reported_on": "2026-03-02"})
    assert [(d.id, d.due.isoformat()) for d in result.deadlines] == [("resolve-target-one-week", "2026-03-09")]
    assert result.outcome is not None
    assert result.outcome.text.startswith("There is sufficient evidence to disprove the allegation")


def test_facts_the_pack_does_not_use_are_reported_rather_than_silently_ignored() -> None:
    result = assess(PACK, {"practice_issue_only": True, "harmed_or_may_have_harmed_child": True})
    assert result.facts_not_used == ("practice_issue_only",)


def test_without_reported_on_no_deadline_is_invented_and_the_note_says_so() -> None:
    result = assess(PACK, {"possible_criminal_offence": True})
    assert result.deadlines == ()
    assert any("the date it was reported was not given" in note for note in result.notes)


def test_the_assessment_json_has_every_key_the_issue_promises() -> None:
    result: Any = assess(PACK, {"possible_criminal_offence": True, "reported_on": "2026-03-02"}).as_dict()
    assert {
        "pack",
        "version",
        "level",
        "meets_harm_threshold",
        "refer_to_lado",
        "referrals",
        "reasons",
        "deadlines",
    } <= (set(result))
    assert "non_recent" in result
    assert result["pack"] == "kcsie"
    assert isinstance(result["version"], str)
    assert set(result["referrals"]) == {"police", "childrens_social_care", "ofsted", "dbs", "tra"}
    for advice in result["referrals"].values():
        assert set(advice) == {"required", "consider", "reasons"}
    assert {"criterion", "text"} <= set(result["reasons"][0])
    assert {"id", "description", "due"} <= set(result["deadlines"][0])
