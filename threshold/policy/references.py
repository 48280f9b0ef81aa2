"""References: may a record be mentioned in an employment reference, and why.

The pack's reference rules are read in order and the first that applies decides
(KCSIE: allegations found false, unfounded, unsubstantiated or malicious are never
mentioned; substantiated allegations are, factually). When no rule applies — most
often because there is no outcome yet — the answer is None and a person decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .conditions import evaluate
from .engine import situation_for, stamp
from .facts import Facts, FactValue, fact_words, parse_facts
from .pack import Pack
from .results import Reason, ReferenceDecision

DEFAULT_RECORD_TYPE = "allegation"


def decide_reference(pack: Pack, facts: Facts | Mapping[str, object]) -> ReferenceDecision:
    """Decide whether the record the facts describe may be mentioned in a reference.

    ``record_type`` defaults to ``allegation``, and the answer says so when it does.
    Raises ``FactsError`` naming the fact if the facts are invalid.
    """
    checked = parse_facts(facts)
    reasons: list[Reason] = []
    if checked.get("record_type") is None:
        values: dict[str, FactValue] = dict(checked.values)
        values["record_type"] = DEFAULT_RECORD_TYPE
        checked = Facts(MappingProxyType(values))
        reasons.append(
            Reason(
                "record-type-assumed",
                f"{fact_words('record_type').capitalize()} was not given, so the record is taken to be an allegation.",
                "Threshold",
            )
        )
    record_type = str(checked.get("record_type"))
    situation = situation_for(pack, checked)
    for rule in pack.references.rules:
        match = evaluate(rule.when, situation)
        if match.matched:
            reasons.append(Reason(rule.id, rule.text, rule.source, match.evidence))
            return ReferenceDecision(stamp(pack), record_type, rule.may_mention, tuple(reasons))
    reasons.append(Reason("no-rule", pack.references.default_text, pack.ref))
    return ReferenceDecision(stamp(pack), record_type, None, tuple(reasons))
