"""References: false, unfounded, unsubstantiated and malicious never; substantiated, factually."""

from __future__ import annotations

import pytest

from threshold.policy import Pack, decide_reference, get_pack

PACKS = [get_pack("kcsie"), get_pack("bedford-luton-lado"), get_pack("lead-academy-trust")]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
@pytest.mark.parametrize("outcome", ["false", "unfounded", "unsubstantiated", "malicious"])
def test_an_allegation_that_was_not_substantiated_is_never_mentioned_in_a_reference(pack: Pack, outcome: str) -> None:
    result = decide_reference(pack, {"record_type": "allegation", "outcome": outcome})
    assert result.may_mention is False


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_a_substantiated_allegation_may_be_mentioned_factually(pack: Pack) -> None:
    result = decide_reference(pack, {"record_type": "allegation", "outcome": "substantiated"})
    assert result.may_mention is True
    assert "factual" in result.reasons[-1].text


def test_the_trust_s_words_are_given_as_the_reason() -> None:
    result = decide_reference(PACKS[2], {"record_type": "allegation", "outcome": "malicious"})
    assert result.reasons[-1].text.startswith("When providing employer references, the Trust will not refer")


def test_an_allegation_without_an_outcome_is_left_to_a_person_to_decide() -> None:
    result = decide_reference(PACKS[2], {"record_type": "allegation"})
    assert result.may_mention is None
    assert "Trust Safeguarding Lead" in result.reasons[-1].text


def test_when_the_record_type_is_not_given_it_is_taken_to_be_an_allegation_and_the_reasons_say_so() -> None:
    result = decide_reference(PACKS[0], {"outcome": "unfounded"})
    assert (result.record_type, result.may_mention) == ("allegation", False)
    assert result.reasons[0].criterion == "record-type-assumed"


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_a_low_level_concern_is_not_mentioned_unless_substantiated(pack: Pack) -> None:
    assert decide_reference(pack, {"record_type": "low_level_concern"}).may_mention is False
    substantiated = decide_reference(pack, {"record_type": "low_level_concern", "outcome": "substantiated"})
    assert substantiated.may_mention is True


@pytest.mark.parametrize("pack", [PACKS[0], PACKS[2]], ids=lambda p: p.id)
def test_a_low_level_concern_about_misconduct_or_poor_performance_may_be_mentioned(pack: Pack) -> None:
    """Section 13.5: "or where the concern (or group of concerns) relates to issues which would ordinarily be
    included in a reference, such as misconduct or poor performance" (KCSIE Part 4 says the same)."""
    facts = {"record_type": "low_level_concern", "ordinarily_in_reference": True}
    result = decide_reference(pack, facts)
    assert (result.may_mention, result.reasons[-1].criterion) == (True, "low-level-concern-ordinarily-in-reference")
    assert "misconduct or poor performance" in result.reasons[-1].text
    # Versions 1.1 and 2025.2 ruled every unsubstantiated one out; a decision they made replays as it was.
    earlier = get_pack(f"{pack.id}@{ {'kcsie': '2025.2', 'lead-academy-trust': '1.1'}[pack.id] }")
    assert decide_reference(earlier, facts).may_mention is False
    assert decide_reference(pack, {**facts, "ordinarily_in_reference": False}).may_mention is False


def test_a_bedford_consultation_record_is_not_mentioned() -> None:
    result = decide_reference(PACKS[1], {"record_type": "consultation"})
    assert result.may_mention is False
    assert "‘a risk was not identified’" in result.reasons[-1].text
