"""The clock stopped at a moment in London, for tests of time-dependent behaviour (Christmas, Easter, late May)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """The clock stopped at ``hour`` o'clock in London on ``day``."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), tick=False):
        yield
