"""Every example in the L.E.A.D. Academy Trust policy (seed 003) that names a tier or a referral.

The Tier 1–4 concerns matrix (Appendix 5) gives examples per abuse category and
column; each becomes a case with the policy's own words as its id. Tiers 1–2 are
"Threshold for LADO Not Met", tiers 3–4 "Threshold for LADO Met".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from threshold.policy import Assessment, assess, get_pack

PACK = get_pack("lead-academy-trust")


@dataclass(frozen=True)
class SeedExample:
    """Words of the policy, the facts a headteacher would record, and the tier the policy puts them in."""

    words: str
    facts: dict[str, object]
    tier: str
    criteria: tuple[str, ...] = ()
    referrals: dict[str, str] = field(default_factory=dict)  # agency -> "required" | "consider" | "no"
    suspension: str | None = None


TIER_1 = [
    SeedExample("Complaint made by parent or carer", {"safeguarding_concern": False}, "tier-1"),
    SeedExample(
        "Comment made by a pupil that does not seem to have any corroborating evidence. There is no injury seen, and/or"
        " witness accounts do not corroborate the allegation. The headteacher is confident this does not meet the"
        " threshold for a referral but will investigate further.",
        {"corroborating_evidence": False, "injury": "none"},
        "tier-1",
        ("uncorroborated-comment",),
    ),
    SeedExample("child objecting to a sanction imposed in school", {"safeguarding_concern": False}, "tier-1"),
    SeedExample(
        "describing an event to parent who then comes in to complain about how their child says they have been"
        " treated, but does not have all the information.",
        {"corroborating_evidence": False},
        "tier-1",
    ),
    SeedExample(
        "Young person in a confrontation and making accusations where there were several witnesses and there is an"
        " incident report that appears to refute the child's account that they were harmed.",
        {"abuse_categories": ["physical"], "corroborating_evidence": False},
        "tier-1",
    ),
    SeedExample(
        "An allegation that is made second or third hand and facts are not clear, or the professional alleged to have"
        " done this was not there at the time, or there is confusion about the account.",
        {"corroborating_evidence": False},
        "tier-1",
    ),
    SeedExample(
        "A school girl telling a friend, who tells the teacher, that another teacher 'makes her feel funny when he"
        " looks at her' but no other concerns or complaints expressed.",
        {"abuse_categories": ["sexual"], "corroborating_evidence": False},
        "tier-1",
    ),
    SeedExample(
        "A child with a history of challenging behaviour, alleging s/he feels bullied by a well-respected member of"
        " staff.",
        {"abuse_categories": ["emotional"], "corroborating_evidence": False},
        "tier-1",
    ),
    SeedExample(
        "Concerns that family members of the professional or volunteer may be involved in criminal activity.",
        {"safeguarding_concern": False, "may_be_unsuitable_to_work_with_children": False},
        "tier-1",
        ("complaint-without-safeguarding-concern",),
    ),
    SeedExample(
        "It should be noted that there may be occasions when a concern or allegation may not follow a safeguarding"
        " process but disciplinary procedures would be more appropriate.",
        {"practice_issue_only": True},
        "tier-1",
        ("conduct-issue",),
    ),
]

TIER_2 = [
    SeedExample(
        "Member of staff is alleged to have acted or reacted in a way considered inappropriate but not harmful.",
        {"inconsistent_with_code_of_conduct": True},
        "tier-2",
        ("inappropriate-but-not-harmful",),
    ),
    SeedExample(
        "Parental or pupil complaint about such an incident, to outside agency e.g. allegation made but headteacher"
        " believes at this point they can deal with this internally.",
        {"inconsistent_with_code_of_conduct": True},
        "tier-2",
    ),
    SeedExample(
        "This category also includes volunteers and professionals where there are domestic issues which require them"
        " to inform their headteacher (for example a section 47 investigation at home) but the headteacher is clear"
        " there are no risks presented by this person in their place of work.",
        {
            "subject_employment": "volunteer",
            "safeguarding_concern": True,
            "may_be_unsuitable_to_work_with_children": False,
        },
        "tier-2",
        ("domestic-issues-no-risk-at-work",),
        {"police": "no"},
    ),
    SeedExample(
        "Child accusing teacher of pushing them, when it appears they were being guided away from a situation (covered"
        " by 'Use of Reasonable Force' DfE 2013).",
        {"abuse_categories": ["physical"], "inconsistent_with_code_of_conduct": True, "subject_is_teacher": True},
        "tier-2",
    ),
    SeedExample(
        "Staff member seen by parent to be pulling a child away from a situation, parent considers this is done roughly"
        " but professional claims it was to remove child from a confrontation where they may have been harmed/ may have"
        " harmed another child.",
        {"abuse_categories": ["physical"], "inconsistent_with_code_of_conduct": True},
        "tier-2",
    ),
    SeedExample(
        "A professional or volunteer makes an inappropriate remark that appears on the surface to be naive rather than"
        " potentially grooming, or acts in a way that could be deemed unprofessional.",
        {"abuse_categories": ["sexual"], "inconsistent_with_code_of_conduct": True},
        "tier-2",
    ),
    SeedExample(
        "Teacher under stress who is heard to shout inappropriately at the children one day towards the end of term.",
        {"abuse_categories": ["emotional"], "inconsistent_with_code_of_conduct": True, "subject_is_teacher": True},
        "tier-2",
    ),
    SeedExample(
        "Childminder witnessed to ignore children crying and speak rudely to them, but further context not known.",
        {"abuse_categories": ["emotional", "neglect"], "inconsistent_with_code_of_conduct": True},
        "tier-2",
    ),
] + [
    # Section 13.1: "Examples of such behaviour could include" — low-level concerns.
    SeedExample(words, {"inconsistent_with_code_of_conduct": True}, "tier-2", ("inappropriate-but-not-harmful",))
    for words in (
        "being overly friendly with children",
        "having favourites",
        "taking photographs of children on their mobile phone",
        "engaging with a child on a one-to-one basis in a secluded area or behind a closed door",
        "using inappropriate sexualised, intimidating or offensive language.",
    )
]

TIER_3 = [
    SeedExample(
        "Allegation is made which meets the threshold for referral to LADO under safeguarding procedures and could meet"
        " the threshold for referral to police.",
        {"behaviour_indicates_risk_of_harm": True},
        "tier-3",
        ("risk-of-harm",),
        {"police": "consider", "ofsted": "consider"},
    ),
    SeedExample(
        "Such cases may not always involve serious injury to a child but present as a breach of the position of trust"
        " the professional or volunteer was in.",
        {"complicated_by_numbers_or_roles": True},
        "tier-3",
        ("breach-of-position-of-trust",),
    ),
    SeedExample(
        "a credible disclosure by a child or young person that uses the word 'hit' or 'hurt'; yet there is no injury"
        " seen and no corroborating evidence of child's account.",
        {
            "abuse_categories": ["physical"],
            "harmed_or_may_have_harmed_child": True,
            "injury": "none",
            "corroborating_evidence": False,
        },
        "tier-3",
        ("harmed-or-may-have-harmed-a-child",),
    ),
    SeedExample(
        "Restraint that has caused an injury to the person being restrained.",
        {"abuse_categories": ["physical"], "injury": "visible"},
        "tier-3",
        ("harmed-or-may-have-harmed-a-child",),
    ),
    SeedExample(
        "An incident witnessed where there is a physical exchange between staff and child or young person. It is"
        " unclear whether self-defence or retaliation was involved. The matter needs full investigation.",
        {"abuse_categories": ["physical"], "harmed_or_may_have_harmed_child": True, "possible_criminal_offence": True},
        "tier-3",
        ("possible-criminal-offence",),
        {"police": "consider"},
    ),
    SeedExample(
        "A very young child still requiring personal care/ nappy changing, indicates that a nursery worker touched"
        " him/her in the genital area",
        {"abuse_categories": ["sexual"], "harmed_or_may_have_harmed_child": True, "setting_type": "early_years"},
        "tier-3",
        referrals={"ofsted": "required"},
    ),
    SeedExample(
        "A professional or volunteer has been sending inappropriate but not necessarily sexual, texts to young people"
        " he/she works with.",
        {"abuse_categories": ["conduct"], "behaviour_indicates_risk_of_harm": True},
        "tier-3",
        ("risk-of-harm",),
    ),
    SeedExample(
        "A foster carer where there have been several complaints about poor practice and standards of care; children"
        " in their care who are not always clean or appropriately dressed, or seen to be treated in a way that causes"
        " concern to observing professionals.",
        {
            "abuse_categories": ["neglect", "emotional"],
            "behaviour_indicates_risk_of_harm": True,
            "pattern_emerging": True,
        },
        "tier-3",
    ),
    # Section 4: "This policy will apply where an allegation suggests that a member of staff has:"
    SeedExample(
        "Behaved in a way that has harmed a child or may have harmed a child.",
        {"harmed_or_may_have_harmed_child": True},
        "tier-3",
        ("harmed-or-may-have-harmed-a-child",),
    ),
    SeedExample(
        "Possibly committed a criminal offence against or related to a child.",
        {"possible_criminal_offence": True},
        "tier-3",
        ("possible-criminal-offence",),
        {"police": "consider"},
    ),
    SeedExample(
        "Behaved towards a child or children in a way that indicates he or she may pose a risk of harm to children.",
        {"behaviour_indicates_risk_of_harm": True},
        "tier-3",
        ("risk-of-harm",),
    ),
    SeedExample(
        "Behaved or may have behaved in a way that indicates they may not be suitable to work with children including"
        " behaviour taking place outside of the academy.",
        {"may_be_unsuitable_to_work_with_children": True},
        "tier-3",
        ("may-not-be-suitable",),
    ),
    SeedExample(
        "Other 'grooming' behaviour which may not meet the criminal threshold but gives rise to concerns of a broader"
        " child protection nature (e.g., inappropriate text / e-mail messages or images, gifts, socialising etc.).",
        {"abuse_categories": ["sexual"], "behaviour_indicates_risk_of_harm": True},
        "tier-3",
        ("risk-of-harm",),
    ),
    SeedExample(
        "one serious incident or a series of incidents where previous action has not amended the behaviour or issue",
        {"incident_pattern": "intentional"},
        "tier-3",
        ("intentional",),
        {"police": "consider"},
    ),
]

TIER_4 = [
    SeedExample(
        "Allegation made with corroborating evidence, where a pupil has been injured or harmed.",
        {"harmed_or_may_have_harmed_child": True, "corroborating_evidence": True},
        "tier-4",
        ("corroborated-injury-or-harm",),
        suspension="consider",
    ),
    SeedExample(
        "Child has clearly been injured or could have been injured as a direct result of the actions of a professional"
        " or volunteer.",
        {"abuse_categories": ["physical"], "injury": "visible", "corroborating_evidence": True},
        "tier-4",
        ("corroborated-injury-or-harm",),
        suspension="consider",
    ),
    SeedExample(
        "Incident within the professional/ volunteers home life that is of high risk and high level of concern.",
        {"may_be_unsuitable_to_work_with_children": True, "potential_significant_harm": True},
        "tier-4",
        ("risk-of-significant-harm", "may-not-be-suitable"),
        {"childrens_social_care": "required", "police": "consider"},
        "consider",
    ),
    SeedExample(
        "Professional or volunteer arranging to meet young person outside the work environment and asking them not to"
        " tell anyone; or making inappropriate contact through social media with sexual overtones.",
        {
            "abuse_categories": ["sexual"],
            "sexual_interest_in_children_concern": True,
            "behaviour_indicates_risk_of_harm": True,
        },
        "tier-4",
        ("sexual-interest-in-children",),
        suspension="consider",
    ),
    SeedExample(
        "Making racist or derogatory remarks to a child or young person in the presence of witnesses.",
        {"abuse_categories": ["emotional"], "harmed_or_may_have_harmed_child": True, "corroborating_evidence": True},
        "tier-4",
        ("corroborated-injury-or-harm",),
    ),
    SeedExample(
        "Suspension should be considered in any case where there is cause to suspect a child is at risk of significant"
        " harm",
        {"potential_significant_harm": True},
        "tier-4",
        ("risk-of-significant-harm",),
        {"childrens_social_care": "required"},
        "consider",
    ),
    SeedExample(
        "Having a sexual relationship with a child under 18 if in a position of trust in respect of that child, even if"
        " it claimed to be consensual (see ss16-19 Sexual Offences Act 2003).",
        {
            "abuse_categories": ["sexual"],
            "possible_criminal_offence": True,
            "complicated_by_numbers_or_roles": True,
            "sexual_interest_in_children_concern": True,
        },
        "tier-4",
        ("sexual-interest-in-children", "breach-of-position-of-trust", "possible-criminal-offence"),
    ),
    SeedExample(
        "'Grooming', i.e., meeting a child under 16 with intent to commit a relevant offence (see s15 Sexual Offences"
        " Act 2003).",
        {
            "abuse_categories": ["sexual"],
            "possible_criminal_offence": True,
            "sexual_interest_in_children_concern": True,
        },
        "tier-4",
        ("sexual-interest-in-children",),
        {"police": "consider"},
    ),
    SeedExample(
        "Possession of indecent photographs / pseudo-photographs of children.",
        {"possible_criminal_offence": True, "sexual_interest_in_children_concern": True},
        "tier-4",
        ("sexual-interest-in-children", "possible-criminal-offence"),
    ),
]

EXAMPLES = TIER_1 + TIER_2 + TIER_3 + TIER_4


def _advice(result: Assessment, agency: str) -> str:
    advice = result.referrals[agency]
    return "required" if advice.required else "consider" if advice.consider else "no"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.words[:90] for e in EXAMPLES])
def test_each_matrix_example_is_placed_in_the_tier_the_policy_puts_it(example: SeedExample) -> None:
    result = assess(PACK, example.facts)
    assert result.level == example.tier, result.as_dict()["reasons"]
    assert set(example.criteria) <= {reason.criterion for reason in result.reasons}
    met = example.tier in {"tier-3", "tier-4"}
    assert (result.meets_harm_threshold, result.refer_to_lado) == (met, met)
    assert result.spectrum is not None
    assert result.spectrum.id == ("allegation" if met else "low-level-concern")
    for agency, advice in example.referrals.items():
        assert _advice(result, agency) == advice, agency
    if example.suspension:
        suspension = result.suspension
        assert (
            "required" if suspension.required else "consider" if suspension.consider else "no"
        ) == example.suspension


def test_every_example_quoted_in_the_pack_has_a_test_case() -> None:
    quoted = {e for level in PACK.levels for values in level.examples.values() for e in values}
    quoted |= {e for level in PACK.levels for criterion in level.criteria for e in criterion.examples}
    quoted |= set(PACK.low_level_concerns.examples)
    tested = {example.words for example in EXAMPLES}
    assert len(quoted) > 30
    assert sorted(quoted - tested) == []


def test_the_matrix_has_examples_for_each_abuse_category_in_every_tier() -> None:
    for level in PACK.levels:
        assert {"physical", "sexual", "emotional_neglect"} <= set(level.examples), level.id


def test_every_criterion_of_the_matrix_is_exercised_by_a_seed_example() -> None:
    fired = {reason.criterion for example in EXAMPLES for reason in assess(PACK, example.facts).reasons}
    assert sorted({c.id for level in PACK.levels for c in level.criteria} - fired) == []


@pytest.mark.parametrize(
    ("pattern", "facts", "tier", "action"),
    [
        ("accidental", {"inconsistent_with_code_of_conduct": True}, "tier-2", "Advise"),
        (
            "neglectful",
            {"inconsistent_with_code_of_conduct": True},
            "tier-2",
            "Formal plan in place for addressing issue / behaviour",
        ),
        ("intentional", {}, "tier-3", "Refer to LADO / police"),
    ],
)
def test_the_response_matrix_row_comes_with_the_assessment(
    pattern: str, facts: dict[str, object], tier: str, action: str
) -> None:
    """Accidental (generally the first incident), Neglectful (a further incident), Intentional."""
    result = assess(PACK, facts | {"incident_pattern": pattern})
    assert result.level == tier
    assert result.response is not None
    assert result.response.pattern == pattern
    assert action in result.response.actions
    assert "At any point if the threshold for referral to LADO may be met then a referral should be submitted" in (
        result.response.notes
    )


def test_tier_1_and_2_record_the_concern_and_tier_3_and_4_refer_to_the_lado_within_one_working_day() -> None:
    low = assess(PACK, {"inconsistent_with_code_of_conduct": True, "reported_on": "2025-12-24"})
    assert low.deadlines == ()
    assert "low-level-concern-handling" in {g.id for g in low.guidance}
    high = assess(PACK, {"possible_criminal_offence": True, "reported_on": "2025-12-24"})
    due = {d.id: d.due.isoformat() for d in high.deadlines}
    assert due["inform-lado"] == "2025-12-29"
    assert "no-further-action-employer-action" not in due  # a possible criminal offence
    # 25, 26 Dec and 1 Jan are bank holidays: 29, 30, 31 Dec, 2, 5, 6, 7, 8, 9, 12 Jan.
    assert due["investigation-report"] == "2026-01-12"
    assert due["disciplinary-hearing"] == "2026-01-19"  # ... then 13, 14, 15, 16, 19 Jan
    assert {"case-manager-steps", "clear-outcome", "record-keeping"} <= {g.id for g in high.guidance}


def test_an_interim_prohibition_order_means_immediate_suspension_confirmed_in_writing_within_a_working_day() -> None:
    """ "we will immediately suspend that individual from teaching" (section 6)."""
    result = assess(PACK, {"subject_is_teacher": True, "interim_prohibition_order": True, "reported_on": "2026-04-02"})
    assert result.suspension.required
    assert "interim-prohibition-order" in {r.criterion for r in result.suspension.reasons}
    confirm = next(d for d in result.deadlines if d.id == "suspension-written-confirmation")
    assert confirm.due.isoformat() == "2026-04-07"  # over Easter 2026
    assert "Providing an assistant to be present when the individual has contact with children." in (
        result.suspension_alternatives
    )


def test_a_substantiated_allegation_against_a_dismissed_teacher_goes_to_the_dbs_and_the_tra() -> None:
    """Section 6.5: "a referral to DBS will be undertaken along with Teacher Regulation Agency (TRA)"."""
    facts = {"subject_is_teacher": True, "harmed_or_may_have_harmed_child": True, "outcome": "substantiated"}
    dismissed = assess(PACK, facts | {"removed_from_regulated_activity": True})
    assert dismissed.referrals["dbs"].required
    assert dismissed.referrals["tra"].required
    resigned = assess(PACK, facts | {"resigned_before_conclusion": True})
    assert resigned.referrals["dbs"].required
    assert resigned.referrals["tra"].required
    assert "resignation-and-settlement" in {g.id for g in resigned.guidance}
    support_worker = assess(PACK, facts | {"subject_is_teacher": False, "removed_from_regulated_activity": True})
    assert support_worker.referrals["dbs"].required
    assert not support_worker.referrals["tra"].consider


def test_historical_allegations_against_a_volunteer_go_to_the_police_and_are_treated_as_contemporary() -> None:
    """Appendix 4 (supply workers and volunteers): "Historical allegations of abuse should also be referred to the
    police (KCSIE Part 4)."."""
    result = assess(
        PACK,
        {
            "subject_employment": "volunteer",
            "harmed_or_may_have_harmed_child": True,
            "incident_date": "2010-05-01",
            "reported_on": "2025-03-10",
        },
    )
    assert result.non_recent is True
    assert result.referrals["police"].required
    assert "non-recent-allegations" in {g.id for g in result.guidance}


def test_an_allegation_against_a_supply_worker_is_investigated_by_the_academy() -> None:
    """Appendix 4: "The responsibility of the investigation lies with the academy."."""
    result = assess(
        PACK,
        {
            "subject_employment": "supply",
            "behaviour_indicates_risk_of_harm": True,
            "left_employment_on": "2025-02-28",
            "reported_on": "2025-03-10",
        },
    )
    guidance = {g.id: g for g in result.guidance}
    assert guidance["supply-workers"].text == "The responsibility of the investigation lies with the academy."
    assert (
        "It is the expectation that alternative cover is provided within 48 hours." in guidance["supply-workers"].items
    )
    # "Any allegations against a supply worker who is no longer teaching should be referred to the police."
    police = {r.criterion: r for r in result.referrals["police"].reasons}
    assert "supply-worker-no-longer-teaching" in police
    assert "supply-worker-suspension" in {r.criterion for r in result.suspension.reasons}


def test_a_concern_about_a_volunteer_is_taken_to_the_hr_business_partner() -> None:
    result = assess(PACK, {"subject_employment": "volunteer", "inconsistent_with_code_of_conduct": True})
    assert {"volunteers", "people-not-employed-by-the-trust"} <= {g.id for g in result.guidance}


def test_outcomes_use_the_policy_s_own_definitions() -> None:
    result = assess(PACK, {"outcome": "malicious"})
    assert result.outcome is not None
    assert result.outcome.text.endswith("or to cause harm to the subject of the allegation.")


def test_an_uncorroborated_tier_1_description_never_lowers_a_tier_3_allegation() -> None:
    result = assess(PACK, {"corroborating_evidence": False, "harmed_or_may_have_harmed_child": True})
    assert result.level == "tier-3"
    assert any("uncorroborated-comment" in note for note in result.notes)
