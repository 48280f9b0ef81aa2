"""Academic years and school terms, the periods an employer's figures are read by.

An academic year runs from 1 September to 31 August. A term is the pattern reviews' term
(``concerns.selectors.term_of``: autumn 1 September – 31 December, spring 1 January – 30 April, summer
1 May – 31 August), so the dashboard's "by term" and the termly pattern review (policy section 13.4, "at least
once a term") count the same days. The spring term ends on 30 April rather than at Easter, which moves: a simple
rule everyone can check beats one that follows each school's calendar. A period is the reports' ``Period``
(``reports.periods``), both days included.
"""

from __future__ import annotations

import datetime as dt

from threshold.concerns.selectors import Term, next_term, term_of
from threshold.reports.periods import Period

TERM_NAMES = {"autumn": "Autumn", "spring": "Spring", "summer": "Summer"}


def academic_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days of the academic year ``day`` falls in (1 September to 31 August)."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def academic_year_label(start: dt.date) -> str:
    """An academic year in words: "2026 to 2027" (GOV.UK style for a span of years)."""
    return f"{start.year} to {start.year + 1}"


def academic_year_period(day: dt.date) -> Period:
    """The academic year ``day`` falls in, as a report's period: "the academic year 2026 to 2027"."""
    start, end = academic_year(day)
    return Period(start=start, end=end, label=f"the academic year {academic_year_label(start)}")


def employer_period(start: dt.date, end: dt.date) -> Period:
    """The period from ``start`` to ``end`` (both included), named as an academic year when it is exactly one."""
    if (start, end) == academic_year(start):
        return academic_year_period(start)
    return Period(start=start, end=end, label=days_of(start, end))


def days_of(start: dt.date, end: dt.date) -> str:
    """A period's days as a sentence says them: "1 September 2026 to 31 August 2027"."""
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def term_label(term: Term) -> str:
    """A term in words, with its calendar year: "Autumn term 2026", "Spring term 2027"."""
    return f"{TERM_NAMES[term.name]} term {term.start.year}"


def terms_between(start: dt.date, end: dt.date) -> list[Term]:
    """Every term with at least one day between ``start`` and ``end`` (inclusive), earliest first."""
    terms: list[Term] = []
    term = term_of(start)
    while term.start <= end:
        terms.append(term)
        term = next_term(term)
    return terms


def within(term: Term, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The days of ``term`` that fall between ``start`` and ``end``: a period may begin or end mid-term."""
    return max(term.start, start), min(term.end, end)
