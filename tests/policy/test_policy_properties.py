"""Properties that must hold for any facts, checked with Hypothesis over every shipped pack."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from threshold.policy import (
    FACTS,
    HARM_THRESHOLD_FACTS,
    Pack,
    add_working_days,
    assess,
    decide_reference,
    decide_retention,
    list_packs,
)
from threshold.policy.facts import Kind
from threshold.policy.pension import state_pension_date

PACKS = list_packs()
# No example database: a run does not replay the examples an earlier run found (tests/conftest.py's profile too).
CHECK = settings(max_examples=150, deadline=None, database=None)


def _value(name: str) -> st.SearchStrategy[Any]:
    spec = FACTS[name]
    if spec.kind is Kind.BOOL:
        return st.booleans()
    if spec.kind is Kind.CHOICE:
        return st.sampled_from(spec.choices)
    if spec.kind is Kind.CHOICES:
        return st.lists(st.sampled_from(spec.choices), max_size=3)
    if name == "subject_date_of_birth":
        return st.dates(date(1940, 1, 1), date(1999, 12, 31)).map(date.isoformat)
    return st.dates(date(2000, 1, 1), date(2035, 12, 31)).map(date.isoformat)


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid facts: every given fact optional, dates consistent with each other."""
    names = [name for name, spec in FACTS.items() if not spec.derived]
    chosen = draw(st.lists(st.sampled_from(names), unique=True))
    drawn = {name: draw(_value(name)) for name in chosen}
    if "incident_date" in drawn and "reported_on" in drawn and drawn["incident_date"] > drawn["reported_on"]:
        drawn["incident_date"], drawn["reported_on"] = drawn["reported_on"], drawn["incident_date"]
    return drawn


def _rank(pack: Pack, level_id: str) -> int:
    return pack.level(level_id).rank


@CHECK
@given(pack=st.sampled_from(PACKS), base=facts(), limb=st.sampled_from(HARM_THRESHOLD_FACTS))
def test_adding_a_harm_threshold_fact_never_lowers_the_level(pack: Pack, base: dict[str, Any], limb: str) -> None:
    before = assess(pack, base)
    after = assess(pack, base | {limb: True})
    assert _rank(pack, after.level) >= _rank(pack, before.level)


@CHECK
@given(pack=st.sampled_from(PACKS), drawn=facts())
def test_every_level_above_the_lowest_comes_with_a_reason_from_that_level(pack: Pack, drawn: dict[str, Any]) -> None:
    result = assess(pack, drawn)
    if _rank(pack, result.level) > 0:
        assert any(reason.level == result.level for reason in result.reasons)
    for advice in (*result.referrals.values(), result.suspension):
        assert advice.consider == bool(advice.reasons)
        assert not advice.required or advice.consider


@CHECK
@given(pack=st.sampled_from(PACKS), drawn=facts(), reported_on=st.dates(date(2019, 1, 1), date(2035, 12, 31)))
def test_working_day_deadlines_never_fall_on_a_weekend_or_a_bank_holiday(
    pack: Pack, drawn: dict[str, Any], reported_on: date
) -> None:
    drawn = drawn | {"reported_on": reported_on.isoformat()}
    drawn.pop("incident_date", None)
    for deadline in assess(pack, drawn).deadlines:
        assert deadline.due > reported_on
        if "working day" in deadline.counting:
            # An independent oracle: the holidays package itself, not our calendar module.
            bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=deadline.due.year)
            assert deadline.due.weekday() < 5, deadline
            assert deadline.due not in bank_holidays, deadline


@CHECK
@given(start=st.dates(date(2019, 1, 1), date(2035, 12, 31)), days=st.integers(1, 30))
def test_n_working_days_later_is_exactly_n_working_days_later(start: date, days: int) -> None:
    due = add_working_days(start, days)
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, due.year + 1))
    between = [start + timedelta(n) for n in range(1, (due - start).days + 1)]
    working = [d for d in between if d.weekday() < 5 and d not in bank_holidays]
    assert len(working) == days
    assert working[-1] == due


@CHECK
@given(pack=st.sampled_from(PACKS), drawn=facts())
def test_results_are_deterministic_and_do_not_depend_on_the_order_of_the_facts(
    pack: Pack, drawn: dict[str, Any]
) -> None:
    first = assess(pack, drawn)
    again = assess(pack, dict(reversed(list(drawn.items()))))
    assert first == again
    assert json.dumps(first.as_dict()) == json.dumps(again.as_dict())
    reference = decide_reference(pack, drawn)
    assert reference == decide_reference(pack, drawn)
    json.dumps(reference.as_dict())


@CHECK
@given(pack=st.sampled_from(PACKS), drawn=facts(), record_type=st.sampled_from(FACTS["record_type"].choices))
def test_retention_never_ends_before_ten_years_from_an_allegation(
    pack: Pack, drawn: dict[str, Any], record_type: str
) -> None:
    drawn = drawn | {"record_type": record_type}
    result = decide_retention(pack, drawn)
    assert result == decide_retention(pack, drawn)
    json.dumps(result.as_dict())
    if record_type == "allegation" and "subject_date_of_birth" not in drawn:
        # State Pension age may be later than anything else known: no date rather than one too early.
        assert result.keep_until is None
        assert result.undetermined
    if record_type == "allegation" and "allegation_date" in drawn and "subject_date_of_birth" in drawn:
        allegation = date.fromisoformat(drawn["allegation_date"])
        assert result.keep_until is not None
        assert result.keep_until >= date(allegation.year + 10, allegation.month, min(allegation.day, 28))
        assert result.keep_until >= state_pension_date(date.fromisoformat(drawn["subject_date_of_birth"]))
    if result.keep_until is not None:
        assert not result.undetermined
    if "sexual" in drawn.get("abuse_categories", []):
        assert result.holds


def test_hypothesis_keeps_its_files_outside_the_repository() -> None:
    """Its constants cache goes to the user's cache (tests/conftest.py), never ``.hypothesis/`` here, and no
    property test keeps an example database."""
    from pathlib import Path

    from hypothesis.configuration import storage_directory

    repository = Path(__file__).resolve().parents[2]
    home = storage_directory(intent_to_write=False).home_directory
    assert not home.resolve().is_relative_to(repository)
    assert CHECK.database is None
    default = settings.default  # the profile the other property tests (audit tampering) run under
    assert default is not None
    assert default.database is None
