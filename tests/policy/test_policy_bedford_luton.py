"""Every example in the Bedford/Luton LADO protocol (seed 000) that names a level or a referral.

Each case carries the protocol's own words as its id, the facts a LADO would record
for it, and what the protocol says should happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from threshold.policy import Assessment, assess, get_pack

PACK = get_pack("bedford-luton-lado")

_NO_ESCALATION = {
    "aggravating_previous_pattern": False,
    "aggravating_violence_threat_or_premeditation": False,
    "aggravating_intent_to_harm": False,
    "pattern_emerging": False,
    "child_additional_vulnerability": False,
    "needs_other_agencies": False,
    "third_party_interest": False,
}


@dataclass(frozen=True)
class SeedExample:
    """A sentence of the protocol, the facts it describes, and the advice it implies."""

    words: str
    facts: dict[str, object]
    level: str
    criteria: tuple[str, ...] = ()
    police: str | None = None  # "required", "consider" or "no"
    childrens_social_care: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # police or children's social care rules that must fire
    guidance: tuple[str, ...] = ()  # guidance that must come with the advice


EXAMPLES = [
    # 1) Consultation: "Examples could include the following".
    SeedExample(
        "the subject of the allegation/concern cannot be considered to be ‘an adult who works with children’",
        {"works_with_children": False, "adult_identified": True, "safeguarding_concern": True},
        "consultation",
        ("not-an-adult-who-works-with-children",),
    ),
    SeedExample(
        "there is no identifiable safeguarding children concern",
        {"works_with_children": True, "safeguarding_concern": False},
        "consultation",
        ("no-identifiable-safeguarding-concern",),
    ),
    SeedExample(
        "where the adult concerned cannot be identified",
        {"adult_identified": False},
        "consultation",
        ("adult-cannot-be-identified",),
    ),
    SeedExample(
        "The allegation/concern is more appropriately described as a practice issue and should be dealt with by the"
        " employer.",
        {"works_with_children": True, "practice_issue_only": True},
        "consultation",
        ("practice-issue",),
    ),
    # 2) Tier 2: the protocol's one example.
    SeedExample(
        "a nursery worker has handled a child in an aggressive manner – the child is 3 years old - it is alleged he was"
        " grabbed by the arm tightly, pulled by his arm and shouted at. He did not receive an injury. There have been"
        " no previous concerns about the worker and there are no other factors which require the case to be escalated.",
        {
            "works_with_children": True,
            "adult_identified": True,
            "setting_type": "early_years",
            "abuse_categories": ["physical"],
            "harmed_or_may_have_harmed_child": True,
            "battery_without_injury": True,
            "injury": "none",
            **_NO_ESCALATION,
        },
        "tier-2",
        ("harmed-or-may-have-harmed-a-child", "possible-criminal-offence"),
        police="consider",
        childrens_social_care="no",
    ),
    # 3) Tier 1: "Examples of Tier 1 Cases could include the following".
    SeedExample(
        "Allegations which require the involvement of other agencies such as the police or children’s social care",
        {"harmed_or_may_have_harmed_child": True, "needs_other_agencies": True},
        "tier-1",
        ("other-agencies",),
    ),
    SeedExample(
        "Any allegation of abuse as defined by Working Together 2013",
        {"abuse_categories": ["emotional"], "meets_working_together_abuse_definition": True},
        "tier-1",
        ("abuse-as-defined-by-working-together",),
    ),
    SeedExample(
        "An allegation which is complicated by the number of victims/perpetrators/ or roles held and will include those"
        " situations that relate to any possible breach of a position of trust.",
        {"behaviour_indicates_risk_of_harm": True, "complicated_by_numbers_or_roles": True},
        "tier-1",
        ("complicated-by-numbers-or-roles",),
        police="consider",
    ),
    SeedExample(
        "A pattern of allegations/concerns are emerging.",
        {"pattern_emerging": True},
        "tier-1",
        ("pattern-emerging",),
    ),
    SeedExample(
        "Other complicating factors including interest by a third party such as the media.",
        {"harmed_or_may_have_harmed_child": True, "third_party_interest": True},
        "tier-1",
        ("other-complicating-factors",),
    ),
    SeedExample(
        "All cases of physical, sexual, emotional abuse or neglect (as defined by Working Together 2013) or serious"
        " concerns about the potential risk of harm a person may pose to children will be managed at Tier 1.",
        {"sexual_interest_in_children_concern": True},
        "tier-1",
        ("serious-concern-about-risk", "risk-of-harm"),
        police="required",
    ),
    # Assessing criteria 3: "Examples which may indicate an adult may pose a risk include".
    SeedExample(
        "Information which suggests the adult may have a sexual interest in children. This includes adults alleged to"
        " have downloaded Indecent Images of Children (IIOC)",
        {"sexual_interest_in_children_concern": True, "possible_criminal_offence": True},
        "tier-1",
        ("serious-concern-about-risk", "possible-criminal-offence", "risk-of-harm"),
        police="required",
    ),
    SeedExample(
        "The adult is under investigation for abuse or neglect of their own children",
        {"may_be_unsuitable_to_work_with_children": True, "meets_working_together_abuse_definition": True},
        "tier-1",
        ("abuse-as-defined-by-working-together", "criterion-3-personal-life"),
    ),
    SeedExample(
        "An allegation of historic sexual abuse",
        {
            "abuse_categories": ["sexual"],
            "harmed_or_may_have_harmed_child": True,
            "incident_date": "2005-06-01",
            "reported_on": "2025-03-10",
        },
        "tier-1",
        ("other-agencies",),
        police="required",
        extra={"non_recent": True},
    ),
    SeedExample(
        "The adult is involved in crime, including perpetrators of Domestic Abuse or the supply illegal substances.",
        {"may_be_unsuitable_to_work_with_children": True},
        "tier-2",
        ("criterion-3-personal-life",),
        police="consider",
    ),
    # The balancing note: no direct impact on the role evidenced, so not in the allegations procedure.
    SeedExample(
        "Examples include adults who are victims of Domestic Abuse, are experiencing mental health problems or"
        " suffering as a result of alcohol or substance misuse. In these circumstances it will be necessary to"
        " evidence a direct impact of this on his/her role with children before considering this within the"
        " allegations procedures.",
        {"works_with_children": True, "adult_identified": True, "may_be_unsuitable_to_work_with_children": False},
        "consultation",
        police="no",
    ),
    # Bedfordshire Police: "We would always refer to the police in cases where:" (1)–(5).
    SeedExample(
        "There is injury or reported injury ( to include minor injury such as a red mark)",
        {"injury": "visible", "harmed_or_may_have_harmed_child": True},
        "tier-1",
        ("other-agencies",),
        police="required",
    ),
    SeedExample(
        "There is injury or reported injury ( to include minor injury such as a red mark) [reported, not seen]",
        {"injury": "reported"},
        "tier-1",
        ("other-agencies",),
        police="required",
    ),
    SeedExample(
        "All allegations of sexual abuse, including concerns about an adult’s behaviour which may indicate a sexual"
        " interest in children.",
        {"abuse_categories": ["sexual"], "behaviour_indicates_risk_of_harm": True},
        "tier-1",
        ("other-agencies",),
        police="required",
    ),
    SeedExample(
        "An allegation of battery where there is no injury but there are other aggravating factors such as (i) a"
        " previous pattern of this behaviour",
        {"battery_without_injury": True, "injury": "none", "aggravating_previous_pattern": True},
        "tier-1",
        ("other-agencies",),
        police="required",
    ),
    SeedExample(
        "(ii) the level of violence, threat of violence, or premeditation which escalates the level of concern",
        {"battery_without_injury": True, "aggravating_violence_threat_or_premeditation": True},
        "tier-1",
        police="required",
    ),
    SeedExample(
        "(iii) the underlying intent is believed to be to cause harm to the child.",
        {"battery_without_injury": True, "aggravating_intent_to_harm": True},
        "tier-1",
        police="required",
    ),
    SeedExample(
        "Despite the allegation being low level another factor, such as the wishes of the child or the parent means"
        " that police consultation is required.",
        {"behaviour_indicates_risk_of_harm": True, "child_or_parent_wishes_police_involvement": True},
        "tier-1",
        police="required",
    ),
    SeedExample(
        "There is any additional vulnerability of the child.",
        {"harmed_or_may_have_harmed_child": True, "child_additional_vulnerability": True},
        "tier-1",
        police="required",
    ),
    SeedExample(
        "In some circumstances an allegation may technically meet the definition of a crime (eg Assault or Battery)"
        " however a criminal investigation seems a disproportionate response. The child does not have to be injured"
        " or marked in order for the matter to be considered a criminal offence.",
        {"battery_without_injury": True, "injury": "none", **_NO_ESCALATION},
        "tier-2",
        ("possible-criminal-offence",),
        police="consider",
    ),
    # Bedfordshire Police: "Allegations are to be referred to Bedfordshire Police for two reasons:".
    SeedExample(
        "To consider the need for police to investigate an alleged crime",
        {"possible_criminal_offence": True, "injury": "none", **_NO_ESCALATION},
        "tier-2",
        ("possible-criminal-offence",),
        police="consider",
        rules=("investigate-alleged-crime", "information-sharing"),
        guidance=("police-expertise-on-offences",),
    ),
    SeedExample(
        "To enable information sharing and aid decision making relating potential risk to children;",
        {"behaviour_indicates_risk_of_harm": True, "injury": "none", **_NO_ESCALATION},
        "tier-2",
        ("risk-of-harm",),
        police="consider",
        rules=("information-sharing",),
    ),
    # A position of trust is an aggravating factor for the police; the protocol's Tier 1 already
    # includes "any possible breach of a position of trust", so the case is Tier 1 and the
    # police are to be considered, not required.
    SeedExample(
        "By the same token, inappropriate behaviour toward a child by a person in a position of trust should be taken"
        " seriously and considered an aggravating factor when assessing the need for police involvement.",
        {
            "harmed_or_may_have_harmed_child": True,
            "injury": "none",
            **_NO_ESCALATION,
            "complicated_by_numbers_or_roles": True,
        },
        "tier-1",
        ("complicated-by-numbers-or-roles",),
        police="consider",
        rules=("position-of-trust-aggravating",),
    ),
    SeedExample(
        "There is also a need to distinguish between allegations of assault and the legitimate use of physical"
        " intervention or restraint to protect a child/children from harming themselves or others, or damaging"
        " property.",
        {"abuse_categories": ["physical"], "battery_without_injury": True, "injury": "none", **_NO_ESCALATION},
        "tier-2",
        ("possible-criminal-offence",),
        police="consider",
        rules=("investigate-alleged-crime",),
        guidance=("physical-intervention", "physical-chastisement"),
    ),
    SeedExample(
        "In many cases the use of physical chastisement by adults in such positions has been outlawed and should be"
        " considered accordingly.",
        {"battery_without_injury": True, "harmed_or_may_have_harmed_child": True, "injury": "none", **_NO_ESCALATION},
        "tier-2",
        police="consider",
        guidance=("physical-chastisement",),
    ),
    SeedExample(
        "In these cases police would be expected to contribute to the meeting chaired by the LADO.",
        {"injury": "visible", "harmed_or_may_have_harmed_child": True, "abuse_categories": ["physical"]},
        "tier-1",
        ("other-agencies",),
        police="required",
        rules=("always-injury",),
        guidance=("police-contribute-to-meeting", "physical-intervention"),
    ),
    SeedExample(
        "There is also a need to distinguish between allegations of assault and the legitimate use of physical"
        " intervention or restraint to protect a child/children from harming themselves or others, or damaging"
        " property.",
        {"works_with_children": True, "abuse_categories": ["physical"], "legitimate_physical_intervention": True},
        "consultation",
        ("legitimate-physical-intervention",),
        police="no",
        guidance=("physical-intervention",),
    ),
    # Children's Social Care.
    SeedExample(
        "All allegations or concerns which, at the point of referral, show the potential for meeting the definition"
        " of significant harm should be referred to the relevant team in Children’s Social Care.",
        {"harmed_or_may_have_harmed_child": True, "potential_significant_harm": True},
        "tier-1",
        ("other-agencies",),
        childrens_social_care="required",
    ),
]


def _advice(result: Assessment, agency: str) -> str:
    advice = result.referrals[agency]
    return "required" if advice.required else "consider" if advice.consider else "no"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.words[:90] for e in EXAMPLES])
def test_each_protocol_example_gets_the_level_and_referrals_the_protocol_names(example: SeedExample) -> None:
    result = assess(PACK, example.facts)
    assert result.level == example.level, result.as_dict()["reasons"]
    fired = {reason.criterion for reason in result.reasons}
    assert set(example.criteria) <= fired
    if example.police:
        assert _advice(result, "police") == example.police
    if example.childrens_social_care:
        assert _advice(result, "childrens_social_care") == example.childrens_social_care
    assert result.meets_harm_threshold == (example.level != "consultation")
    assert result.refer_to_lado == (example.level != "consultation")
    for key, value in example.extra.items():
        assert result.as_dict()[key] == value
    rules = {r.criterion for agency in ("police", "childrens_social_care") for r in result.referrals[agency].reasons}
    assert set(example.rules) <= rules
    assert set(example.guidance) <= {g.id for g in result.guidance}


def test_every_example_quoted_in_the_pack_has_a_test_case() -> None:
    quoted = {e for level in PACK.levels for values in level.examples.values() for e in values}
    quoted |= {e for level in PACK.levels for criterion in level.criteria for e in criterion.examples}
    tested = " ".join(example.words for example in EXAMPLES)
    assert quoted
    assert [e for e in quoted if e not in tested] == []


def test_every_criterion_and_protocol_referral_rule_is_exercised_by_a_seed_example() -> None:
    fired: set[str] = set()
    for example in EXAMPLES:
        result = assess(PACK, example.facts)
        fired |= {reason.criterion for reason in result.reasons}
        fired |= {f"police:{r.criterion}" for r in result.referrals["police"].reasons}
        fired |= {f"childrens_social_care:{r.criterion}" for r in result.referrals["childrens_social_care"].reasons}
    criteria = {c.id for level in PACK.levels for c in level.criteria}
    rules = {f"{agency}:{r.id}" for agency in ("police", "childrens_social_care") for r in PACK.referrals[agency]}
    assert sorted((criteria | rules) - fired) == []


def test_the_nursery_worker_example_is_monitored_by_the_lado_and_managed_by_the_employer() -> None:
    """Tier 2: "In such cases the employer is best placed to manage the matter to its conclusions."."""
    result = assess(PACK, EXAMPLES[4].facts | {"reported_on": "2026-03-06"})
    assert result.level_title == "Tier 2 referral (monitoring only)"
    assert "employer is best placed" in (result.level_action or "")
    assert [d.id for d in result.deadlines] == [
        "inform-lado",
        "lado-initial-decision",
        "ofsted-notification",
        "resolve-target-one-month",
        "resolve-target-three-months",
        "resolve-target-twelve-months",
    ]
    assert "recording-data-set" in {g.id for g in result.guidance}
    # A nursery is an early years setting: the national Ofsted notification applies too.
    assert result.referrals["ofsted"].required


def test_an_early_years_allegation_is_notified_to_ofsted_within_14_calendar_days() -> None:
    """The Ofsted rule: "as soon as reasonably practicable and at the latest within 14 days"."""
    result = assess(PACK, EXAMPLES[4].facts | {"reported_on": "2026-03-06"})
    rule = next(r for r in result.referrals["ofsted"].reasons if r.criterion == "early-years-notification")
    assert "within 14 days" in rule.text
    notify = next(d for d in result.deadlines if d.id == "ofsted-notification")
    # Calendar days, not working days: Fri 6 March 2026 + 14 = Fri 20 March 2026.
    assert notify.due.isoformat() == "2026-03-20"
    assert notify.counting == "14 calendar days"


def test_there_is_no_ofsted_deadline_when_the_ofsted_notification_is_not_required() -> None:
    """A school is not a registered early years provider: no Ofsted clock."""
    facts = EXAMPLES[4].facts | {"setting_type": "school", "reported_on": "2026-03-06"}
    result = assess(PACK, facts)
    assert not result.referrals["ofsted"].required
    assert "ofsted-notification" not in {d.id for d in result.deadlines}


def test_tier_1_holds_a_strategy_meeting_within_five_working_days() -> None:
    """ "In Tier 1 cases a Strategy Meeting, or a meeting convened by the LADO will be held."."""
    result = assess(PACK, {"pattern_emerging": True, "reported_on": "2026-04-02"})
    meeting = next(d for d in result.deadlines if d.id == "evaluation-meeting")
    # Thu 2 Apr 2026; Good Friday and Easter Monday: 7, 8, 9, 10, 13 April.
    assert meeting.due.isoformat() == "2026-04-13"


def test_a_gate_holds_the_level_at_consultation_but_the_police_rules_still_apply() -> None:
    """An adult who cannot be identified: consultation, but an injured child still goes to the police."""
    result = assess(PACK, {"adult_identified": False, "injury": "visible", "harmed_or_may_have_harmed_child": True})
    assert result.level == "consultation"
    assert not result.refer_to_lado
    assert result.referrals["police"].required
    assert any("Held at 'Consultation'" in note for note in result.notes)
    assert {r.level for r in result.reasons} == {"consultation", "tier-2", "tier-1"}


def test_no_identifiable_concern_never_lowers_an_allegation_that_meets_the_definition() -> None:
    """Contradictory facts: the higher level is advised and the contradiction is pointed out."""
    result = assess(PACK, {"safeguarding_concern": False, "possible_criminal_offence": True})
    assert result.level == "tier-2"
    assert any("no-identifiable-safeguarding-concern" in note for note in result.notes)


def test_children_s_social_care_calls_a_strategy_meeting_and_invites_the_lado() -> None:
    result = assess(PACK, {"potential_significant_harm": True})
    guidance = {g.id: g for g in result.guidance}
    assert "the LADO should be invited" in guidance["childrens-social-care-strategy-meeting"].text


def test_criterion_3_carries_the_protocol_s_balancing_note() -> None:
    result = assess(PACK, {"may_be_unsuitable_to_work_with_children": True})
    reason = next(r for r in result.reasons if r.criterion == "criterion-3-personal-life")
    assert reason.note is not None
    assert "evidence a direct impact" in reason.note
    assert "criterion-3-balancing" in {g.id for g in result.guidance}


def test_a_consultation_is_recorded_so_it_can_be_drawn_upon_later() -> None:
    result = assess(PACK, {"practice_issue_only": True})
    record = next(g for g in result.guidance if g.id == "consultation-record")
    assert "could be drawn upon if further concerns come about" in record.text


def test_the_recording_data_set_says_historic_means_over_twelve_months() -> None:
    data_set = next(g for g in PACK.guidance if g.id == "recording-data-set")
    assert (
        "Category of abuse (physical, sexual, neglect, conduct etc); date of incident (historic if over 12 months ago)"
        in (data_set.items)
    )
    assert PACK.non_recent_after_months == 12
    just_inside = assess(PACK, {"incident_date": "2024-03-10", "reported_on": "2025-03-10"})
    just_over = assess(PACK, {"incident_date": "2024-03-09", "reported_on": "2025-03-10"})
    assert (just_inside.non_recent, just_over.non_recent) == (False, True)


@pytest.mark.parametrize(
    ("fact", "words"),
    [
        (
            "complicated_by_numbers_or_roles",
            "An allegation which is complicated by the number of victims/perpetrators/ or roles held",
        ),
        ("needs_other_agencies", "Allegations which require the involvement of other agencies"),
        ("third_party_interest", "Other complicating factors including interest by a third party such as the media."),
    ],
)
def test_a_tier_1_complication_without_an_allegation_is_not_an_allegation(fact: str, words: str) -> None:
    """Tier 1: "The referral clearly meets the definition of an allegation": a complication alone does not."""
    alone = assess(PACK, {fact: True})
    assert alone.level == "consultation"
    assert not alone.meets_harm_threshold
    assert not alone.refer_to_lado
    with_limb = assess(PACK, {fact: True, "harmed_or_may_have_harmed_child": True})
    assert with_limb.level == "tier-1"
    assert words in next(r.text for r in with_limb.reasons if r.level == "tier-1")


def test_criterion_3_quotes_the_protocol_s_balancing_passage_from_its_start() -> None:
    """ "There are other scenarios where the risk to children is less clear … vulnerable in some other way."."""
    result = assess(PACK, {"may_be_unsuitable_to_work_with_children": True})
    guidance = {g.id: g for g in result.guidance}
    balancing = guidance["criterion-3-balancing"]
    assert balancing.text.startswith("There are other scenarios where the risk to children is less clear")
    assert balancing.text.endswith("the adult may be the injured party or vulnerable in some other way.")
    judgement = guidance["criterion-3-judgement"]
    assert (
        "What constitutes a risk will vary depending upon the context and nature of the work the adult is involved in."
        in judgement.items
    )


def test_the_police_hold_the_expertise_on_the_definition_of_an_offence() -> None:
    """ "It should also be recognised that the police hold the expertise on the definition of an offence…"."""
    result = assess(PACK, {"possible_criminal_offence": True})
    expertise = next(g for g in result.guidance if g.id == "police-expertise-on-offences")
    assert "the police hold the expertise on the definition of an offence" in expertise.text
    assert "police-expertise-on-offences" not in {g.id for g in assess(PACK, {"practice_issue_only": True}).guidance}
