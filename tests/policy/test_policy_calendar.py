"""Working-day arithmetic, checked against dates worked out by hand.

Every expected date below was counted on a calendar, day by day, with the England and
Wales bank holidays of that year written out in the comment.
"""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from threshold.policy import add_calendar_days, add_months, add_working_days, is_working_day


@pytest.mark.parametrize(
    ("reported_on", "days", "due", "why"),
    [
        # An ordinary week: Friday plus one working day is Monday.
        (date(2026, 3, 6), 1, date(2026, 3, 9), "Fri 6 Mar 2026 -> Mon 9 Mar"),
        # Christmas 2025: Thu 25 and Fri 26 Dec are bank holidays, then a weekend.
        (date(2025, 12, 24), 1, date(2025, 12, 29), "Wed 24 Dec 2025 -> Mon 29 Dec"),
        # ... and 5 working days: 29, 30, 31 Dec, (Thu 1 Jan holiday), Fri 2 Jan, Mon 5 Jan.
        (date(2025, 12, 24), 5, date(2026, 1, 5), "Wed 24 Dec 2025 + 5 -> Mon 5 Jan 2026"),
        # 15 working days from Mon 15 Dec 2025: 16,17,18,19,22,23,24,29,30,31 Dec, 2,5,6,7,8 Jan.
        (date(2025, 12, 15), 15, date(2026, 1, 8), "Mon 15 Dec 2025 + 15 -> Thu 8 Jan 2026"),
        # Christmas 2026: Boxing Day is a Saturday, so Mon 28 Dec is the substitute day.
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Thu 24 Dec 2026 -> Tue 29 Dec"),
        # Christmas 2027: both days fall at the weekend; Mon 27 and Tue 28 Dec are substitutes.
        (date(2027, 12, 24), 1, date(2027, 12, 29), "Fri 24 Dec 2027 -> Wed 29 Dec"),
        # New Year 2022 was a Saturday: Mon 3 Jan 2022 was the substitute day.
        (date(2021, 12, 31), 1, date(2022, 1, 4), "Fri 31 Dec 2021 -> Tue 4 Jan 2022"),
        # Easter 2026: Good Friday 3 Apr, Easter Monday 6 Apr (England and Wales only).
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Thu 2 Apr 2026 -> Tue 7 Apr"),
        # 10 working days from Mon 30 Mar 2026: 31 Mar, 1, 2, (3, 6 holidays), 7, 8, 9, 10, 13, 14, 15 Apr.
        (date(2026, 3, 30), 10, date(2026, 4, 15), "Mon 30 Mar 2026 + 10 -> Wed 15 Apr"),
        # Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr; 3 working days: 22, 23, 24 Apr.
        (date(2025, 4, 17), 3, date(2025, 4, 24), "Thu 17 Apr 2025 + 3 -> Thu 24 Apr"),
        # One-off: the State Funeral of Queen Elizabeth II, Mon 19 Sep 2022.
        (date(2022, 9, 16), 1, date(2022, 9, 20), "Fri 16 Sep 2022 -> Tue 20 Sep"),
        # One-off: the Coronation of King Charles III, Mon 8 May 2023.
        (date(2023, 5, 5), 1, date(2023, 5, 9), "Fri 5 May 2023 -> Tue 9 May"),
        # One-off: the Platinum Jubilee, with the spring bank holiday moved: Thu 2 and Fri 3 Jun 2022.
        (date(2022, 6, 1), 1, date(2022, 6, 6), "Wed 1 Jun 2022 -> Mon 6 Jun"),
        # Reported at the weekend: the first working day after it.
        (date(2026, 3, 7), 1, date(2026, 3, 9), "Sat 7 Mar 2026 -> Mon 9 Mar"),
    ],
)
def test_working_days_are_counted_after_the_start_skipping_weekends_and_bank_holidays(
    reported_on: date, days: int, due: date, why: str
) -> None:
    assert add_working_days(reported_on, days) == due, why


def test_easter_monday_is_not_a_working_day_although_the_bare_gb_calendar_omits_it() -> None:
    easter_monday = date(2026, 4, 6)
    assert easter_monday not in holidays.country_holidays("GB", years=2026)  # why subdiv ENG matters
    assert not is_working_day(easter_monday)


def test_a_substitute_bank_holiday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (observed)
    assert is_working_day(date(2026, 12, 29))


def test_calendar_days_count_weekends_and_bank_holidays() -> None:
    # 14 days for the Ofsted notification: 24 Dec 2025 + 14 = 7 Jan 2026, holidays and all.
    assert add_calendar_days(date(2025, 12, 24), 14) == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the end of February
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 24), 1, date(2026, 1, 24)),
        (date(2025, 3, 10), -12, date(2024, 3, 10)),
    ],
)
def test_month_targets_add_calendar_months_and_clamp_to_the_end_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_zero_working_days_is_refused_rather_than_silently_returning_the_start() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2026, 1, 5), 0)
