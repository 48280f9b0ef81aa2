"""The L.E.A.D. Academy Trust policy's words outside the matrix: Appendix 1, sections 6–13 and Appendix 4.

Each case quotes the policy (seed 003) in its name or docstring and says which tier,
band of the spectrum of behaviour, referral or guidance those words call for. The
last test checks that, with the matrix examples, every criterion, referral rule and
guidance of the pack that quotes the policy is exercised by one of the policy's own
examples.
"""

from __future__ import annotations

from typing import Any

import pytest

from threshold.policy import Assessment, assess, get_pack

from .test_policy_lead_academy_trust import EXAMPLES as MATRIX_EXAMPLES

PACK = get_pack("lead-academy-trust")


def _advice(result: Assessment, agency: str) -> str:
    advice = result.referrals[agency]
    return "required" if advice.required else "consider" if advice.consider else "no"


def _guidance(result: Assessment) -> dict[str, Any]:
    return {g.id: g for g in result.guidance}


# ---------------------------------------------------------------- Appendix 1: the spectrum of behaviour


def test_behaviour_entirely_consistent_with_the_code_of_conduct_and_the_law_is_appropriate_conduct() -> None:
    """Appendix 1, Appropriate Conduct: "Behaviour which is entirely consistent with the organisation's staff code
    of conduct, and the law." The tier stays the matrix's lowest (recorded, not referred)."""
    result = assess(PACK, {"inconsistent_with_code_of_conduct": False})
    assert result.spectrum is not None
    assert result.spectrum.id == "appropriate-conduct"
    assert result.spectrum.text == (
        "Behaviour which is entirely consistent with the organisation's staff code of conduct, and the law."
    )
    assert result.level == "tier-1"
    assert not result.meets_harm_threshold
    assert not result.refer_to_lado


def test_an_uncorroborated_comment_about_conduct_consistent_with_the_code_is_still_appropriate_conduct() -> None:
    """Tier 1 "Comment made by a pupil that does not seem to have any corroborating evidence" about behaviour that
    is consistent with the code: recorded at Tier 1, and on the spectrum appropriate conduct."""
    result = assess(PACK, {"inconsistent_with_code_of_conduct": False, "corroborating_evidence": False})
    assert (result.level, result.spectrum and result.spectrum.id) == ("tier-1", "appropriate-conduct")


def test_behaviour_inconsistent_with_the_code_of_conduct_is_a_low_level_concern() -> None:
    """Appendix 1, Low-Level Concern: "is inconsistent with an organisation's staff code of conduct, including
    inappropriate conduct outside of work, and does not meet the allegation threshold"."""
    result = assess(PACK, {"inconsistent_with_code_of_conduct": True})
    assert (result.level, result.spectrum and result.spectrum.id) == ("tier-2", "low-level-concern")


@pytest.mark.parametrize(
    "limb",
    [
        "harmed_or_may_have_harmed_child",
        "possible_criminal_offence",
        "behaviour_indicates_risk_of_harm",
        "may_be_unsuitable_to_work_with_children",
    ],
)
def test_conduct_consistent_with_the_code_that_meets_a_limb_of_the_threshold_is_an_allegation(limb: str) -> None:
    """Appendix 1, Allegation: "Behaviour which indicates that an adult who works with children has: …"."""
    result = assess(PACK, {"inconsistent_with_code_of_conduct": False, limb: True})
    assert result.spectrum is not None
    assert result.spectrum.id == "allegation"
    assert result.refer_to_lado


def test_a_tier_2_domestic_issue_with_no_risk_at_work_is_never_called_appropriate_conduct() -> None:
    """Tier 2: "domestic issues which require them to inform their headteacher … no risks presented"."""
    result = assess(
        PACK,
        {
            "inconsistent_with_code_of_conduct": False,
            "safeguarding_concern": True,
            "may_be_unsuitable_to_work_with_children": False,
        },
    )
    assert (result.level, result.spectrum and result.spectrum.id) == ("tier-2", "low-level-concern")


# ---------------------------------------------------------------- referrals named by the policy

SEED_CASES: list[tuple[str, dict[str, Any], str, dict[str, str], tuple[str, ...]]] = [
    (
        "Some rare circumstances allegations will be so serious they require immediate intervention by children’s"
        " social care services and/or police.",
        {"potential_significant_harm": True, "harmed_or_may_have_harmed_child": True},
        "tier-4",
        {"childrens_social_care": "required", "police": "consider"},
        ("police:so-serious-immediate-intervention", "childrens_social_care:so-serious-immediate-intervention"),
    ),
    (
        "The case manager may, on occasion, consider it necessary to involve the police before consulting the LADO."
        " This may be in cases for example where the employee against which the allegation is made is deemed to be"
        " an immediate risk to children or there is evidence of a possible criminal offence.",
        {"possible_criminal_offence": True},
        "tier-3",
        {"police": "consider", "childrens_social_care": "consider", "ofsted": "consider"},
        (
            "police:possible-criminal-offence",
            "police:tier-3-could-meet-police-threshold",
            "childrens_social_care:discuss-with-lado",
            "ofsted:tier-3-consider-ofsted",
        ),
    ),
    (
        "Any allegations against a supply worker who is no longer teaching should be referred to the police.",
        {
            "subject_employment": "supply",
            "left_employment_on": "2025-02-28",
            "behaviour_indicates_risk_of_harm": True,
            "reported_on": "2025-03-10",
        },
        "tier-3",
        {"police": "required"},
        ("police:supply-worker-no-longer-teaching",),
    ),
    (
        "Appendix 4 relates to supply workers and volunteers … Historical allegations of abuse should also be"
        " referred to the police (KCSIE Part 4).",
        {
            "subject_employment": "supply",
            "harmed_or_may_have_harmed_child": True,
            "incident_date": "1998-01-01",
            "reported_on": "2025-03-10",
        },
        "tier-3",
        {"police": "required"},
        ("police:historical-allegations",),
    ),
    (
        "one serious incident or a series of incidents where previous action has not amended the behaviour or issue"
        " … Refer to LADO / police",
        {"incident_pattern": "intentional"},
        "tier-3",
        {"police": "consider"},
        ("police:intentional-refer-to-lado-police",),
    ),
    (
        "should it be determined by the panel hearing the case that the individual is to be dismissed, a referral to"
        " DBS will be undertaken along with Teacher Regulation Agency (TRA) for those who are teachers",
        {
            "subject_is_teacher": True,
            "harmed_or_may_have_harmed_child": True,
            "outcome": "substantiated",
            "removed_from_regulated_activity": True,
        },
        "tier-3",
        {"dbs": "required", "tra": "required"},
        ("dbs:dismissed-after-substantiated-allegation", "tra:dismissed-teacher", "dbs:substantiated-allegation"),
    ),
    (
        "Referrals will also be made in cases where an individual resigns prior to a disciplinary hearing completing.",
        {
            "subject_is_teacher": True,
            "harmed_or_may_have_harmed_child": True,
            "outcome": "substantiated",
            "resigned_before_conclusion": True,
        },
        "tier-3",
        {"dbs": "required", "tra": "required"},
        ("dbs:resigned-before-hearing", "tra:teacher-resigned-before-hearing"),
    ),
]


@pytest.mark.parametrize(
    ("words", "facts", "tier", "referrals", "rules"), SEED_CASES, ids=[c[0][:80] for c in SEED_CASES]
)
def test_each_referral_the_policy_names_is_advised(
    words: str, facts: dict[str, Any], tier: str, referrals: dict[str, str], rules: tuple[str, ...]
) -> None:
    result = assess(PACK, facts)
    assert result.level == tier, result.as_dict()["reasons"]
    for agency, advice in referrals.items():
        assert _advice(result, agency) == advice, agency
    fired = {f"{agency}:{r.criterion}" for agency, advice in result.referrals.items() for r in advice.reasons}
    assert set(rules) <= fired


def test_a_supply_worker_still_at_the_academy_is_considered_for_the_police_not_required() -> None:
    """ "Any allegations against a supply worker who is no longer teaching should be referred": not yet left."""
    result = assess(PACK, {"subject_employment": "supply", "behaviour_indicates_risk_of_harm": True})
    assert "supply-worker-no-longer-teaching" not in {r.criterion for r in result.referrals["police"].reasons}
    assert _advice(result, "police") == "consider"


def test_an_adult_abused_as_a_child_is_advised_to_report_it_to_the_police() -> None:
    """ "Where an adult makes an allegation to the academy that they were abused as a child, we will advise the
    individual to report the allegation to the police."."""
    result = assess(
        PACK, {"harmed_or_may_have_harmed_child": True, "incident_date": "1998-01-01", "reported_on": "2025-03-10"}
    )
    assert (
        "Where an adult makes an allegation to the academy that they were abused as a child, we will advise the"
        " individual to report the allegation to the police." in _guidance(result)["non-recent-allegations"].items
    )


# ---------------------------------------------------------------- guidance from sections 6–13


def test_a_pattern_of_low_level_concerns_that_meets_the_harms_threshold_is_referred_to_the_lado() -> None:
    """Section 13.4: "where a pattern of behaviour moves from a concern to meeting the harms threshold as described
    in section 4 of this document, it will be referred to the LADO"."""
    concern = assess(PACK, {"pattern_emerging": True, "inconsistent_with_code_of_conduct": True})
    assert "moves from a concern to meeting the harms threshold" in _guidance(concern)["pattern-of-behaviour"].text
    assert not concern.refer_to_lado
    pattern = assess(PACK, {"pattern_emerging": True, "behaviour_indicates_risk_of_harm": True})
    assert pattern.refer_to_lado
    assert "pattern-of-behaviour" in _guidance(pattern)


def test_without_a_possible_offence_the_employer_deals_with_it_unless_the_lado_advises_otherwise() -> None:
    """Section 6.4: "Where the initial consideration indicates that the allegation does not involve a possible
    criminal offence, it will be for the employer to deal with, unless the LADO advises otherwise"."""
    no_offence = assess(PACK, {"harmed_or_may_have_harmed_child": True})
    assert "unless the LADO advises otherwise" in _guidance(no_offence)["employer-deals-unless-lado-advises"].text
    offence = assess(PACK, {"possible_criminal_offence": True})
    assert "employer-deals-unless-lado-advises" not in _guidance(offence)


def test_with_the_police_involved_internal_investigations_may_be_postponed() -> None:
    """Section 6.4: "…internal investigations may be required to be postponed until this process has concluded"."""
    result = assess(PACK, {"possible_criminal_offence": True})
    assert (
        "Where there is police or other third-party involvement, internal investigations may be required to be"
        " postponed until this process has concluded." in _guidance(result)["police-involved"].items
    )


def test_where_suspension_is_considered_the_return_to_work_is_planned_with_hr() -> None:
    """Section 6.5: "Individuals returning to work after suspension: The case manager, in conjunction with HR, will
    consider how best to facilitate this return to work."."""
    result = assess(PACK, {"potential_significant_harm": True})
    assert result.suspension.consider
    assert "in conjunction with HR" in _guidance(result)["return-after-suspension"].text
    assert "return-after-suspension" not in _guidance(assess(PACK, {"inconsistent_with_code_of_conduct": True}))


def test_a_conflict_of_interest_goes_to_the_director_of_school_who_ensures_a_lado_referral() -> None:
    """Section 13: "…should be discussed in the first instance with the Director of School, who will then ensure a
    referral is completed to the LADO."."""
    result = assess(PACK, {"inconsistent_with_code_of_conduct": True})
    assert "Director of School, who will then ensure a referral is completed to the LADO" in (
        _guidance(result)["conflict-of-interest"].text
    )


@pytest.mark.parametrize(
    ("outcome", "present", "absent"),
    [
        ("substantiated", "substantiated-disciplinary", "not-substantiated-next-steps"),
        ("unfounded", "not-substantiated-next-steps", "substantiated-disciplinary"),
        ("malicious", "not-substantiated-next-steps", "substantiated-disciplinary"),
    ],
)
def test_section_6_5_says_what_follows_each_outcome_and_section_11_reviews_lessons(
    outcome: str, present: str, absent: str
) -> None:
    """Section 6.5: "internal disciplinary proceedings will commence" / "the case manager will consider appropriate
    next steps with the Headteacher"; section 11: "review the circumstances of the case with the LADO"."""
    result = assess(PACK, {"harmed_or_may_have_harmed_child": True, "outcome": outcome})
    guidance = _guidance(result)
    assert present in guidance
    assert absent not in guidance
    assert "review the circumstances of the case with the LADO and Headteacher" in guidance["lessons-learned"].text
    assert "lessons-learned" not in _guidance(assess(PACK, {"harmed_or_may_have_harmed_child": True}))


# ---------------------------------------------------------------- coverage

_EXTRA_FACTS: list[dict[str, Any]] = [
    {"harmed_or_may_have_harmed_child": True, "outcome": "substantiated", "subject_is_teacher": True},
    {"harmed_or_may_have_harmed_child": True, "outcome": "unfounded"},
    {"pattern_emerging": True, "inconsistent_with_code_of_conduct": True},
    {"harmed_or_may_have_harmed_child": True, "resigned_before_conclusion": True},
    {"subject_employment": "volunteer", "inconsistent_with_code_of_conduct": True},
    {"subject_employment": "supply", "behaviour_indicates_risk_of_harm": True},
    {"inconsistent_with_code_of_conduct": False},
    {"subject_is_teacher": True, "interim_prohibition_order": True},
]


def test_every_criterion_referral_rule_and_guidance_quoting_the_policy_is_exercised_by_a_seed_example() -> None:
    """Every rule of the pack whose source is the policy fires for at least one of the policy's examples."""
    facts = [e.facts for e in MATRIX_EXAMPLES] + [case[1] for case in SEED_CASES] + _EXTRA_FACTS
    fired: set[str] = set()
    for drawn in facts:
        result = assess(PACK, drawn)
        fired |= {reason.criterion for reason in result.reasons}
        fired |= {f"{agency}:{r.criterion}" for agency, advice in result.referrals.items() for r in advice.reasons}
        fired |= {f"guidance:{g.id}" for g in result.guidance}
        fired |= {f"suspension:{r.criterion}" for r in result.suspension.reasons}
        fired |= {f"spectrum:{result.spectrum.id}"} if result.spectrum else set()
    wanted = {c.id for level in PACK.levels for c in level.criteria}
    wanted |= {
        f"{agency}:{rule.id}"
        for agency, rules in PACK.referrals.items()
        for rule in rules
        if rule.source.startswith("Policy")
    }
    wanted |= {f"guidance:{g.id}" for g in PACK.guidance if g.source.startswith("Policy")}
    wanted |= {f"suspension:{r.id}" for r in PACK.suspension.rules if r.source.startswith("Policy")}
    wanted |= {f"spectrum:{band}" for band in PACK.spectrum}
    assert sorted(wanted - fired) == []
