"""The engine: applies a pack to facts and explains its advice.

It answers in stages, each able to look only at what came before:

1. referrals (police, children's social care, Ofsted, DBS, TRA), from the facts;
2. the level, from the facts and the referral advice (the Bedford/Luton protocol puts
   "allegations which require the involvement of other agencies" at Tier 1);
3. suspension, from the facts, referrals and level (Tier 4 in the trust's matrix);
4. deadlines and guidance, from all of the above.

The level is the highest level any of whose criteria fire, so a concern that meets a
higher level is never lowered by a below-threshold description that also fits. The
one exception is a *gate* criterion (for example "the subject ... cannot be considered
to be 'an adult who works with children'"): it says the allegations procedure does not
apply at all, so it holds the level at the lowest level. Referral rules still apply
under a gate, and the result says which higher criteria fired, so nothing is hidden.

The engine advises; people decide. Nothing here stores or sends anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from .calendar import add_calendar_days, add_months, add_working_days
from .conditions import AGENCIES, Condition, evaluate, referenced_facts
from .facts import Facts, FactValue, fact_words, parse_facts
from .pack import Criterion, Definition, Level, Pack, Rule, Timescale
from .questions import unanswered
from .results import Advice, Assessment, Deadline, PackStamp, Quoted, Reason, Response


@dataclass(frozen=True)
class _Situation:
    """The facts plus what earlier stages decided; implements ``conditions.Situation``."""

    facts: Facts
    derived: Mapping[str, FactValue]
    referrals: Mapping[str, int] = field(default_factory=dict)
    suspension: int = 0
    level: int = 0

    def fact(self, name: str) -> FactValue | None:
        if name in self.derived:
            return self.derived[name]
        return self.facts.get(name)

    def referral_rank(self, agency: str) -> int:
        return self.referrals.get(agency, 0)

    def suspension_rank(self) -> int:
        return self.suspension

    def level_rank(self) -> int:
        return self.level


def stamp(pack: Pack) -> PackStamp:
    """Return the id, version and digest that every result carries."""
    return PackStamp(pack.id, pack.version, pack.digest)


def non_recent(pack: Pack, facts: Facts) -> bool | None:
    """Return whether the incident is non-recent (historic), or None if unknown.

    Non-recent means ``incident_date`` is more than the pack's
    ``non_recent_after_months`` before ``reported_on`` (the Bedford/Luton data set:
    "historic if over 12 months ago").
    """
    incident, reported = facts.get("incident_date"), facts.get("reported_on")
    if not isinstance(incident, date) or not isinstance(reported, date):
        return None
    return incident < add_months(reported, -pack.non_recent_after_months)


def situation_for(pack: Pack, facts: Facts) -> _Situation:
    """Return the facts with the pack's derived facts added, before any stage has run."""
    derived: dict[str, FactValue] = {}
    historic = non_recent(pack, facts)
    if historic is not None:
        derived["non_recent"] = historic
    return _Situation(facts, MappingProxyType(derived))


def advise(rules: tuple[Rule, ...], situation: _Situation) -> Advice:
    """Apply referral or suspension rules; every rule that fires becomes a reason."""
    reasons = []
    for rule in rules:
        match = evaluate(rule.when, situation)
        if match.matched:
            reasons.append(Reason(rule.id, rule.text, rule.source, match.evidence, effect=rule.effect, note=rule.note))
    required = any(r.effect == "required" for r in reasons)
    return Advice(required=required, consider=bool(reasons), reasons=tuple(reasons))


def assess(pack: Pack, facts: Facts | Mapping[str, object]) -> Assessment:
    """Assess a matter against ``pack``: level, referrals, reasons, deadlines, guidance.

    ``facts`` may be validated ``Facts`` or a JSON-decoded mapping (validated here;
    raises ``FactsError`` naming the fact if invalid). The result is deterministic:
    the same pack and facts always give an equal result.
    """
    checked = parse_facts(facts)
    situation = situation_for(pack, checked)
    referrals = {agency: advise(pack.referrals[agency], situation) for agency in AGENCIES}
    situation = replace(situation, referrals={a: referrals[a].rank for a in AGENCIES})

    level, reasons, notes = _choose_level(pack, situation)
    situation = replace(situation, level=level.rank)
    suspension = advise(pack.suspension.rules, situation)
    situation = replace(situation, suspension=suspension.rank)

    deadlines, missing = _deadlines(pack, situation)
    if missing:
        notes.append(f"Deadlines not worked out because {' and '.join(fact_words(name) for name in sorted(missing))}"
                     " was not given.")  # fmt: skip
    historic = situation.derived.get("non_recent")
    if historic is None and checked.get("incident_date"):
        notes.append(
            f"Whether the allegation is non-recent is not worked out: {fact_words('reported_on')} was not given."
        )
    guidance = tuple(
        Quoted(g.id, g.text, g.source, g.items) for g in pack.guidance if evaluate(g.when, situation).matched
    )
    outcome = checked.get("outcome")
    definition = pack.outcomes.get(outcome) if isinstance(outcome, str) else None
    band = spectrum_band(pack, level, situation)
    questions = unanswered(pack.needs_answers, situation)
    if questions:
        notes.append(
            f"The advice is incomplete until these are answered: {'; '.join(q.text for q in questions)}."
            f" '{level.title}' is only what the answers so far reach."
        )
    return Assessment(
        pack=stamp(pack),
        level=level.id,
        level_title=level.title,
        level_description=level.description,
        level_action=level.action,
        meets_harm_threshold=level.meets_harm_threshold,
        refer_to_lado=level.refer_to_lado,
        spectrum=Quoted(band.id, band.text, band.source) if band else None,
        reasons=reasons,
        referrals=MappingProxyType(referrals),
        suspension=suspension,
        suspension_alternatives=pack.suspension.alternatives if suspension.consider else (),
        deadlines=deadlines,
        non_recent=historic if isinstance(historic, bool) else None,
        response=_response(pack, checked),
        outcome=Quoted(definition.id, definition.text, definition.source) if definition else None,
        guidance=guidance,
        notes=tuple(notes),
        facts_not_used=tuple(sorted(set(checked.given()) - facts_used_by_assess(pack), key=checked.given().index)),
        needs_answers=questions,
    )


def spectrum_band(pack: Pack, level: Level, situation: _Situation) -> Definition | None:
    """The band of the spectrum of behaviour: the first band whose own ``when`` holds, else the level's band.

    A pack whose lowest tiers mix low-level concerns with behaviour that is entirely
    consistent with the code of conduct (the trust's Tier 1) says so on the band, so the
    band is worked out separately from the tier.
    """
    for band_id, when in pack.spectrum_when.items():
        if evaluate(when, situation).matched:
            return pack.spectrum[band_id]
    return pack.spectrum.get(level.spectrum) if level.spectrum else None


def _choose_level(pack: Pack, situation: _Situation) -> tuple[Level, tuple[Reason, ...], list[str]]:
    fired: list[tuple[Level, Criterion, Reason]] = []
    for level in pack.levels:
        for criterion in level.criteria:
            match = evaluate(criterion.when, situation)
            if match.matched:
                reason = Reason(
                    criterion.id, criterion.text, criterion.source, match.evidence, level=level.id, note=criterion.note
                )
                fired.append((level, criterion, reason))
    lowest = pack.levels[0]
    highest = max((level for level, _, _ in fired), key=lambda lv: lv.rank, default=lowest)
    gates = [criterion for _, criterion, _ in fired if criterion.gate]
    chosen = lowest if gates else highest
    notes: list[str] = []
    if gates and highest.rank > lowest.rank:
        notes.append(
            f"Held at '{lowest.title}' because the allegations procedure does not apply"
            f" ({'; '.join(f'“{g.text}”' for g in gates)}), although criteria of '{highest.title}'"
            " also fired; they are listed in reasons, and the referral rules still apply. Check the facts."
        )
    # A below-threshold description firing alongside a threshold criterion usually
    # means contradictory facts, so say so; tiers within the threshold nest quietly.
    overruled = [c for level, c, _ in fired if not level.meets_harm_threshold and chosen.meets_harm_threshold]
    if overruled:
        notes.append(
            f"Advised '{chosen.title}' because a criterion of that level fired; the lower-level"
            f" {'criterion' if len(overruled) == 1 else 'criteria'} "
            f"{', '.join(repr(c.id) for c in overruled)} also fired but never lower the advice."
        )
    if not fired:
        notes.append(f"No criterion fired on the facts given; '{lowest.title}' is the pack's lowest level.")
    # Highest level first, then pack order, so the reason for the advice comes first.
    ordered = sorted(fired, key=lambda item: -item[0].rank)
    return chosen, tuple(reason for _, _, reason in ordered), notes


def _deadlines(pack: Pack, situation: _Situation) -> tuple[tuple[Deadline, ...], set[str]]:
    deadlines: list[Deadline] = []
    missing: set[str] = set()
    for timescale in pack.timescales:
        if not evaluate(timescale.when, situation).matched:
            continue
        start = situation.facts.get(timescale.start)
        if not isinstance(start, date):
            missing.add(timescale.start)
            continue
        deadlines.append(
            Deadline(
                timescale.id,
                timescale.description,
                due_date(timescale, start),
                counting(timescale),
                timescale.start,
                timescale.source,
            )
        )
    return tuple(deadlines), missing


def due_date(timescale: Timescale, start: date) -> date:
    """Return when ``timescale`` falls due, counted from ``start``."""
    if timescale.unit == "working_days":
        return add_working_days(start, timescale.count)
    if timescale.unit == "calendar_days":
        return add_calendar_days(start, timescale.count)
    return add_months(start, timescale.count)


def counting(timescale: Timescale) -> str:
    """Return how a timescale counts, in words: '1 working day', '14 calendar days'."""
    unit = {"working_days": "working day", "calendar_days": "calendar day", "months": "month"}[timescale.unit]
    return f"{timescale.count} {unit}{'' if timescale.count == 1 else 's'}"


def _response(pack: Pack, facts: Facts) -> Response | None:
    matrix = pack.response_matrix
    pattern = facts.get("incident_pattern")
    if matrix is None or not isinstance(pattern, str):
        return None
    row = matrix.rows[pattern]
    return Response(row.pattern, row.title, row.description, row.actions, matrix.notes, matrix.source)


def facts_used_by_assess(pack: Pack) -> frozenset[str]:
    """Return the facts ``assess`` looks at for this pack (the rest are reported unused)."""
    conditions: list[Condition] = [c.when for level in pack.levels for c in level.criteria]
    conditions += [r.when for rules in pack.referrals.values() for r in rules]
    conditions += [r.when for r in pack.suspension.rules]
    conditions += [t.when for t in pack.timescales] + [g.when for g in pack.guidance]
    conditions += list(pack.spectrum_when.values()) + [q.when for q in pack.needs_answers]
    used = set().union(*(referenced_facts(c) for c in conditions))
    used |= {fact for question in pack.needs_answers for fact in question.facts}
    used |= {t.start for t in pack.timescales} | {"incident_date", "reported_on", "outcome"}
    if pack.response_matrix is not None:
        used.add("incident_pattern")
    return frozenset(used)
