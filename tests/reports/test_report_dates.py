"""The report's date arithmetic in the database gives the answers ``threshold.policy`` gives in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count, F

from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case
from threshold.people.models import Person
from threshold.policy import add_months, add_working_days
from threshold.reports.lado_report.dates import (
    day_of_month,
    iso_weekday,
    month_index,
    within_months,
    within_working_days,
)

START = dt.date(2025, 12, 1)
# Every start day from December 2025 to May 2026 (Christmas, New Year, Easter, both May bank holidays, the clocks
# going forward), each ending 0 to 9 days later, and the month ends where add_months clamps.
PAIRS = [
    (START + dt.timedelta(days=n), START + dt.timedelta(days=n + gap)) for n in range(0, 182, 3) for gap in range(10)
]
MONTH_ENDS = [
    (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
    (dt.date(2026, 1, 31), dt.date(2026, 3, 1)),
    (dt.date(2025, 11, 30), dt.date(2026, 2, 28)),
    (dt.date(2025, 11, 30), dt.date(2026, 3, 1)),
    (dt.date(2025, 3, 31), dt.date(2026, 3, 31)),
    (dt.date(2025, 3, 31), dt.date(2026, 4, 1)),
]


@pytest.fixture
def cases(demo_world: None) -> list[tuple[dt.date, dt.date]]:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    adult = Person.objects.create(organisation=northshire, full_name="Dates Only")
    pairs = PAIRS + MONTH_ENDS
    Case.objects.bulk_create(
        Case(local_authority=northshire, subject=adult, summary="-", received_on=start, concluded_on=end)
        for start, end in pairs
    )
    return pairs


def count(condition: Any) -> int:
    annotated = Case.objects.annotate(
        received_weekday=iso_weekday(F("received_on")),
        received_month=month_index("received_on"),
        received_dom=day_of_month("received_on"),
        concluded_month=month_index("concluded_on"),
        concluded_dom=day_of_month("concluded_on"),
    )
    return annotated.aggregate(n=Count("pk", filter=condition))["n"]


@pytest.mark.parametrize("working_days", [1, 2, 5])
def test_within_working_days_is_add_working_days(working_days: int, cases: list[tuple[dt.date, dt.date]]) -> None:
    condition = within_working_days(
        start=F("received_on"),
        weekday=F("received_weekday"),
        end=F("concluded_on"),
        count=working_days,
        first=START,
        last=START + dt.timedelta(days=200),
    )
    expected = sum(1 for start, end in cases if end <= add_working_days(start, working_days))
    assert count(condition) == expected
    assert 0 < expected < len(cases)


@pytest.mark.parametrize("months", [1, 3, 12])
def test_within_months_is_add_months(months: int, cases: list[tuple[dt.date, dt.date]]) -> None:
    condition = within_months(
        start_month=F("received_month"),
        start_day=F("received_dom"),
        end_month=F("concluded_month"),
        end_day=F("concluded_dom"),
        count=months,
    )
    assert count(condition) == sum(1 for start, end in cases if end <= add_months(start, months))
