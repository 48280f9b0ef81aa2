"""What every part of the generator shares: the seeded random source, the calendar, references and the packs' advice.

Everything random comes from one ``random.Random`` (``Build.rng``), so the same seed builds the same world.
References are drawn in the product's own format (``threshold.core.references``) from that generator, checked
against every reference already stored, so no bulk insert can collide. The packs' assessments are the engine's
own (``threshold.policy.assess``), computed once per set of facts and re-dated for each record: a pack's
deadlines count from ``reported_on``, the only fact that changes from one record to the next.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from threshold.core.references import ALPHABET, GROUP, RANDOM_CHARACTERS
from threshold.policy import add_working_days, assess, get_pack, parse_facts
from threshold.policy.engine import due_date
from threshold.policy.pack import Pack
from threshold.policy.registry import list_packs

LONDON = ZoneInfo("Europe/London")
YEARS = 10
# The day every cached assessment is first worked out on; each record's copy is re-dated from it.
REFERENCE_DAY = dt.date(2024, 1, 8)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime at ``hour:minute`` on ``day``, London time (as a person at work would record it)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def working_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day in England, else the next one."""
    return add_working_days(day - dt.timedelta(days=1), 1)


class References:
    """Random references in the product's format (``CT-7KQ2-9MXD``), never one already stored or drawn."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken

    def new(self, prefix: str) -> str:
        """A fresh reference with ``prefix``."""
        while True:
            characters = "".join(self.rng.choice(ALPHABET) for _ in range(RANDOM_CHARACTERS))
            groups = [characters[start : start + GROUP] for start in range(0, RANDOM_CHARACTERS, GROUP)]
            reference = "-".join([prefix, *groups])
            if reference not in self.taken:
                self.taken.add(reference)
                return reference


class Dumped(dict[str, Any]):
    """A JSON object whose text is already written (``insert`` stores ``text`` as it is instead of dumping again).

    Thousands of stored assessments differ only in their deadlines' dates: the rest of each is written once.
    """

    text: str


def dumped(value: dict[str, Any], text: str) -> Dumped:
    """``value`` with its JSON text attached."""
    result = Dumped(value)
    result.text = text
    return result


class Assessor:
    """The engine's assessment of a set of facts, computed once and re-dated for each record's day."""

    def __init__(self) -> None:
        self._cache: dict[
            tuple[str, str, tuple[str, ...]], tuple[Any, dict[str, Any], dict[str, Any], tuple[str, str]]
        ] = {}
        self._timescales: dict[str, dict[str, Any]] = {}

    def assess(
        self, pack: Pack, facts: dict[str, Any], day: dt.date, *, key: str, dated: tuple[str, ...] = ("reported_on",)
    ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        """``(assessment, facts as stored, assessment as stored)`` for ``facts`` with each ``dated`` fact on ``day``.

        ``key`` names the set of facts (the same key, the same facts). The returned ``assessment`` object is
        the reference day's (its level, referrals and suspension advice do not depend on the day); the stored
        dictionaries carry the record's own dates.
        """
        cache_key = (pack.ref, key, dated)
        cached = self._cache.get(cache_key)
        if cached is None:
            parsed = parse_facts({**facts, **dict.fromkeys(dated, REFERENCE_DAY.isoformat())})
            assessment = assess(pack, parsed)
            if not assessment.complete:
                raise ValueError(f"{pack.ref} needs more answers for {facts}: fix the generator's facts.")
            stored: dict[str, Any] = dict(assessment.as_dict())
            # Everything but the deadlines, as JSON text around the place where each record's deadlines go.
            before, after = json.dumps({**stored, "deadlines": "\x00"}).split('"\\u0000"')
            cached = (assessment, parsed.as_json(), stored, (before, after))
            self._cache[cache_key] = cached
            self._timescales[pack.ref] = {timescale.id: timescale for timescale in pack.timescales}
        assessment, stored_facts, stored, (before, after) = cached
        timescales = self._timescales[pack.ref]
        deadlines = []
        for entry in stored["deadlines"]:
            if entry["from"] not in dated:
                raise ValueError(f"{pack.ref}'s {entry['id']} counts from {entry['from']}: date that fact too.")
            deadlines.append({**entry, "due": due_date(timescales[entry["id"]], day).isoformat()})
        return (
            assessment,
            {**stored_facts, **dict.fromkeys(dated, day.isoformat())},
            dumped({**stored, "deadlines": deadlines}, before + json.dumps(deadlines) + after),
        )


@dataclass
class Build:
    """One run of the generator: its random source, its day, its references and its cached advice."""

    rng: random.Random
    today: dt.date
    references: References
    assessor: Assessor = field(default_factory=Assessor)
    packs: dict[str, list[Pack]] = field(default_factory=dict)

    def pack(self, pack_id: str, day: dt.date) -> Pack:
        """The version of the pack in force on ``day``: what ``get_pack(pack_id, on=day)`` returns."""
        versions = self.packs.get(pack_id)
        if versions is None:
            versions = self.packs[pack_id] = [pack for pack in list_packs() if pack.id == pack_id]
        chosen = [pack for pack in versions if pack.effective_from is None or pack.effective_from <= day]
        if not chosen:
            return get_pack(pack_id, on=day)  # raises, naming the pack and the day
        return chosen[-1]

    @property
    def start(self) -> dt.date:
        """The first day of the ten years the records span."""
        return self.today - dt.timedelta(days=365 * YEARS)

    def day(self, *, within: int | None = None) -> dt.date:
        """A working day in the ten years (or in the last ``within`` days), earlier than today."""
        span = within or (self.today - self.start).days
        while True:
            day = working_day_on_or_after(self.today - dt.timedelta(days=self.rng.randint(1, span)))
            if day < self.today:
                return day

    def office_time(self, day: dt.date) -> dt.datetime:
        """A moment of the working day (08:30 to 17:30) on ``day``."""
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        return at(day, minutes // 60, minutes % 60)

    def later(self, moment: dt.datetime, *, minutes: tuple[int, int]) -> dt.datetime:
        """A moment between ``minutes[0]`` and ``minutes[1]`` minutes after ``moment``, never in the future."""
        moved = moment + dt.timedelta(minutes=self.rng.randint(*minutes))
        return min(moved, dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=1))
