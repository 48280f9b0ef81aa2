"""Facts: the flat, validated description of a matter that the engine reasons about.

Facts arrive as a JSON object (from a form, the API or the command line). Every key is
optional, so "not known" is simply an absent key; ``null`` is read the same way,
because forms commonly send it for an unanswered question. An unknown key or a value
of the wrong type is an error naming the fact: a typo such as ``"harmed_child"`` must
never be silently ignored, because ignoring it would lower the advice.

The schema here is the single list of facts; packs may only refer to these names, and
the loader checks that they do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from types import MappingProxyType
from typing import TypeAlias

from .errors import FactsError, shorten

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
FactValue: TypeAlias = bool | str | date | tuple[str, ...]


class Kind(Enum):
    """The type of a fact's value."""

    BOOL = "true or false"
    CHOICE = "one of a fixed set of words"
    CHOICES = "a list of words from a fixed set"
    DATE = "a date written YYYY-MM-DD"


@dataclass(frozen=True)
class FactSpec:
    """One fact the engine understands: its name, type, allowed words and meaning."""

    name: str
    kind: Kind
    meaning: str
    choices: tuple[str, ...] = ()
    derived: bool = False


def _b(name: str, meaning: str) -> FactSpec:
    return FactSpec(name, Kind.BOOL, meaning)


def _c(name: str, choices: tuple[str, ...], meaning: str) -> FactSpec:
    return FactSpec(name, Kind.CHOICE, meaning, choices)


def _d(name: str, meaning: str) -> FactSpec:
    return FactSpec(name, Kind.DATE, meaning)


# Fact names as a page says them (issue 17: no internal name on a page); any other name is read without its
# underscores by ``fact_words``.
FACT_WORDS = {
    "subject_date_of_birth": "the subject's date of birth",
    "allegation_date": "the date of the allegation",
    "left_employment_on": "the date the person left their employment",
    "reported_on": "the date it was reported",
    "incident_date": "the date of the incident",
    "record_type": "the kind of record",
    "suspended_on": "the date of the suspension",
}


def fact_words(name: str) -> str:
    """A fact's name as a person reads it ("reported_on" → "the date it was reported")."""
    return FACT_WORDS.get(name, name.replace("_", " "))


ABUSE_CATEGORIES = ("physical", "sexual", "emotional", "neglect", "conduct")
OUTCOMES = ("substantiated", "malicious", "false", "unsubstantiated", "unfounded")
RECORD_TYPES = ("allegation", "low_level_concern", "consultation")

_SPECS: tuple[FactSpec, ...] = (
    # About the adult and the setting.
    _b("works_with_children", "The adult works with children (paid, unpaid or voluntary)."),
    _b("adult_identified", "The adult the concern is about can be identified."),
    _b("subject_is_teacher", "The adult is a teacher (TRA referral, reporting restrictions)."),
    _c(
        "subject_employment",
        ("employed", "supply", "volunteer", "contractor"),
        "How the adult is engaged.",
    ),
    _c(
        "setting_type",
        ("school", "early_years", "further_education", "other"),
        "The kind of setting the adult works in.",
    ),
    _d("subject_date_of_birth", "The adult's date of birth (State Pension age for retention)."),
    _b("interim_prohibition_order", "The Secretary of State has made an interim prohibition order."),
    # The harm threshold (KCSIE Part 4, four limbs).
    _b("harmed_or_may_have_harmed_child", "Behaved in a way that has harmed, or may have harmed, a child."),
    _b("possible_criminal_offence", "Possibly committed a criminal offence against or related to a child."),
    _b("behaviour_indicates_risk_of_harm", "Behaved towards a child in a way that indicates a risk of harm."),
    _b(
        "may_be_unsuitable_to_work_with_children",
        "Behaved in a way that indicates they may not be suitable to work with children"
        " (transferable risk, including conduct outside work).",
    ),
    # Below the threshold.
    _b("safeguarding_concern", "There is an identifiable safeguarding concern (false: there is none)."),
    _b("practice_issue_only", "The matter is more appropriately described as a practice issue."),
    _b("inconsistent_with_code_of_conduct", "The behaviour is inconsistent with the staff code of conduct."),
    # The nature of the concern.
    FactSpec(
        "abuse_categories",
        Kind.CHOICES,
        "Categories of the concern (the recording data set's 'Category of abuse').",
        ABUSE_CATEGORIES,
    ),
    _b(
        "meets_working_together_abuse_definition",
        "The concern is abuse as defined by Working Together to Safeguard Children.",
    ),
    _c(
        "injury",
        ("none", "reported", "visible"),
        "Injury to the child: none, reported, or visible (a red mark is a visible minor injury).",
    ),
    _b("sexual_interest_in_children_concern", "Behaviour may indicate a sexual interest in children."),
    _b("battery_without_injury", "An allegation of battery where there is no injury."),
    _b(
        "legitimate_physical_intervention",
        "The physical contact was the legitimate use of physical intervention or restraint to protect a child from"
        " harming themselves or others, or damaging property (false: it is an allegation of assault).",
    ),
    _b(
        "adult_injured_party_or_vulnerable",
        "The adult may be the injured party or vulnerable in some other way (for example a victim of domestic abuse,"
        " experiencing mental health problems, or suffering as a result of alcohol or substance misuse).",
    ),
    _b(
        "direct_impact_on_role_with_children",
        "There is evidence of a direct impact of the adult's circumstances on their role with children.",
    ),
    _b("aggravating_previous_pattern", "Aggravating factor: a previous pattern of this behaviour."),
    _b(
        "aggravating_violence_threat_or_premeditation",
        "Aggravating factor: the level of violence, threat of violence, or premeditation.",
    ),
    _b("aggravating_intent_to_harm", "Aggravating factor: the underlying intent is believed to be to harm."),
    _b(
        "child_or_parent_wishes_police_involvement",
        "The wishes of the child or the parent mean that police consultation is required.",
    ),
    _b("child_additional_vulnerability", "The child has an additional vulnerability."),
    _b("potential_significant_harm", "The concern shows the potential for meeting the definition of significant harm."),
    _b("needs_other_agencies", "The matter requires the involvement of other agencies."),
    _b(
        "complicated_by_numbers_or_roles",
        "Complicated by the number of victims or perpetrators, roles held, or a breach of a position of trust.",
    ),
    _b("pattern_emerging", "A pattern of allegations or concerns is emerging."),
    _b("third_party_interest", "Interest by a third party, such as the media."),
    _b("corroborating_evidence", "There is corroborating evidence (false: the account is not corroborated)."),
    _c(
        "incident_pattern",
        ("accidental", "neglectful", "intentional"),
        "The response matrix column: accidental, neglectful (a further incident) or intentional.",
    ),
    # Dates.
    _d("reported_on", "When the matter came to the organisation's attention; deadlines count from it."),
    _d("incident_date", "When the incident happened (non-recent if long before reported_on)."),
    _d("allegation_date", "The date of the allegation (retention counts from it)."),
    _d("left_employment_on", "When the adult left the organisation or retired."),
    # Conclusion.
    _c("outcome", OUTCOMES, "The outcome of the allegation."),
    _b("removed_from_regulated_activity", "The adult was removed from regulated activity because of the concern."),
    _b("resigned_before_conclusion", "The adult resigned or left before the process concluded."),
    _b(
        "ordinarily_in_reference",
        "The low-level concern (or group of concerns) relates to issues which would ordinarily be included in a"
        " reference, such as misconduct or poor performance (a person decides).",
    ),
    # The record a retention or reference question is about.
    _c("record_type", RECORD_TYPES, "The kind of record a retention or reference question is about."),
    # Derived by the engine, never given.
    FactSpec(
        "non_recent",
        Kind.BOOL,
        "Derived: incident_date is more than the pack's non_recent_after_months before reported_on.",
        derived=True,
    ),
)

FACTS: Mapping[str, FactSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
"""Every fact name the engine and the packs understand, in a stable order."""

HARM_THRESHOLD_FACTS: tuple[str, ...] = (
    "harmed_or_may_have_harmed_child",
    "possible_criminal_offence",
    "behaviour_indicates_risk_of_harm",
    "may_be_unsuitable_to_work_with_children",
)
"""The four limbs of the KCSIE Part 4 harm threshold, as fact names."""

DATE_FACTS: tuple[str, ...] = tuple(s.name for s in _SPECS if s.kind is Kind.DATE)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates outside this window are typing mistakes; bounding them also keeps "add ten
# years" and the bank-holiday calendar away from year 9999 arithmetic.
_EARLIEST = date(1900, 1, 1)
_LATEST = date(2199, 12, 31)


@dataclass(frozen=True)
class Facts:
    """Validated facts: an immutable mapping from fact name to a typed value."""

    values: Mapping[str, FactValue] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, name: str) -> FactValue | None:
        """Return the value of fact ``name``, or None when it was not given."""
        return self.values.get(name)

    def given(self) -> tuple[str, ...]:
        """Return the names of the facts that were given, in schema order."""
        return tuple(name for name in FACTS if name in self.values)

    def as_json(self) -> dict[str, JSONValue]:
        """Return the facts as a JSON-ready dict (dates as ISO strings), in schema order."""
        return {name: to_json(self.values[name]) for name in self.given()}


def to_json(value: FactValue | None) -> JSONValue:
    """Return a fact value in its JSON form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def parse_facts(raw: object) -> Facts:
    """Validate a JSON-decoded facts object and return typed, immutable ``Facts``.

    Raises ``FactsError`` naming the fact for an unknown key, a wrong type, a word
    outside the allowed set, a malformed or implausible date, or dates that
    contradict each other.
    """
    if isinstance(raw, Facts):
        return raw
    if not isinstance(raw, Mapping):
        raise FactsError("", f"facts must be a JSON object, not {type(raw).__name__}")
    values: dict[str, FactValue] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise FactsError(shorten(key), "fact names must be strings")
        spec = FACTS.get(key)
        if spec is None:
            raise FactsError(key, "unknown fact" + _suggest(key))
        if spec.derived:
            raise FactsError(key, "is worked out by the engine and cannot be given")
        if value is None:
            continue
        values[key] = _parse_value(spec, value)
    _check_dates(values)
    return Facts(MappingProxyType({name: values[name] for name in FACTS if name in values}))


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, [n for n, s in FACTS.items() if not s.derived], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _parse_value(spec: FactSpec, value: object) -> FactValue:
    name = spec.name
    if spec.kind is Kind.BOOL:
        # bool is a subclass of int in Python, but 0 and 1 are not answers here.
        if not isinstance(value, bool):
            raise FactsError(name, f"must be true or false, not {shorten(value)}")
        return value
    if spec.kind is Kind.CHOICE:
        if not isinstance(value, str) or value not in spec.choices:
            raise FactsError(name, f"must be one of {', '.join(spec.choices)}; got {shorten(value)}")
        return value
    if spec.kind is Kind.CHOICES:
        if not isinstance(value, list):
            raise FactsError(name, f"must be a list drawn from {', '.join(spec.choices)}; got {shorten(value)}")
        for item in value:
            if not isinstance(item, str) or item not in spec.choices:
                raise FactsError(name, f"{shorten(item)} is not one of {', '.join(spec.choices)}")
        # Sorted and de-duplicated so equal facts compare (and hash, and store) equal.
        return tuple(sorted(set(value), key=spec.choices.index))
    return parse_iso_date(name, value)


def parse_iso_date(name: str, value: object) -> date:
    """Parse a strict ``YYYY-MM-DD`` date for fact ``name``, within 1900–2199."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise FactsError(name, f"must be a date written YYYY-MM-DD; got {shorten(value)}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise FactsError(name, f"{value} is not a real date") from None
    if not _EARLIEST <= parsed <= _LATEST:
        raise FactsError(name, f"{value} is outside {_EARLIEST.year}–{_LATEST.year}")
    return parsed


def _check_dates(values: Mapping[str, FactValue]) -> None:
    def when(name: str) -> date | None:
        value = values.get(name)
        return value if isinstance(value, date) else None

    reported, incident, born = when("reported_on"), when("incident_date"), when("subject_date_of_birth")
    if reported and incident and incident > reported:
        raise FactsError("incident_date", f"{incident} is after reported_on {reported}")
    if born:
        for later in ("reported_on", "incident_date", "allegation_date", "left_employment_on"):
            other = when(later)
            if other and other <= born:
                raise FactsError("subject_date_of_birth", f"{born} is not before {later} {other}")
