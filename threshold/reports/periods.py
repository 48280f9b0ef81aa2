"""The periods a report counts over: the financial year (1 April to 31 March), its quarters, or any two dates.

A period is a run of whole days, both ends included, in Europe/London local dates (issue 14: "boundaries are
inclusive in Europe/London time"). A record stamped with a time (a contact's ``received_at``, a meeting's
``held_at``) is counted in the period holding its London date: a contact at 23:30 on 31 March (BST, 22:30 UTC)
belongs to the year ending that day, and one at 00:30 on 1 April (23:30 UTC on 31 March) to the next year.
``utc_bounds`` turns a period into the half-open UTC range a database compares such a time with. A record
stamped with a date (a case's ``received_on``, ``concluded_on``) is compared with the dates themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from threshold.policy import add_months
from threshold.policy.calendar import add_years_rolling_forward

LONDON = ZoneInfo("Europe/London")
# The financial year starts on 1 April; its quarters are April to June (Q1) … January to March (Q4).
YEAR_START_MONTH = 4
QUARTER_MONTHS = 3


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, with the words a report calls it by.

    ``quarter`` is 1 to 4 for a quarter of a financial year (0 otherwise), so a report can name the
    quarters of its year Q1 to Q4.
    """

    start: dt.date
    end: dt.date
    label: str
    quarter: int = 0

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after the day it starts.")

    @property
    def days(self) -> int:
        """How many days the period holds, both ends included."""
        return (self.end - self.start).days + 1

    def holds(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day <= self.end


def _day(day: dt.date) -> str:
    """A date in GOV.UK style: 1 April 2026."""
    return f"{day.day} {day:%B %Y}"


def _year_starting(year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, YEAR_START_MONTH, 1)
    return start, add_months(start, 12) - dt.timedelta(days=1)


def year_label(start_year: int) -> str:
    """The financial year starting in April of ``start_year``, as reports name it: "2025 to 2026"."""
    return f"{start_year} to {start_year + 1}"


def financial_year(containing: dt.date) -> Period:
    """The financial year (1 April to 31 March) that holds the day ``containing``."""
    start_year = containing.year if containing.month >= YEAR_START_MONTH else containing.year - 1
    start, end = _year_starting(start_year)
    return Period(start=start, end=end, label=year_label(start_year))


def _quarter(start_year: int, number: int) -> Period:
    start = add_months(dt.date(start_year, YEAR_START_MONTH, 1), QUARTER_MONTHS * (number - 1))
    end = add_months(start, QUARTER_MONTHS) - dt.timedelta(days=1)
    months = f"{start:%B} to {end:%B %Y}"
    return Period(start=start, end=end, label=f"Q{number} {year_label(start_year)} ({months})", quarter=number)


def quarters(year_period: Period) -> list[Period]:
    """The four quarters of a financial year.

    Q1 April to June, Q2 July to September, Q3 October to December, Q4 January to March.
    """
    if not is_financial_year(year_period):
        raise ValueError("Quarters are of a financial year (1 April to 31 March).")
    return [_quarter(year_period.start.year, number) for number in range(1, 5)]


def is_financial_year(period: Period) -> bool:
    """Whether the period is exactly one financial year."""
    return (period.start, period.end) == _year_starting(period.start.year)


def quarter_of(day: dt.date) -> Period:
    """The quarter of the financial year that holds ``day``."""
    year = financial_year(day)
    return next(quarter for quarter in quarters(year) if quarter.holds(day))


def between(start: dt.date, end: dt.date) -> Period:
    """The period from ``start`` to ``end`` (both included), named as a financial year or quarter when it is one."""
    year = financial_year(start)
    if (start, end) == (year.start, year.end):
        return year
    quarter = quarter_of(start)
    if (start, end) == (quarter.start, quarter.end):
        return quarter
    return Period(start=start, end=end, label=f"{_day(start)} to {_day(end)}")


def _whole_months(period: Period) -> int:
    """How many calendar months the period spans when it runs from a 1st to a month's last day (0 otherwise)."""
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        return 0
    after = period.end + dt.timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def previous(period: Period) -> Period:
    """The period of the same length immediately before, for comparison.

    A financial year's is the year before, a quarter's the quarter before (Q4 of the year before for Q1), a
    run of whole months the same number of months before; any other period the same number of days before.
    """
    months = _whole_months(period)
    if months:
        start = add_months(period.start, -months)
        return between(start, period.start - dt.timedelta(days=1))
    end = period.start - dt.timedelta(days=1)
    return between(end - dt.timedelta(days=period.days - 1), end)


def utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a time must fall between (from the first, before the second) to be in the period.

    The first is London midnight at the start of ``start``; the second London midnight at the end of ``end``,
    so a day of a clock change (23 or 25 hours) is counted whole.
    """
    first = dt.datetime.combine(period.start, dt.time(0), tzinfo=LONDON)
    after = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    return first.astimezone(dt.UTC), after.astimezone(dt.UTC)


# A report's or dashboard's period over more than this is refused: they compare years and terms, not decades.
LONGEST_PERIOD_YEARS = 5


def period_problems(start: dt.date, end: dt.date, *, today: dt.date) -> list[tuple[str, str]]:
    """What is wrong with a chosen period, as ``(box, message)`` for beside the day box of the date it is about.

    The start today or earlier (a period starting later has nothing in it yet, and a date near the calendar's end
    could not have its longest period worked out), the end on or after the start, and at most
    ``LONGEST_PERIOD_YEARS`` long: the LADO report's chooser and the employers' dashboards ask the same.
    """
    if start > today:
        return [("from_day", "The start of the period must be today or in the past")]
    if end < start:
        return [("to_day", "The end of the period must be the same as or after the start")]
    if end >= add_years_rolling_forward(start, LONGEST_PERIOD_YEARS):
        return [("to_day", f"The period must be {LONGEST_PERIOD_YEARS} years or shorter")]
    return []
