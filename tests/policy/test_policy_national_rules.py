"""National rules that the shipped packs restate: Ofsted notification and confirming a suspension in writing."""

from __future__ import annotations

import pytest

from threshold.policy import assess, get_pack, list_packs

PACK_IDS = ["kcsie", "bedford-luton-lado", "lead-academy-trust"]


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_the_ofsted_rule_uses_the_eyfs_words_living_working_or_looking_after_children(pack_id: str) -> None:
    """EYFS: "any allegations of serious harm or abuse by any person living, working, or looking after children at
    the premises"."""
    rule = next(r for r in get_pack(pack_id).referrals["ofsted"] if r.id == "early-years-notification")
    assert "by any person living, working, or looking after children at the premises" in rule.text
    assert "at the latest within 14 days" in rule.text


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_every_pack_counts_the_ofsted_notification_in_14_calendar_days_when_it_is_required(pack_id: str) -> None:
    pack = get_pack(pack_id)
    facts = {"setting_type": "early_years", "harmed_or_may_have_harmed_child": True, "reported_on": "2025-12-19"}
    result = assess(pack, facts)
    assert result.referrals["ofsted"].required
    notify = next(d for d in result.deadlines if d.id == "ofsted-notification")
    assert notify.due.isoformat() == "2026-01-02"  # calendar days: Christmas and New Year count
    school = assess(pack, facts | {"setting_type": "school"})
    assert "ofsted-notification" not in {d.id for d in school.deadlines}


@pytest.mark.parametrize("pack_id", ["kcsie", "lead-academy-trust"])
def test_the_written_confirmation_of_a_suspension_is_labelled_if_suspended(pack_id: str) -> None:
    """Suspension merely to be considered is not a suspension: the deadline says it applies only if suspended."""
    facts = {"harmed_or_may_have_harmed_child": True, "potential_significant_harm": True, "reported_on": "2026-03-06"}
    result = assess(get_pack(pack_id), facts)
    assert result.suspension.consider
    assert not result.suspension.required
    confirm = next(d for d in result.deadlines if d.id == "suspension-written-confirmation")
    assert confirm.description.startswith("If suspended:")
    assert "applies only once the individual is suspended" in confirm.description


def test_no_pack_gives_a_suspension_deadline_when_suspension_is_not_even_to_be_considered() -> None:
    for pack in list_packs():
        result = assess(pack, {"inconsistent_with_code_of_conduct": True, "reported_on": "2026-03-06"})
        assert "suspension-written-confirmation" not in {d.id for d in result.deadlines}, pack.id
