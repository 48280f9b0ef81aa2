"""A pack's rules in readable form (``policy show``): conditions in words, texts as written."""

from __future__ import annotations

from .conditions import AGENCIES, Always, describe
from .engine import counting
from .facts import JSONValue
from .pack import Criterion, Level, Pack, Period, Rule, Statement


def describe_pack(pack: Pack) -> dict[str, JSONValue]:
    """Return the whole pack as JSON-ready data, with every condition written in words."""
    retention: dict[str, JSONValue] = {
        kind: {
            "text": record.text,
            "keep_until_later_of": [_period(p) for p in record.periods],
            "source": record.source,
        }
        for kind, record in pack.retention.records.items()
    }
    retention["holds"] = [_statement(s) for s in pack.retention.holds]
    retention["personnel_file"] = [_statement(s) for s in pack.retention.personnel_file]
    matrix = pack.response_matrix
    return {
        "id": pack.id,
        "version": pack.version,
        "title": pack.title,
        "source": pack.source,
        "effective_from": pack.effective_from.isoformat() if pack.effective_from else None,
        "digest": pack.digest,
        "non_recent_after_months": pack.non_recent_after_months,
        "notes": list(pack.notes),
        "definitions": {name: describe(condition) for name, condition in pack.definitions.items()},
        "levels": [_level(level) for level in pack.levels],
        "referrals": {agency: [_rule(r) for r in pack.referrals[agency]] for agency in AGENCIES},
        "suspension": {
            "text": pack.suspension.text,
            "rules": [_rule(r) for r in pack.suspension.rules],
            "alternatives": list(pack.suspension.alternatives),
            "source": pack.suspension.source,
        },
        "timescales": [
            {
                "id": t.id,
                "description": t.description,
                "counting": counting(t),
                "from": t.start,
                "when": describe(t.when),
                "source": t.source,
            }
            for t in pack.timescales
        ],
        "guidance": [_statement(g) for g in pack.guidance],
        "retention": retention,
        "references": {
            "rules": [
                {"id": r.id, "text": r.text, "may_mention": r.may_mention, "when": describe(r.when), "source": r.source}
                for r in pack.references.rules
            ],
            "default_text": pack.references.default_text,
        },
        "low_level_concerns": {
            "definition": pack.low_level_concerns.definition,
            "examples": list(pack.low_level_concerns.examples),
            "source": pack.low_level_concerns.source,
        },
        "outcomes": {key: {"text": d.text, "source": d.source} for key, d in pack.outcomes.items()},
        "spectrum": {key: _band(pack, key) for key in pack.spectrum},
        "routing": {"no_trust_recipient": pack.no_trust_recipient},
        "needs_answers": [
            {"id": q.id, "text": q.text, "facts": list(q.facts), "when": describe(q.when), "source": q.source}
            for q in pack.needs_answers
        ],
        "response_matrix": None
        if matrix is None
        else {
            "rows": {
                key: {"title": row.title, "description": row.description, "actions": list(row.actions)}
                for key, row in matrix.rows.items()
            },
            "notes": list(matrix.notes),
            "source": matrix.source,
        },
    }


def _level(level: Level) -> dict[str, JSONValue]:
    return {
        "id": level.id,
        "title": level.title,
        "description": level.description,
        "action": level.action,
        "meets_harm_threshold": level.meets_harm_threshold,
        "refer_to_lado": level.refer_to_lado,
        "spectrum": level.spectrum,
        "criteria": [_criterion(c) for c in level.criteria],
        "examples": {key: list(values) for key, values in level.examples.items()},
        "source": level.source,
    }


def _criterion(criterion: Criterion) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"id": criterion.id, "text": criterion.text, "when": describe(criterion.when)}
    if criterion.gate:
        out["gate"] = True
    if criterion.note:
        out["note"] = criterion.note
    if criterion.examples:
        out["examples"] = list(criterion.examples)
    out["source"] = criterion.source
    return out


def _rule(rule: Rule) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"id": rule.id, "text": rule.text, "effect": rule.effect, "when": describe(rule.when)}
    if rule.note:
        out["note"] = rule.note
    out["source"] = rule.source
    return out


def _statement(statement: Statement) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"id": statement.id, "text": statement.text}
    if not isinstance(statement.when, Always):
        out["when"] = describe(statement.when)
    if statement.items:
        out["items"] = list(statement.items)
    out["source"] = statement.source
    return out


def _period(period: Period) -> str:
    start = "State Pension age" if period.start == "state_pension_date" else period.start
    text = start if period.years == 0 else f"{period.years} years from {start}"
    return f"{text} (or {period.fallback} if it is not given)" if period.fallback else text


def _band(pack: Pack, key: str) -> dict[str, JSONValue]:
    band = pack.spectrum[key]
    found: dict[str, JSONValue] = {"text": band.text, "source": band.source}
    if key in pack.spectrum_when:
        found["when"] = describe(pack.spectrum_when[key])
    return found
