"""England and Wales working days, and date arithmetic for deadlines.

England and Wales share one bank-holiday calendar. It comes from the ``holidays``
package as ``country_holidays("GB", subdiv="ENG")``: the bare ``GB`` calendar lacks
Easter Monday, which is not a bank holiday in Scotland. The package includes
substitute days (Boxing Day on a Saturday moves to Monday) and one-off holidays (the
2022 state funeral, the 2023 coronation); a future one-off appears when the package
is upgraded.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """Return the England and Wales bank holidays of ``year`` (cached per year)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Return whether ``day`` is a working day: Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """Return the ``days``-th working day after ``start``.

    ``start`` itself never counts, working day or not: reported on a Friday, one
    working day is the Monday (or the Tuesday after a bank-holiday Monday).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_day_before(day: date) -> date:
    """The last working day before ``day`` (the Friday for a Monday; Christmas Eve for 29 December 2026)."""
    before = day - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before


def add_calendar_days(start: date, days: int) -> date:
    """Return ``start`` plus ``days`` calendar days (weekends and holidays count)."""
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    """Return ``start`` plus ``months`` calendar months, clamped to the end of the month.

    31 January plus one month is 28 (or 29) February: for a deadline, the earlier
    reading is the safe one.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_years_rolling_forward(start: date, years: int, months: int = 0) -> date:
    """Return ``start`` plus ``years`` and ``months``, rolling a missing day forward.

    29 February plus one year is 1 March, and 31 December plus nine months is
    1 October: for retention (and pension age) the later reading is the safe one,
    because a record kept a day too long can be deleted tomorrow and a record deleted
    a day early cannot be recovered.
    """
    index = start.year * 12 + start.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    if start.day <= last:
        return date(year, month + 1, start.day)
    return date(year, month + 1, last) + timedelta(days=1)
