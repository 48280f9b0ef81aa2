"""The small condition language packs use to say when a criterion or rule applies.

Written in TOML as a ``when`` value, one of:

- ``"fact"`` — a true/false fact is true (absent means not known, so it does not match);
- ``{ fact = "f", is = false }`` — a true/false fact was given as false;
- ``{ fact = "f", in = ["a", "b"] }`` — a one-of fact has one of these values;
- ``{ fact = "f", includes = ["a"] }`` — a list fact includes any of these values;
- ``{ fact = "f", known = true }`` — a fact of any type was given (or, false, was not);
- ``{ any = [...] }``, ``{ all = [...] }``, ``{ not = ... }`` — combinations;
- ``{ use = "name" }`` — a named condition from the pack's ``[definitions]``;
- ``{ referral = "police", at_least = "required" }`` — the advice on a referral;
- ``{ level_at_least = "tier-3" }`` — the level chosen;
- ``{ suspension = "consider" }`` — the suspension advice is at least this.

The engine answers in stages (referrals, then the level, then suspension, then
timescales and guidance), so a condition may only look at what an earlier stage has
decided; the loader rejects anything else, which also rules out circular rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Protocol, TypeAlias

from .errors import PackError
from .facts import FACTS, FactValue, JSONValue, Kind, to_json
from .reader import Node

AGENCIES: tuple[str, ...] = ("police", "childrens_social_care", "ofsted", "dbs", "tra")
EFFECTS: tuple[str, ...] = ("consider", "required")
EFFECT_RANK: Mapping[str, int] = {"none": 0, "consider": 1, "required": 2}


class Stage(IntEnum):
    """What a condition may look at, by the part of the pack it appears in."""

    FACTS = 0  # referrals, retention, references
    REFERRALS = 1  # levels: facts and referral advice
    LEVEL = 2  # suspension: also the level
    SUSPENSION = 3  # timescales and guidance: also the suspension advice


@dataclass(frozen=True)
class Always:
    """Matches every time (a rule with no ``when``)."""


@dataclass(frozen=True)
class FactIs:
    """A true/false fact has this value."""

    fact: str
    value: bool


@dataclass(frozen=True)
class FactIn:
    """A one-of fact has one of these values."""

    fact: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FactIncludes:
    """A list fact includes at least one of these values."""

    fact: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FactKnown:
    """A fact was (or was not) given."""

    fact: str
    known: bool


@dataclass(frozen=True)
class AnyOf:
    """At least one of the items matches."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AllOf:
    """Every item matches."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The item does not match."""

    item: Condition


@dataclass(frozen=True)
class Named:
    """A named condition from ``[definitions]``; the name is kept for explanations."""

    name: str
    item: Condition


@dataclass(frozen=True)
class ReferralAtLeast:
    """The advice on a referral to ``agency`` is at least ``effect``."""

    agency: str
    effect: str


@dataclass(frozen=True)
class SuspensionAtLeast:
    """The suspension advice is at least ``effect``."""

    effect: str


@dataclass(frozen=True)
class LevelAtLeast:
    """The level chosen is ``level`` or higher."""

    level: str
    rank: int


Condition: TypeAlias = (
    "Always | FactIs | FactIn | FactIncludes | FactKnown | AnyOf | AllOf | Not | Named"
    " | ReferralAtLeast | SuspensionAtLeast | LevelAtLeast"
)
Evidence: TypeAlias = tuple[tuple[str, JSONValue], ...]


class Situation(Protocol):
    """What a condition is evaluated against."""

    def fact(self, name: str) -> FactValue | None:
        """Return a fact's value (given or derived), or None."""

    def referral_rank(self, agency: str) -> int:
        """Return 0 (none), 1 (consider) or 2 (required) for a referral."""

    def suspension_rank(self) -> int:
        """Return 0, 1 or 2 for the suspension advice."""

    def level_rank(self) -> int:
        """Return the rank of the level chosen (0 is the lowest)."""


@dataclass(frozen=True)
class Match:
    """Whether a condition matched, and the facts and decisions it looked at."""

    matched: bool
    evidence: Evidence = field(default=())


def evaluate(condition: Condition, situation: Situation) -> Match:
    """Evaluate ``condition``; the evidence lists what made it match (or not)."""
    if isinstance(condition, Always):
        return Match(True)
    if isinstance(condition, Named):
        return evaluate(condition.item, situation)
    if isinstance(condition, Not):
        inner = evaluate(condition.item, situation)
        return Match(not inner.matched, inner.evidence)
    if isinstance(condition, AnyOf | AllOf):
        results = [evaluate(item, situation) for item in condition.items]
        if isinstance(condition, AnyOf):
            matched = any(r.matched for r in results)
            chosen = [r for r in results if r.matched] if matched else results
        else:
            matched = all(r.matched for r in results)
            chosen = results if matched else [r for r in results if not r.matched]
        return Match(matched, _merge(r.evidence for r in chosen))
    if isinstance(condition, ReferralAtLeast):
        rank = situation.referral_rank(condition.agency)
        label = f"referral.{condition.agency}"
        return Match(rank >= EFFECT_RANK[condition.effect], ((label, _effect_name(rank)),))
    if isinstance(condition, SuspensionAtLeast):
        rank = situation.suspension_rank()
        return Match(rank >= EFFECT_RANK[condition.effect], (("suspension", _effect_name(rank)),))
    if isinstance(condition, LevelAtLeast):
        return Match(situation.level_rank() >= condition.rank, (("level_at_least", condition.level),))
    value = situation.fact(condition.fact)
    evidence: Evidence = ((condition.fact, to_json(value)),)
    if isinstance(condition, FactIs):
        return Match(value is condition.value, evidence)
    if isinstance(condition, FactIn):
        return Match(isinstance(value, str) and value in condition.values, evidence)
    if isinstance(condition, FactIncludes):
        found = isinstance(value, tuple) and any(v in value for v in condition.values)
        return Match(found, evidence)
    return Match((value is not None) == condition.known, evidence)


def _effect_name(rank: int) -> str:
    return next(name for name, r in EFFECT_RANK.items() if r == rank)


def _merge(groups: Iterable[Evidence]) -> Evidence:
    seen: dict[str, JSONValue] = {}
    for group in groups:
        for label, value in group:
            seen.setdefault(label, value)
    return tuple(seen.items())


def describe(condition: Condition) -> str:
    """Return a condition in words, for ``show`` and for pack authors."""
    if isinstance(condition, Always):
        return "always"
    if isinstance(condition, Named):
        return condition.name
    if isinstance(condition, Not):
        return f"not [{describe(condition.item)}]"
    if isinstance(condition, AnyOf | AllOf):
        word = "any of" if isinstance(condition, AnyOf) else "all of"
        return f"{word} [{'; '.join(describe(i) for i in condition.items)}]"
    if isinstance(condition, ReferralAtLeast):
        if condition.effect == "required":
            return f"{condition.agency} referral is required"
        return f"{condition.agency} referral is at least '{condition.effect}'"
    if isinstance(condition, SuspensionAtLeast):
        return f"suspension advice is at least '{condition.effect}'"
    if isinstance(condition, LevelAtLeast):
        return f"level is {condition.level} or higher"
    if isinstance(condition, FactIs):
        return condition.fact if condition.value else f"{condition.fact} is false"
    if isinstance(condition, FactIn):
        return f"{condition.fact} is {' or '.join(condition.values)}"
    if isinstance(condition, FactIncludes):
        return f"{condition.fact} includes {' or '.join(condition.values)}"
    return f"{condition.fact} is {'given' if condition.known else 'not given'}"


def referenced_facts(condition: Condition) -> frozenset[str]:
    """Return the names of the facts a condition looks at."""
    if isinstance(condition, Named | Not):
        return referenced_facts(condition.item)
    if isinstance(condition, AnyOf | AllOf):
        return frozenset().union(*(referenced_facts(i) for i in condition.items))
    if isinstance(condition, FactIs | FactIn | FactIncludes | FactKnown):
        return frozenset({condition.fact})
    return frozenset()


@dataclass(frozen=True)
class Parser:
    """Parses ``when`` values for one pack: knows its definitions and level ids."""

    definitions: Mapping[str, Node]
    levels: Mapping[str, int]

    def parse(self, node: Node, stage: Stage) -> Condition:
        """Parse the condition at ``node`` for use at ``stage``."""
        return self._parse(node, stage, ())

    def _parse(self, node: Node, stage: Stage, resolving: tuple[str, ...]) -> Condition:
        if isinstance(node.value, str):
            return self._fact_is(node, node.value, True)
        keys = set(node.table().keys())
        if "fact" in keys:
            return self._fact(node)
        if keys == {"any"} or keys == {"all"}:
            key = "any" if "any" in keys else "all"
            items = node.table().req(key).items()
            if not items:
                raise node.error(f"'{key}' needs at least one condition")
            parsed = tuple(self._parse(item, stage, resolving) for item in items)
            return AnyOf(parsed) if key == "any" else AllOf(parsed)
        if keys == {"not"}:
            return Not(self._parse(node.table().req("not"), stage, resolving))
        if keys == {"use"}:
            return self._use(node, stage, resolving)
        if "referral" in keys:
            return self._referral(node, stage)
        if keys == {"suspension"}:
            self._require_stage(node, stage, Stage.SUSPENSION, "suspension")
            return SuspensionAtLeast(node.table().req("suspension").word(EFFECTS))
        if keys == {"level_at_least"}:
            self._require_stage(node, stage, Stage.LEVEL, "level_at_least")
            level = node.table().req("level_at_least").word(self.levels)
            return LevelAtLeast(level, self.levels[level])
        raise node.error(
            "is not a condition: use a fact name, or a table with one of fact, any, all,"
            " not, use, referral, suspension, level_at_least"
        )

    def _fact(self, node: Node) -> Condition:
        table = node.table()
        tests = [k for k in ("is", "in", "includes", "known") if table.has(k)]
        table.only({"fact", *tests})
        if len(tests) != 1:
            raise node.error("a fact condition needs exactly one of is, in, includes, known")
        name_node = table.req("fact")
        name = name_node.text()
        spec = FACTS.get(name)
        if spec is None:
            raise name_node.error(f"unknown fact '{name}'")
        test = table.req(tests[0])
        if tests[0] == "known":
            return FactKnown(name, test.flag())
        if tests[0] == "is":
            return self._fact_is(name_node, name, test.flag())
        wanted = Kind.CHOICE if tests[0] == "in" else Kind.CHOICES
        if spec.kind is not wanted:
            hint = "in" if spec.kind is Kind.CHOICE else "includes" if spec.kind is Kind.CHOICES else "is"
            raise test.error(f"'{tests[0]}' does not apply to fact '{name}'; use '{hint}'")
        values = (test.value,) if isinstance(test.value, str) else tuple(test.texts())
        if not values:
            raise test.error("needs at least one value")
        for value in values:
            if value not in spec.choices:
                raise test.error(f"'{value}' is not a value of '{name}' ({', '.join(spec.choices)})")
        return FactIn(name, values) if wanted is Kind.CHOICE else FactIncludes(name, values)

    def _fact_is(self, node: Node, name: str, value: bool) -> FactIs:
        spec = FACTS.get(name)
        if spec is None:
            raise node.error(f"unknown fact '{name}'")
        if spec.kind is not Kind.BOOL:
            raise node.error(f"fact '{name}' is not true/false; use in, includes or known")
        return FactIs(name, value)

    def _use(self, node: Node, stage: Stage, resolving: tuple[str, ...]) -> Condition:
        name = node.table().req("use").text()
        if name not in self.definitions:
            raise node.error(f"no definition named '{name}' in [definitions]")
        if name in resolving:
            raise node.error(f"definition '{name}' refers to itself ({' -> '.join((*resolving, name))})")
        try:
            return Named(name, self._parse(self.definitions[name], stage, (*resolving, name)))
        except PackError as error:
            if resolving:  # already reported against the outermost use
                raise
            raise node.error(f"in definition '{name}' at {error.key}: {error.problem}") from None

    def _referral(self, node: Node, stage: Stage) -> Condition:
        table = node.table({"referral", "at_least"})
        self._require_stage(node, stage, Stage.REFERRALS, "referral")
        agency = table.req("referral").word(AGENCIES)
        return ReferralAtLeast(agency, table.req("at_least").word(EFFECTS))

    @staticmethod
    def _require_stage(node: Node, stage: Stage, needed: Stage, what: str) -> None:
        if stage < needed:
            places = {
                Stage.REFERRALS: "levels, suspension, timescales and guidance",
                Stage.LEVEL: "suspension, timescales and guidance",
                Stage.SUSPENSION: "timescales and guidance",
            }[needed]
            raise node.error(f"'{what}' conditions can only be used in {places}, not here")
