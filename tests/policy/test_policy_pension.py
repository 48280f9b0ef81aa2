"""State Pension age, which allegation records are kept until.

Expected dates are from the tables in Schedule 4 to the Pensions Act 1995 as amended
by the Pensions Acts 2007, 2011 and 2014, worked out by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from threshold.policy import state_pension_date


@pytest.mark.parametrize(
    ("born", "pension_date", "rule"),
    [
        (date(1950, 6, 15), date(2015, 6, 15), "before 6 Dec 1953: 65th birthday (documented simplification)"),
        (date(1953, 12, 5), date(2018, 12, 5), "last day before the 2011 Act bands: 65"),
        (date(1953, 12, 6), date(2019, 3, 6), "2011 Act: born 6 Dec 1953 - 5 Jan 1954 -> 6 Mar 2019"),
        (date(1954, 1, 5), date(2019, 3, 6), "2011 Act: same band, last day"),
        (date(1954, 1, 6), date(2019, 5, 6), "2011 Act: born 6 Jan - 5 Feb 1954 -> 6 May 2019"),
        (date(1954, 6, 20), date(2020, 3, 6), "2011 Act: born 6 Jun - 5 Jul 1954 -> 6 Mar 2020"),
        (date(1954, 10, 5), date(2020, 9, 6), "2011 Act: born 6 Sep - 5 Oct 1954 -> 6 Sep 2020"),
        (date(1954, 10, 6), date(2020, 10, 6), "born 6 Oct 1954 - 5 Apr 1960: 66"),
        (date(1960, 4, 5), date(2026, 4, 5), "born 6 Oct 1954 - 5 Apr 1960: 66"),
        (date(1960, 4, 6), date(2026, 5, 6), "2014 Act: born 6 Apr - 5 May 1960 -> 66 years 1 month"),
        (date(1960, 5, 5), date(2026, 6, 5), "2014 Act: same band, last day"),
        (date(1960, 5, 6), date(2026, 7, 6), "2014 Act: born 6 May - 5 Jun 1960 -> 66 years 2 months"),
        (date(1961, 2, 6), date(2028, 1, 6), "2014 Act: born 6 Feb - 5 Mar 1961 -> 66 years 11 months"),
        (date(1961, 3, 5), date(2028, 2, 5), "2014 Act: same band, last day"),
        (date(1960, 12, 31), date(2027, 10, 1), "66y9m from 31 Dec 1960 is '31 Sep 2027': rolls to 1 Oct"),
        (date(1961, 3, 6), date(2028, 3, 6), "born 6 Mar 1961 - 5 Apr 1977: 67"),
        (date(1964, 2, 29), date(2031, 3, 1), "67th birthday of a leap-day birth rolls to 1 March"),
        (date(1977, 4, 5), date(2044, 4, 5), "born 6 Mar 1961 - 5 Apr 1977: 67"),
        (date(1977, 4, 6), date(2044, 5, 6), "2007 Act: born 6 Apr - 5 May 1977 -> 6 May 2044"),
        (date(1977, 5, 5), date(2044, 5, 6), "2007 Act: same band, last day"),
        (date(1977, 5, 6), date(2044, 7, 6), "2007 Act: born 6 May - 5 Jun 1977 -> 6 Jul 2044"),
        (date(1978, 4, 5), date(2046, 3, 6), "2007 Act: born 6 Mar - 5 Apr 1978 -> 6 Mar 2046"),
        (date(1978, 4, 6), date(2046, 4, 6), "born on or after 6 Apr 1978: 68"),
        (date(1990, 1, 1), date(2058, 1, 1), "born on or after 6 Apr 1978: 68"),
    ],
)
def test_state_pension_date_follows_the_pensions_acts(born: date, pension_date: date, rule: str) -> None:
    assert state_pension_date(born) == pension_date, rule


def test_state_pension_date_never_goes_backwards_as_birth_dates_get_later() -> None:
    day = date(1950, 1, 1)
    previous = state_pension_date(day)
    while day < date(1980, 1, 1):
        day = date.fromordinal(day.toordinal() + 1)
        current = state_pension_date(day)
        assert current >= previous, day
        previous = current
