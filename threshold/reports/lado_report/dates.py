"""Date arithmetic a report does in the database: London dates, calendar months and working days.

Each is a query expression (no Python over the records), and each gives on SQLite and PostgreSQL the answer
``threshold.policy`` gives in Python:

- ``london_day``: the Europe/London date of a stored time (times are stored in UTC);
- ``within_months``: "on or before the day ``count`` calendar months after", exactly as ``add_months`` reads it
  (31 January plus one month is 28 or 29 February);
- ``within_working_days``: "on or before the day ``count`` England and Wales working days after", exactly as
  ``add_working_days`` reads it (one working day from a Friday is the Monday, or the Tuesday after a bank
  holiday). How many calendar days that is depends only on the start date: the weekday gives it, except on the
  few dates around a bank holiday, which are worked out in Python for the range of dates the report can meet
  and handed to the database as a list, so the database only looks the number up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Case, DurationField, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractIsoWeekDay, ExtractMonth, ExtractYear, TruncDate
from django.db.models.lookups import Exact, GreaterThan, In, LessThanOrEqual

from threshold.policy import add_working_days
from threshold.reports.periods import LONDON

Expression = Any  # a Django query expression (F, a function, a Case…)


def london_day(time: Expression) -> TruncDate:
    """The Europe/London date of a stored time (a contact at 00:30 BST on 1 April is 1 April)."""
    return TruncDate(time, tzinfo=LONDON)


def month_index(date: Expression) -> ExpressionWrapper:
    """A date's month counted from year 0 (a year is 12), so two dates' indexes differ by whole months."""
    return ExpressionWrapper(ExtractYear(date) * 12 + ExtractMonth(date), output_field=IntegerField())


def day_of_month(date: Expression) -> ExtractDay:
    """A date's day of the month (1 to 31)."""
    return ExtractDay(date)


def within_months(
    *, start_month: Expression, start_day: Expression, end_month: Expression, end_day: Expression, count: int
) -> Q:
    """The end date falls on or before the day ``count`` calendar months after the start date (``add_months``).

    The dates come as their ``month_index`` and ``day_of_month`` (annotations, so each is worked out once per
    row). ``add_months`` keeps the day of the month and clamps it to the target month's last day, so the end
    is within exactly when it lies in an earlier month than the target month, or in the target month on or
    before the start's day of the month (every day of the target month is on or before its last day).
    """
    target = ExpressionWrapper(start_month + count, output_field=IntegerField())
    return Q(GreaterThan(target, end_month)) | (Q(Exact(target, end_month)) & Q(LessThanOrEqual(end_day, start_day)))


def days_between(start: Expression, end: Expression) -> ExpressionWrapper:
    """``end`` minus ``start``, two dates, as a duration of whole days."""
    return ExpressionWrapper(end - start, output_field=DurationField())


def _plain_allowance(weekday: int, count: int) -> int:
    """Calendar days from a date on ISO ``weekday`` (1 Monday … 7 Sunday) to ``count`` working days later.

    As if no bank holiday were in the way: ``working_day_allowance`` lists the dates where one is.
    """
    days, counted, day = 0, 0, weekday
    while counted < count:
        days += 1
        day = day % 7 + 1
        if day <= 5:
            counted += 1
    return days


def working_day_allowance(*, day: Expression, weekday: Expression, count: int, first: dt.date, last: dt.date) -> Case:
    """The calendar days from the date ``day`` (on ISO ``weekday``) to ``count`` working days after it.

    A duration, for comparing with the days between two dates.
    Exact for every date from ``first`` to ``last``; outside them the weekday alone answers (bank holidays
    ignored), so callers pass the range in which a bank holiday can change an answer that matters. ``day`` and
    ``weekday`` are best columns (annotations), not expressions: each is read once per ``WHEN``.
    """
    plain = {weekday: _plain_allowance(weekday, count) for weekday in range(1, 8)}
    usual = Counter(plain.values()).most_common(1)[0][0]
    differing: dict[int, list[dt.date]] = defaultdict(list)
    for offset in range(max((last - first).days + 1, 0)):
        date = first + dt.timedelta(days=offset)
        allowance = (add_working_days(date, count) - date).days
        if allowance != plain[date.isoweekday()]:
            differing[allowance].append(date)
    whens = [
        When(In(day, dates), then=Value(dt.timedelta(days=allowance))) for allowance, dates in sorted(differing.items())
    ]
    whens += [
        When(Exact(weekday, number), then=Value(dt.timedelta(days=allowance)))
        for number, allowance in plain.items()
        if allowance != usual
    ]
    return Case(*whens, default=Value(dt.timedelta(days=usual)), output_field=DurationField())


def within_working_days(
    *, start: Expression, weekday: Expression, end: Expression, count: int, first: dt.date, last: dt.date
) -> Q:
    """The date ``end`` is on or before the day ``count`` working days after the date ``start`` (on ``weekday``)."""
    allowance = working_day_allowance(day=start, weekday=weekday, count=count, first=first, last=last)
    return Q(LessThanOrEqual(days_between(start, end), allowance))


def iso_weekday(date: Expression) -> ExtractIsoWeekDay:
    """The ISO weekday of a date: 1 for Monday … 7 for Sunday."""
    return ExtractIsoWeekDay(date)
