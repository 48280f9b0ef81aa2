"""UK State Pension age, the "normal pension age" that allegation records are kept to.

KCSIE asks for allegation records to be kept until the accused reaches normal pension
age, or for 10 years from the date of the allegation if that is longer. Threshold
reads normal pension age as State Pension age under current legislation: the tables
in Schedule 4 to the Pensions Act 1995, as amended by the Pensions Acts 2007 (s13),
2011 (s1) and 2014 (s26):

- men 65, women's age equalised to 65 by November 2018 (1995 and 2011 Acts); then
  everyone born 6 December 1953 – 5 October 1954 reaches State Pension age on a
  fixed date between 6 March 2019 and 6 September 2020, and everyone born
  6 October 1954 – 5 April 1960 at 66 (2011 Act);
- born 6 April 1960 – 5 March 1961: 66 years and 1 to 11 months, one month more
  for each monthly birth band; born 6 March 1961 – 5 April 1977: 67 (2014 Act);
- born 6 April 1977 – 5 April 1978: a fixed date between 6 May 2044 and 6 March
  2046; born on or after 6 April 1978: 68 (2007 Act).

Documented simplification: the facts carry no sex, so for births before 6 December
1953 this returns the 65th birthday, which was men's State Pension age and is never
earlier than women's (60, rising to 65). Retention therefore errs on keeping longer.
A birthday that does not exist (29 February, or 31st plus some months) rolls forward
to the next day, for the same reason.
"""

from __future__ import annotations

from datetime import date

from .calendar import add_years_rolling_forward

# Pensions Act 2011: (last birth date in the band, pension date), for the ten monthly
# bands from 6 December 1953 to 5 October 1954.
_BANDS_2011: tuple[tuple[date, date], ...] = (
    (date(1954, 1, 5), date(2019, 3, 6)),
    (date(1954, 2, 5), date(2019, 5, 6)),
    (date(1954, 3, 5), date(2019, 7, 6)),
    (date(1954, 4, 5), date(2019, 9, 6)),
    (date(1954, 5, 5), date(2019, 11, 6)),
    (date(1954, 6, 5), date(2020, 1, 6)),
    (date(1954, 7, 5), date(2020, 3, 6)),
    (date(1954, 8, 5), date(2020, 5, 6)),
    (date(1954, 9, 5), date(2020, 7, 6)),
    (date(1954, 10, 5), date(2020, 9, 6)),
)

# Pensions Act 2007: the twelve monthly bands from 6 April 1977 to 5 April 1978.
_BANDS_2007: tuple[tuple[date, date], ...] = (
    (date(1977, 5, 5), date(2044, 5, 6)),
    (date(1977, 6, 5), date(2044, 7, 6)),
    (date(1977, 7, 5), date(2044, 9, 6)),
    (date(1977, 8, 5), date(2044, 11, 6)),
    (date(1977, 9, 5), date(2045, 1, 6)),
    (date(1977, 10, 5), date(2045, 3, 6)),
    (date(1977, 11, 5), date(2045, 5, 6)),
    (date(1977, 12, 5), date(2045, 7, 6)),
    (date(1978, 1, 5), date(2045, 9, 6)),
    (date(1978, 2, 5), date(2045, 11, 6)),
    (date(1978, 3, 5), date(2046, 1, 6)),
    (date(1978, 4, 5), date(2046, 3, 6)),
)


def state_pension_date(date_of_birth: date) -> date:
    """Return the date a person born on ``date_of_birth`` reaches State Pension age.

    Table-based, following the Pensions Acts 1995, 2007, 2011 and 2014 as they stand;
    see the module docstring for the one simplification (births before 6 December
    1953 are given the 65th birthday).
    """
    born = date_of_birth
    if born < date(1953, 12, 6):
        return add_years_rolling_forward(born, 65)
    if born <= date(1954, 10, 5):
        return _banded(born, _BANDS_2011)
    if born <= date(1960, 4, 5):
        return add_years_rolling_forward(born, 66)
    if born <= date(1961, 3, 5):
        # Bands run from the 6th of one month to the 5th of the next; the first band
        # (6 April – 5 May 1960) adds one month to 66, each later band one more.
        band_start = born.year * 12 + born.month - (0 if born.day >= 6 else 1)
        extra_months = band_start - (1960 * 12 + 4) + 1
        return add_years_rolling_forward(born, 66, extra_months)
    if born <= date(1977, 4, 5):
        return add_years_rolling_forward(born, 67)
    if born <= date(1978, 4, 5):
        return _banded(born, _BANDS_2007)
    return add_years_rolling_forward(born, 68)


def _banded(born: date, bands: tuple[tuple[date, date], ...]) -> date:
    for last_birth_date, pension_date in bands:
        if born <= last_birth_date:
            return pension_date
    raise AssertionError("date of birth outside the bands")  # callers check the range
