"""What an employer's dashboard page, its print view and its downloads show, shaped for the templates.

The figures are the tables ``concern_figures`` and ``allegation_figures`` count; this module names the page,
says over what it counted (the same sentence for everyone, so it never hints that anything was left out), and
builds the links that keep the chosen period (print, PDF, XLSX, CSV, the quick periods).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from django.urls import reverse

from threshold.accounts.models import User
from threshold.accounts.roles import OrganisationKind
from threshold.jinja2 import govuk_datetime
from threshold.reports.charts import Figure, figures
from threshold.reports.employer.concern_figures import RepeatAdult, period_concerns, repeat_adults
from threshold.reports.employer.forms import period_query
from threshold.reports.employer.readers import Dashboard
from threshold.reports.kept import KEPT_MINUTES, counted_at_in_files
from threshold.reports.periods import Period
from threshold.reports.spreadsheets import Sheet, tables_to_sheets
from threshold.reports.tables import Table
from threshold.reports.terms import academic_year_label, academic_year_period, days_of

# Said on every dashboard, its print view and its downloads, whoever reads them and whatever they hold: a
# sentence that appeared only when something was left out would tell the reader a record about them exists.
COUNTED_FROM = "Counted from the records you can see: records about you are never included."
# "count": the figures counted again on request, shown by the page the request then goes to (ADR 0045).
Format = Literal["page", "count", "print", "pdf", "xlsx", "csv"]
CSV_HEADER = ("Figure", "Counted by", "Row", "Column", "Value", "Counted at")


@dataclass(frozen=True)
class Section:
    """A part of the dashboard: a heading and its figures (chart beside table)."""

    key: str
    heading: str
    figures: list[Figure]


def heading(dashboard: Dashboard) -> str:
    """The page's name: the trust's dashboard, or the setting's."""
    if dashboard.kind == "trust":
        return "Trust dashboard"
    return "School dashboard" if dashboard.organisation.kind == OrganisationKind.SCHOOL else "Setting dashboard"


def sections(*, concerns: list[Table], allegations: list[Table]) -> list[Section]:
    """The dashboard's two parts, low-level concerns then allegations, each figure a chart beside its table."""
    return [
        Section(key="concerns", heading="Low-level concerns", figures=figures(concerns)),
        Section(key="allegations", heading="Allegations", figures=figures(allegations)),
    ]


def tables_of(parts: Sequence[Section]) -> list[Table]:
    """Every table of the sections, in page order (the downloads have the same figures as the page)."""
    return [figure.table for section in parts for figure in section.figures]


def _query(dashboard: Dashboard, period: Period, several: bool) -> dict[str, str]:
    query = period_query(period)
    if several:
        query["organisation"] = dashboard.token
    return query


def _url(name: str, query: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def quick_periods(*, dashboard: Dashboard, several: bool, today: dt.date, shown: Period | None) -> list[dict[str, Any]]:
    """Links to this academic year's figures and last year's, saying which is shown (they work without a form)."""
    this_year = academic_year_period(today)
    last_year = academic_year_period(this_year.start - dt.timedelta(days=1))
    return [
        {
            "text": f"{label} academic year ({academic_year_label(year.start)})",
            "href": _url(f"employer_{dashboard.kind}_dashboard", _query(dashboard, year, several)),
            "current": year == shown,
        }
        for label, year in (("This", this_year), ("Last", last_year))
    ]


def links(*, dashboard: Dashboard, period: Period, several: bool) -> dict[str, Any]:
    """The links that keep the period: the page (where "Count the figures again" posts), the print view, downloads."""
    query = _query(dashboard, period, several)
    prefix = f"employer_{dashboard.kind}"
    page = _url(f"{prefix}_dashboard", query)
    return {
        "count_again": page,
        "print": _url(f"{prefix}_print", query),
        "dashboard": page,
        "downloads": [
            {"text": "Download as PDF", "href": _url(f"{prefix}_pdf", query)},
            {"text": "Download as a spreadsheet (XLSX)", "href": _url(f"{prefix}_xlsx", query)},
            {"text": "Download as CSV", "href": _url(f"{prefix}_csv", query)},
        ],
    }


def page_context(
    *,
    dashboard: Dashboard,
    period: Period,
    several: bool,
    today: dt.date,
    parts: list[Section],
    counted_at: dt.datetime,
) -> dict[str, Any]:
    """The dashboard page and its print view: names, the period, the sentence, the figures and the links.

    With when the figures were counted (kept for the reader a quarter of an hour, ADR 0045).
    """
    return {
        "counted_words": govuk_datetime(counted_at),
        "kept_minutes": KEPT_MINUTES,
        "heading": heading(dashboard),
        "dashboard": dashboard,
        "period": period,
        "period_days": days_of(period.start, period.end),
        "counted_from": COUNTED_FROM,
        "sections": parts,
        "links": links(dashboard=dashboard, period=period, several=several),
        "quick_periods": quick_periods(dashboard=dashboard, several=several, today=today, shown=period),
    }


def listed_repeats(*, user: User, dashboard: Dashboard, period: Period) -> list[RepeatAdult]:
    """The page's list of adults with more than one low-level concern, each concern a reference to open."""
    return repeat_adults(period_concerns(user=user, dashboard=dashboard, period=period))


def filename(dashboard: Dashboard, period: Period, extension: str) -> str:
    """A download's file name: what it is and when, never a name or a record (a trust's name is no secret)."""
    return f"{dashboard.kind}-dashboard-{period.start.isoformat()}-to-{period.end.isoformat()}.{extension}"


def workbook_sheets(
    dashboard: Dashboard, period: Period, tables: list[Table], *, counted_at: dt.datetime
) -> list[Sheet]:
    """The XLSX: a sheet saying what the figures are, then one sheet per table."""
    about = Sheet(
        title="About these figures",
        header=(heading(dashboard), dashboard.organisation.name),
        rows=[
            ("Period", days_of(period.start, period.end)),
            ("Figures counted", govuk_datetime(counted_at)),
            ("Counted from", COUNTED_FROM),
        ]
        + [(table.title, table.counted_by) for table in tables],
    )
    return [about, *tables_to_sheets(tables)]


def csv_rows(tables: list[Table], *, counted_at: dt.datetime) -> Iterator[list[Any]]:
    """The CSV: one line per figure, row and column (every table in one file, long form), saying when counted."""
    counted = counted_at_in_files(counted_at)
    for table in tables:
        counted_by = f"{table.counted_by} {COUNTED_FROM}"
        for row in table.rows:
            for column, value in zip(table.columns[1:], row.values, strict=True):
                yield [table.title, counted_by, row.label, column, "" if value is None else value, counted]
