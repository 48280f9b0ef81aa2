"""Financial years, their quarters, the period before, and the London days a period's UTC bounds hold."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from threshold.reports.periods import Period, between, financial_year, previous, quarter_of, quarters, utc_bounds

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def test_the_financial_year_runs_from_1_april_to_31_march() -> None:
    year = financial_year(dt.date(2026, 1, 15))
    assert (year.start, year.end, year.label) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31), "2025 to 2026")
    assert financial_year(dt.date(2025, 4, 1)) == year
    assert financial_year(dt.date(2026, 3, 31)) == year
    assert financial_year(dt.date(2026, 4, 1)).label == "2026 to 2027"


def test_a_year_has_four_quarters_from_april() -> None:
    found = quarters(financial_year(dt.date(2026, 6, 1)))
    assert [(quarter.start, quarter.end) for quarter in found] == [
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
    ]
    assert found[0].label == "Q1 2026 to 2027 (April to June 2026)"
    assert found[3].label == "Q4 2026 to 2027 (January to March 2027)"
    assert [quarter.quarter for quarter in found] == [1, 2, 3, 4]
    assert quarter_of(dt.date(2027, 2, 28)) == found[3]


def test_only_a_financial_year_has_quarters() -> None:
    with pytest.raises(ValueError, match="financial year"):
        quarters(between(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))


def test_the_previous_period_is_as_long_and_ends_the_day_before() -> None:
    year = financial_year(dt.date(2026, 1, 15))
    assert previous(year) == financial_year(dt.date(2024, 4, 1))
    first = quarters(year)[0]
    assert previous(first).label == "Q4 2024 to 2025 (January to March 2025)"
    months = between(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert (previous(months).start, previous(months).end) == (dt.date(2025, 11, 1), dt.date(2025, 12, 31))
    days = between(dt.date(2026, 1, 10), dt.date(2026, 1, 19))
    assert (previous(days).start, previous(days).end) == (dt.date(2025, 12, 31), dt.date(2026, 1, 9))
    assert days.label == "10 January 2026 to 19 January 2026"


def test_a_period_ends_on_or_after_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after"):
        Period(start=dt.date(2026, 1, 2), end=dt.date(2026, 1, 1), label="backwards")


def test_the_bounds_are_london_midnights_so_2330_on_31_march_is_in_the_year_ending_that_day() -> None:
    first, after = utc_bounds(financial_year(dt.date(2025, 6, 1)))
    # 1 April 2025 00:00 BST is 31 March 23:00 UTC; 1 April 2026 00:00 BST is 31 March 23:00 UTC.
    assert first == dt.datetime(2025, 3, 31, 23, 0, tzinfo=UTC)
    assert after == dt.datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    late_on_31_march = dt.datetime(2026, 3, 31, 23, 30, tzinfo=LONDON)
    early_on_1_april = dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)
    assert first <= late_on_31_march < after
    assert not early_on_1_april < after


def test_a_winter_period_is_bounded_by_gmt_midnights() -> None:
    first, after = utc_bounds(between(dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    assert (first, after) == (dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC))
