"""Retention: how long a record is kept, what holds override deletion, and the personnel file.

For each record type the pack lists periods ("keep until the later of"): typically
State Pension age and ten years from the allegation for allegation records, and a
number of years after the person leaves for low-level concerns. ``keep_until`` is the
earliest date the record may be reviewed for deletion; a hold (such as the
preservation instruction for records about child sexual abuse) overrides it, with no
end date, until the pack says otherwise.

"The later of" can only be answered when every period can be worked out: without
the subject's date of birth, State Pension age may fall after the ten years, so a
date from the other periods alone could delete the record too early. Then
``keep_until`` is None, ``undetermined`` is True and ``waiting_for`` names the facts
that must be recorded first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .calendar import add_years_rolling_forward
from .conditions import evaluate
from .engine import situation_for, stamp
from .errors import FactsError
from .facts import FACT_WORDS, Facts, parse_facts, to_json
from .pack import Pack, Period
from .pension import state_pension_date
from .results import Quoted, Reason, RetentionDecision


def decide_retention(pack: Pack, facts: Facts | Mapping[str, object]) -> RetentionDecision:
    """Decide retention for the record the facts describe; ``record_type`` is required.

    Raises ``FactsError`` if the facts are invalid or ``record_type`` is missing:
    guessing the type of a record could delete it years early.
    """
    checked = parse_facts(facts)
    record_type = checked.get("record_type")
    if not isinstance(record_type, str):
        raise FactsError("record_type", "is required for retention (allegation, low_level_concern or consultation)")
    rule = pack.retention.records[record_type]
    situation = situation_for(pack, checked)
    reasons = [Reason(f"retention-{record_type.replace('_', '-')}", rule.text, rule.source)]
    candidates: list[date] = []
    waiting_for: list[str] = []
    for period in rule.periods:
        until, explanation = _period_end(period, checked)
        if until is not None:
            candidates.append(until)
        else:
            waiting_for.append(_wanted(period))
        reasons.append(Reason(f"period-{period.start.replace('_', '-')}", explanation, "Threshold"))
    # One missing period makes "the later of" unknowable: never answer with the others alone.
    keep_until = None if waiting_for else max(candidates, default=None)
    if not rule.periods:
        reasons.append(Reason("no-period", "The pack sets no retention period for this type of record.", "Threshold"))
    elif waiting_for:
        reasons.append(Reason("undetermined", _undetermined_text(waiting_for), "Threshold"))
    holds = []
    for hold in pack.retention.holds:
        match = evaluate(hold.when, situation)
        if match.matched:
            holds.append(Quoted(hold.id, hold.text, hold.source, hold.items))
            reasons.append(Reason(hold.id, hold.text, hold.source, match.evidence, effect="hold"))
    remove = False
    for statement in pack.retention.personnel_file:
        match = evaluate(statement.when, situation)
        if match.matched:
            remove = True
            reasons.append(Reason(statement.id, statement.text, statement.source, match.evidence))
    return RetentionDecision(
        stamp(pack),
        record_type,
        keep_until,
        tuple(holds),
        remove,
        tuple(reasons),
        undetermined=bool(waiting_for),
        waiting_for=tuple(waiting_for),
    )


def _wanted(period: Period) -> str:
    """The fact that must be recorded before ``period`` can be worked out."""
    return "subject_date_of_birth" if period.start == "state_pension_date" else period.start


_WORDS = FACT_WORDS
# Longest first, so that no name is replaced inside a longer one.
_NAMES = sorted(_WORDS, key=len, reverse=True)


def in_words(text: str) -> str:
    """A retention sentence with each fact name it mentions put in words, for a page.

    The reasons are stored with the record as they were written; those written before they named facts in
    words still read properly ("left_employment_on was not given" is never shown to a person).
    """
    for name in _NAMES:
        text = text.replace(name, _WORDS[name])
    return text


def _undetermined_text(waiting_for: list[str]) -> str:
    missing = " and ".join(_WORDS.get(name, name) for name in waiting_for)
    later = (
        " State Pension age may be later than the other period(s), so no date is given rather than one that may"
        " be too early."
        if "subject_date_of_birth" in waiting_for
        else ""
    )
    return f"The date the record is kept until cannot be worked out until {missing} is recorded.{later}"


def _period_end(period: Period, facts: Facts) -> tuple[date | None, str]:
    """Return the end of one period and a sentence saying how it was worked out."""
    if period.start == "state_pension_date":
        born = facts.get("subject_date_of_birth")
        if not isinstance(born, date):
            return None, f"State Pension age not worked out: {_WORDS['subject_date_of_birth']} is not recorded."
        until = add_years_rolling_forward(state_pension_date(born), period.years)
        return until, f"State Pension age for a person born {born.isoformat()} is reached on {until.isoformat()}."
    start, used = facts.get(period.start), period.start
    if not isinstance(start, date) and period.fallback:
        start, used = facts.get(period.fallback), period.fallback
    if not isinstance(start, date):
        wanted = " or ".join(_WORDS.get(name, name) for name in filter(None, (period.start, period.fallback)))
        start_words = _WORDS.get(period.start, period.start)
        return None, f"{period.years} years from {start_words} not worked out: {wanted} is not recorded."
    until = add_years_rolling_forward(start, period.years)
    used_words = _WORDS.get(used, used)
    instead = f" ({_WORDS.get(period.start, period.start)} is not recorded, so {used_words} was used)"
    return until, (
        f"{period.years} years from {used_words} {to_json(start)}{instead if used != period.start else ''}"
        f" is {until.isoformat()}."
    )
