"""Retention: State Pension age or ten years, holds that override deletion, the personnel file."""

from __future__ import annotations

import pytest

from threshold.policy import FactsError, Pack, decide_retention, get_pack

TRUST = get_pack("lead-academy-trust")
KCSIE = get_pack("kcsie")
BEDFORD = get_pack("bedford-luton-lado")


@pytest.mark.parametrize("pack", [TRUST, KCSIE, BEDFORD], ids=lambda p: p.id)
def test_an_allegation_is_kept_until_state_pension_age_when_that_is_later_than_ten_years(pack: Pack) -> None:
    facts = {"record_type": "allegation", "allegation_date": "2025-03-10", "subject_date_of_birth": "1990-01-01"}
    result = decide_retention(pack, facts)
    assert result.keep_until is not None
    assert result.keep_until.isoformat() == "2058-01-01"  # 68th birthday


def test_an_allegation_is_kept_ten_years_when_that_is_later_than_state_pension_age() -> None:
    facts = {"record_type": "allegation", "allegation_date": "2025-03-10", "subject_date_of_birth": "1958-01-01"}
    result = decide_retention(TRUST, facts)
    assert result.keep_until is not None
    assert result.keep_until.isoformat() == "2035-03-10"  # State Pension age was 1 Jan 2024


@pytest.mark.parametrize("pack", [TRUST, KCSIE, BEDFORD], ids=lambda p: p.id)
def test_without_a_date_of_birth_the_date_cannot_be_worked_out_rather_than_risk_one_that_is_too_early(
    pack: Pack,
) -> None:
    """Ten years from 10 March 2025 is 2035, but State Pension age may be decades later: no date is given."""
    result = decide_retention(pack, {"record_type": "allegation", "allegation_date": "2025-03-10"})
    assert result.keep_until is None
    assert result.undetermined
    assert result.waiting_for == ("subject_date_of_birth",)
    assert any("cannot be worked out until the subject's date of birth is recorded" in r.text for r in result.reasons)
    assert result.as_dict()["keep_until"] is None
    assert result.as_dict()["undetermined"] is True


def test_a_known_date_of_birth_makes_the_date_determined_again() -> None:
    result = decide_retention(
        TRUST, {"record_type": "allegation", "allegation_date": "2025-03-10", "subject_date_of_birth": "1958-01-01"}
    )
    assert not result.undetermined
    assert result.waiting_for == ()
    assert result.as_dict()["undetermined"] is False


def test_a_missing_allegation_date_also_leaves_the_date_undetermined_even_with_a_date_of_birth() -> None:
    """The later of two periods is unknowable while either is unknown."""
    result = decide_retention(KCSIE, {"record_type": "allegation", "subject_date_of_birth": "1958-01-01"})
    assert result.keep_until is None
    assert result.waiting_for == ("allegation_date",)
    assert any("until the date of the allegation is recorded" in r.text for r in result.reasons)


def test_without_an_allegation_date_the_ten_years_run_from_reported_on_and_the_reasons_say_so() -> None:
    facts = {"record_type": "allegation", "reported_on": "2024-02-29", "subject_date_of_birth": "1950-01-01"}
    result = decide_retention(KCSIE, facts)
    assert result.keep_until is not None
    assert result.keep_until.isoformat() == "2034-03-01"  # no 29 Feb 2034: the later day
    assert any(
        "the date of the allegation is not recorded, so the date it was reported was used" in r.text
        for r in result.reasons
    )


def test_a_sexual_abuse_allegation_carries_a_preservation_hold_that_overrides_deletion() -> None:
    result = decide_retention(
        TRUST, {"record_type": "allegation", "allegation_date": "2025-03-10", "abuse_categories": ["sexual"]}
    )
    assert [h.id for h in result.holds] == ["iicsa-sexual-abuse"]
    assert "Independent Inquiry into Child Sexual Abuse (IICSA)" in result.holds[0].text
    assert result.keep_until is None  # no date of birth, so no date; the hold overrides it anyway


@pytest.mark.parametrize(
    ("outcome", "removed"),
    [("malicious", True), ("false", True), ("unsubstantiated", False), ("unfounded", False), ("substantiated", False)],
)
def test_malicious_and_false_allegations_come_off_the_personnel_file(outcome: str, removed: bool) -> None:
    for pack in (TRUST, KCSIE, BEDFORD):
        result = decide_retention(pack, {"record_type": "allegation", "outcome": outcome})
        assert result.remove_from_personnel_file is removed, pack.id


def test_the_trust_keeps_low_level_concerns_seven_years_after_the_person_leaves() -> None:
    """Section 13.4: "We will retain these records for 7 years from the date of the member of staff either leaving"."""
    result = decide_retention(TRUST, {"record_type": "low_level_concern", "left_employment_on": "2024-07-31"})
    assert result.keep_until is not None
    assert result.keep_until.isoformat() == "2031-07-31"
    assert not result.remove_from_personnel_file


def test_a_low_level_concern_about_someone_still_employed_has_no_end_date_yet() -> None:
    result = decide_retention(TRUST, {"record_type": "low_level_concern"})
    assert result.keep_until is None
    assert result.waiting_for == ("left_employment_on",)
    # In words, never the fact's internal name (issue 13: "left_employment_on was not given" was on a page).
    assert any("the date the person left their employment is not recorded" in r.text for r in result.reasons)
    assert not any("left_employment_on" in r.text for r in result.reasons)


def test_a_reason_stored_before_reasons_were_in_words_reads_in_words_on_a_page() -> None:
    from threshold.policy import retention_in_words

    stored = "7 years from left_employment_on not worked out: left_employment_on was not given."
    assert retention_in_words(stored) == (
        "7 years from the date the person left their employment not worked out:"
        " the date the person left their employment was not given."
    )


def test_kcsie_keeps_low_level_concerns_at_least_until_the_person_leaves() -> None:
    result = decide_retention(KCSIE, {"record_type": "low_level_concern", "left_employment_on": "2024-07-31"})
    assert result.keep_until is not None
    assert result.keep_until.isoformat() == "2024-07-31"


def test_a_bedford_consultation_has_no_period_and_quotes_why_it_is_kept() -> None:
    result = decide_retention(BEDFORD, {"record_type": "consultation", "reported_on": "2025-01-06"})
    assert result.keep_until is None
    assert "could be drawn upon if further concerns come about" in result.reasons[0].text
    assert any(r.criterion == "no-period" for r in result.reasons)


def test_retention_needs_to_know_what_kind_of_record_it_is() -> None:
    with pytest.raises(FactsError, match="record_type"):
        decide_retention(TRUST, {"allegation_date": "2025-03-10"})


def test_the_retention_json_has_the_keys_the_issue_promises() -> None:
    facts = {"record_type": "allegation", "allegation_date": "2025-03-10", "subject_date_of_birth": "1958-01-01"}
    result = decide_retention(TRUST, facts).as_dict()
    assert {"record_type", "keep_until", "holds", "remove_from_personnel_file", "reasons"} <= set(result)
    assert result["keep_until"] == "2035-03-10"
