"""The in-memory form of a policy pack: immutable dataclasses built by the loader.

A pack is self-contained: everything a decision needs is in one file, so a decision
stored with ``(pack id, version, digest)`` can be explained years later from that
file alone, even after the council has published a new protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .conditions import Condition

Unit = Literal["working_days", "calendar_days", "months"]


@dataclass(frozen=True)
class Criterion:
    """One criterion of a level, in the pack's words, with the condition that fires it.

    A ``gate`` criterion says the matter is outside the allegations procedure
    altogether (for example, the adult does not work with children); it holds the
    level at the lowest level even when higher criteria also fire.
    """

    id: str
    text: str
    when: Condition
    source: str
    note: str | None
    gate: bool
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    """A level of response (consultation, tier, allegation …), lowest first by ``rank``."""

    id: str
    rank: int
    title: str
    description: str
    action: str | None
    meets_harm_threshold: bool
    refer_to_lado: bool
    spectrum: str | None
    criteria: tuple[Criterion, ...]
    examples: Mapping[str, tuple[str, ...]]
    source: str


@dataclass(frozen=True)
class Rule:
    """A referral or suspension rule: when it applies, advise ``effect``."""

    id: str
    text: str
    effect: Literal["consider", "required"]
    when: Condition
    source: str
    note: str | None


@dataclass(frozen=True)
class Suspension:
    """When to consider suspension, and the alternatives to weigh first."""

    text: str
    rules: tuple[Rule, ...]
    alternatives: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Timescale:
    """A deadline counted from a date fact, in working days, calendar days or months."""

    id: str
    description: str
    count: int
    unit: Unit
    start: str
    when: Condition
    source: str


@dataclass(frozen=True)
class Period:
    """One leg of a retention period: a start and a number of years after it.

    ``start`` is a date fact or ``state_pension_date`` (worked out from
    ``subject_date_of_birth``); ``fallback`` is a date fact used when ``start`` is
    not given, and the decision says so.
    """

    start: str
    years: int
    fallback: str | None


@dataclass(frozen=True)
class RecordRetention:
    """How long one type of record is kept: the later of its periods."""

    record_type: str
    text: str
    periods: tuple[Period, ...]
    source: str


@dataclass(frozen=True)
class Statement:
    """A rule that applies when its condition matches (holds, personnel file, guidance)."""

    id: str
    text: str
    when: Condition
    source: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """Questions that must be answered before the advice is complete (``[[needs_answers]]``).

    When ``when`` holds and none of ``facts`` was given, the assessment is incomplete:
    it names the question, in ``text``, rather than advise a level as if "not known"
    were "no" (the trust's Tier 1 on no answers at all was under-advice).
    """

    id: str
    text: str
    facts: tuple[str, ...]
    when: Condition
    source: str


@dataclass(frozen=True)
class Retention:
    """Retention rules: a period per record type, holds, and personnel-file removal."""

    records: Mapping[str, RecordRetention]
    holds: tuple[Statement, ...]
    personnel_file: tuple[Statement, ...]


@dataclass(frozen=True)
class ReferenceRule:
    """Whether a record may be mentioned in an employment reference; first match wins."""

    id: str
    text: str
    may_mention: bool
    when: Condition
    source: str


@dataclass(frozen=True)
class References:
    """Reference rules in order, and what to say when none applies."""

    rules: tuple[ReferenceRule, ...]
    default_text: str


@dataclass(frozen=True)
class Definition:
    """A quoted definition (an outcome, a band of the spectrum of behaviour)."""

    id: str
    text: str
    source: str


@dataclass(frozen=True)
class LowLevelConcerns:
    """The pack's definition of a low-level concern, with examples."""

    definition: str
    examples: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ResponseRow:
    """A column of the response matrix (accidental, neglectful, intentional)."""

    pattern: str
    title: str
    description: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ResponseMatrix:
    """The response matrix: what to do by incident pattern, and notes that always apply."""

    rows: Mapping[str, ResponseRow]
    notes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Pack:
    """A loaded, validated policy pack."""

    id: str
    version: str
    title: str
    source: str
    effective_from: date | None
    non_recent_after_months: int
    notes: tuple[str, ...]
    path: str
    digest: str
    definitions: Mapping[str, Condition]
    levels: tuple[Level, ...]
    referrals: Mapping[str, tuple[Rule, ...]]
    suspension: Suspension
    timescales: tuple[Timescale, ...]
    guidance: tuple[Statement, ...]
    retention: Retention
    references: References
    low_level_concerns: LowLevelConcerns
    outcomes: Mapping[str, Definition]
    spectrum: Mapping[str, Definition]
    response_matrix: ResponseMatrix | None
    # ``[routing] no_trust_recipient``: the role that receives a concern about the head of a setting with no trust.
    no_trust_recipient: str = "governance"
    # Bands that say when they apply, in pack order; the first that holds overrides
    # the level's own band (a Tier 1 matter may be appropriate conduct).
    spectrum_when: Mapping[str, Condition] = field(default_factory=dict)
    # ``[[needs_answers]]``: the questions without whose answers the advice is incomplete.
    needs_answers: tuple[Question, ...] = ()

    @property
    def ref(self) -> str:
        """Return ``id@version``, the string that names this exact pack."""
        return f"{self.id}@{self.version}"

    def level(self, level_id: str) -> Level:
        """Return the level with ``level_id`` (raises KeyError if there is none)."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)
