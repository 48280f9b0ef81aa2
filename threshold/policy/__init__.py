"""Threshold's policy engine: the protocols as versioned policy packs, applied to facts.

Pure Python (standard library and ``holidays`` only; no Django), so it can be tested
to the hilt and reused anywhere. The rest of the product stores the pack id, version
and digest, the facts and the result with every decision it records.

Typical use::

    from threshold.policy import assess, get_pack, parse_facts

    pack = get_pack("bedford-luton-lado")
    result = assess(pack, parse_facts({"injury": "visible", "reported_on": "2025-12-24"}))
    result.level, result.referrals["police"].required, result.as_dict()
"""

from __future__ import annotations

from .calendar import (
    add_calendar_days,
    add_months,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_day_before,
)
from .conditions import AGENCIES
from .describe import describe_pack
from .engine import assess, non_recent
from .errors import FactsError, PackError, PolicyError, UnknownPackError
from .facts import FACTS, HARM_THRESHOLD_FACTS, Facts, JSONValue, parse_facts
from .loader import load_pack
from .pack import Pack
from .pension import state_pension_date
from .references import decide_reference
from .registry import PACKS_DIRECTORY, PackRegistry, get_pack, list_packs, load_packs, shipped_packs
from .results import Advice, Assessment, Deadline, Reason, ReferenceDecision, RetentionDecision
from .retention import decide_retention
from .retention import in_words as retention_in_words

__all__ = [
    "AGENCIES",
    "FACTS",
    "HARM_THRESHOLD_FACTS",
    "PACKS_DIRECTORY",
    "Advice",
    "Assessment",
    "Deadline",
    "Facts",
    "FactsError",
    "JSONValue",
    "Pack",
    "PackError",
    "PackRegistry",
    "PolicyError",
    "Reason",
    "ReferenceDecision",
    "RetentionDecision",
    "UnknownPackError",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "assess",
    "bank_holidays",
    "decide_reference",
    "decide_retention",
    "describe_pack",
    "get_pack",
    "is_working_day",
    "list_packs",
    "load_pack",
    "load_packs",
    "non_recent",
    "parse_facts",
    "retention_in_words",
    "shipped_packs",
    "state_pension_date",
    "working_day_before",
]
