"""The clocks on a case: which of a pack's timescales apply, when each falls due, and whether it was met.

``assess`` works out deadlines from the level the engine *advises*. A LADO case
runs at the level the LADO *decided* (which may override the advice, or move
later with a recorded reason), and its clocks stop when something happens: the
decision is taken, the first meeting is held, the case concludes. This module
answers those questions, purely: dates in, states out.

The monthly review once a case is past three months ("conclude within 3 months
where possible; otherwise review monthly and record the reasons for delay",
National LADO Network minimum standards) is here too, so the arithmetic is
tested in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from .calendar import add_months
from .conditions import evaluate
from .engine import counting, due_date
from .facts import FactValue
from .pack import Pack, Timescale

# The resolution targets both sides keep ("these targets should be achieved in all but truly exceptional
# cases", the trust's policy 6.4; the LADO protocol's one-, three- and twelve-month targets), by their pack id,
# with the short name work lists and reminders give them: a target, not a step, so it says what was hoped for.
RESOLUTION_TARGETS = MappingProxyType(
    {
        "resolve-target-one-month": "Resolved within one month",
        "resolve-target-three-months": "Resolved within three months",
        "resolve-target-twelve-months": "Resolved within twelve months",
    }
)


class ClockState(StrEnum):
    """Where a clock stands on a given day."""

    MET = "met"  # what it waits for happened on or before the due date
    MET_LATE = "met_late"  # it happened, after the due date
    DUE = "due"  # not yet happened, not yet past the due date
    OVERDUE = "overdue"  # not yet happened, past the due date, and the case is still open
    NOT_MET = "not_met"  # the case ended without it happening


@dataclass(frozen=True)
class Clock:
    """One timescale applied to one matter: counted from ``start``, due on ``due``."""

    id: str
    description: str
    source: str
    counting: str
    start: date
    due: date
    done_on: date | None
    state: ClockState

    @property
    def overdue(self) -> bool:
        """Past its due date with nothing done, on an open matter."""
        return self.state is ClockState.OVERDUE


@dataclass(frozen=True)
class _AtLevel:
    """A situation (``conditions.Situation``) with the level fixed by a person's decision, not the engine."""

    rank: int
    facts: Mapping[str, FactValue] = field(default_factory=lambda: MappingProxyType({}))

    def fact(self, name: str) -> FactValue | None:
        return self.facts.get(name)

    def referral_rank(self, agency: str) -> int:
        # Clocks that hang on referral advice are the engine's business (``assess``);
        # a decided level carries no referral advice of its own.
        return 0

    def suspension_rank(self) -> int:
        return 0

    def level_rank(self) -> int:
        return self.rank


def level_rank(pack: Pack, level_id: str) -> int:
    """The rank of ``level_id`` in the pack.

    A level the pack does not name counts as the pack's lowest level that meets
    the harm threshold: a "Tier 1" or "Tier 2" case under the national ``kcsie``
    pack (whose levels stop at "allegation") is an allegation there.
    """
    for level in pack.levels:
        if level.id == level_id:
            return level.rank
    meeting = [level.rank for level in pack.levels if level.meets_harm_threshold]
    return min(meeting) if meeting else pack.levels[-1].rank


def timescales_at_level(
    pack: Pack,
    level_id: str,
    *,
    ids: Iterable[str] | None = None,
    facts: Mapping[str, FactValue] | None = None,
) -> tuple[Timescale, ...]:
    """The pack's timescales whose ``when`` holds at this level, in pack order (only ``ids`` if given)."""
    wanted = set(ids) if ids is not None else None
    situation = _AtLevel(level_rank(pack, level_id), MappingProxyType(dict(facts or {})))
    return tuple(
        timescale
        for timescale in pack.timescales
        if (wanted is None or timescale.id in wanted) and evaluate(timescale.when, situation).matched
    )


def clock(timescale: Timescale, *, start: date, done_on: date | None, today: date, running: bool = True) -> Clock:
    """Apply ``timescale`` from ``start``: met (on time or late), due, overdue, or not met once stopped.

    ``running`` is False once the matter has ended (concluded or closed): a
    clock that never stopped is then "not met" rather than overdue.
    """
    due = due_date(timescale, start)
    if done_on is not None:
        state = ClockState.MET if done_on <= due else ClockState.MET_LATE
    elif not running:
        state = ClockState.NOT_MET
    elif today > due:
        state = ClockState.OVERDUE
    else:
        state = ClockState.DUE
    return Clock(
        id=timescale.id,
        description=timescale.description,
        source=timescale.source,
        counting=counting(timescale),
        start=start,
        due=due,
        done_on=done_on,
        state=state,
    )


def next_delay_review(reviewed_on: date) -> date:
    """A review of delay is repeated monthly: the next one falls a calendar month after this one."""
    return add_months(reviewed_on, 1)


def delay_review_due(*, three_months_on: date, last_next_review_on: date | None) -> date:
    """When the next review of delay is due: at three months, then a month after each review."""
    return last_next_review_on or three_months_on
