"""Facts: unknown keys and wrong types are errors that name the fact."""

from __future__ import annotations

from datetime import date

import pytest

from threshold.policy import FACTS, Facts, FactsError, parse_facts


def test_valid_facts_are_typed_and_come_back_as_the_same_json() -> None:
    raw = {
        "harmed_or_may_have_harmed_child": True,
        "injury": "visible",
        "abuse_categories": ["sexual", "physical", "sexual"],
        "reported_on": "2025-12-24",
    }
    facts = parse_facts(raw)
    assert facts.get("reported_on") == date(2025, 12, 24)
    assert facts.get("abuse_categories") == ("physical", "sexual")  # de-duplicated, in schema order
    assert facts.as_json() == {
        "harmed_or_may_have_harmed_child": True,
        "abuse_categories": ["physical", "sexual"],
        "injury": "visible",
        "reported_on": "2025-12-24",
    }
    assert parse_facts(facts) is facts


def test_null_means_not_known_and_is_the_same_as_leaving_the_fact_out() -> None:
    assert parse_facts({"injury": None, "outcome": None}) == parse_facts({})


@pytest.mark.parametrize(
    ("raw", "fact", "problem"),
    [
        ({"injurys": "none"}, "injurys", "unknown fact; did you mean 'injury'?"),
        ({"colour": "red"}, "colour", "unknown fact"),
        ({"non_recent": True}, "non_recent", "worked out by the engine"),
        ({"harmed_or_may_have_harmed_child": "yes"}, "harmed_or_may_have_harmed_child", "must be true or false"),
        ({"harmed_or_may_have_harmed_child": 1}, "harmed_or_may_have_harmed_child", "must be true or false"),
        ({"injury": "bruise"}, "injury", "must be one of none, reported, visible"),
        ({"injury": ["visible"]}, "injury", "must be one of none, reported, visible"),
        ({"abuse_categories": "sexual"}, "abuse_categories", "must be a list"),
        ({"abuse_categories": ["financial"]}, "abuse_categories", "'financial' is not one of"),
        ({"outcome": "proven"}, "outcome", "must be one of substantiated"),
        ({"reported_on": "2025-13-01"}, "reported_on", "not a real date"),
        ({"reported_on": "20250101"}, "reported_on", "must be a date written YYYY-MM-DD"),
        ({"reported_on": "2025-1-1"}, "reported_on", "must be a date written YYYY-MM-DD"),
        ({"reported_on": "2025-01-01T09:00"}, "reported_on", "must be a date written YYYY-MM-DD"),
        ({"reported_on": 20250101}, "reported_on", "must be a date written YYYY-MM-DD"),
        ({"allegation_date": "1850-01-01"}, "allegation_date", "outside 1900–2199"),
        (
            {"incident_date": "2025-03-02", "reported_on": "2025-03-01"},
            "incident_date",
            "is after reported_on",
        ),
        (
            {"subject_date_of_birth": "2025-03-01", "reported_on": "2025-03-01"},
            "subject_date_of_birth",
            "is not before reported_on",
        ),
    ],
)
def test_an_invalid_fact_is_an_error_naming_the_fact_and_the_problem(
    raw: dict[str, object], fact: str, problem: str
) -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts(raw)
    assert caught.value.fact == fact
    assert problem in str(caught.value)
    assert f"fact '{fact}'" in str(caught.value)


@pytest.mark.parametrize("raw", [[], "facts", 3, None])
def test_facts_that_are_not_a_json_object_are_refused(raw: object) -> None:
    with pytest.raises(FactsError, match="must be a JSON object"):
        parse_facts(raw)


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts({"injury": "x" * 10_000})
    assert len(str(caught.value)) < 200


def test_every_fact_named_in_the_issue_is_in_the_schema() -> None:
    named = [
        "works_with_children",
        "adult_identified",
        "subject_is_teacher",
        "subject_employment",
        "setting_type",
        "subject_date_of_birth",
        "interim_prohibition_order",
        "harmed_or_may_have_harmed_child",
        "possible_criminal_offence",
        "behaviour_indicates_risk_of_harm",
        "may_be_unsuitable_to_work_with_children",
        "safeguarding_concern",
        "practice_issue_only",
        "inconsistent_with_code_of_conduct",
        "abuse_categories",
        "meets_working_together_abuse_definition",
        "injury",
        "sexual_interest_in_children_concern",
        "battery_without_injury",
        "aggravating_previous_pattern",
        "aggravating_violence_threat_or_premeditation",
        "aggravating_intent_to_harm",
        "child_or_parent_wishes_police_involvement",
        "child_additional_vulnerability",
        "potential_significant_harm",
        "needs_other_agencies",
        "complicated_by_numbers_or_roles",
        "pattern_emerging",
        "third_party_interest",
        "corroborating_evidence",
        "incident_pattern",
        "reported_on",
        "incident_date",
        "allegation_date",
        "left_employment_on",
        "outcome",
        "removed_from_regulated_activity",
        "resigned_before_conclusion",
        "record_type",
    ]
    assert set(named) <= set(FACTS)
    assert Facts().given() == ()
