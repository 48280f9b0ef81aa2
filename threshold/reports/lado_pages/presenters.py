"""What the LADO report's page, print view and downloads show, shaped for the templates and the spreadsheets.

The figures are ``LadoReport``'s (``threshold.reports.lado_report``); this module words the summary at the top
(contacts, referrals, concluded and concluded within one month, each with its change from the period before),
names the period, builds the contents and the links that keep the chosen period, and lays the same tables out
as a workbook (an "About" sheet first) and a CSV. File names say what and when, never who.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import slugify

from threshold.jinja2 import govuk_datetime
from threshold.reports.charts import Figure, figures
from threshold.reports.kept import KEPT_MINUTES, counted_at_in_files
from threshold.reports.lado_report import LadoReport
from threshold.reports.lado_report.suppression import reader_note
from threshold.reports.periods import Period, is_financial_year
from threshold.reports.spreadsheets import Sheet, tables_to_sheets
from threshold.reports.tables import Table, Value

CSV_HEADER = ("Table", "Row", "Column", "Value", "Counted at")
HOW_COUNTED = (
    "Counted in Threshold over the local authority's LADO contacts and cases that the person producing the report "
    "may count: a record about them is never counted. Each table says by which date it counts (the date a contact "
    "or referral was received, the date a case concluded); both ends of the period are included, in Europe/London "
    "time. Each figure is shown beside the same figure for the period before."
)


@dataclass(frozen=True)
class Headline:
    """One line of the summary at the top: what, how many, and the change from the period before."""

    label: str
    value: str
    change: str


def day(value: dt.date) -> str:
    """A date in GOV.UK style: 1 April 2026."""
    return f"{value.day} {value:%B %Y}"


def period_words(period: Period) -> str:
    """The period as the report names it: "the financial year 2026 to 2027 (1 April 2026 to 31 March 2027)"."""
    days = f"{day(period.start)} to {day(period.end)}"
    if is_financial_year(period):
        return f"the financial year {period.label} ({days})"
    if period.quarter:
        return f"{period.label}, {days}"
    return days


def _shown(value: Value, *, percent: bool = False) -> str:
    """A figure as the summary writes it: a count, a percentage, a suppressed count's words, or "not available"."""
    if value is None:
        return "Not available"
    if isinstance(value, float) or (percent and isinstance(value, int)):
        return f"{value:g}%" if percent else f"{value:g}"
    return str(value)


def _change(this: Value, before: Value, before_label: str, *, percent: bool = False) -> str:
    """The change from the period before, in words; just the earlier figure when the two cannot be compared."""
    earlier = f"{_shown(before, percent=percent)} in {before_label}"
    numbers = (int, float)
    if this is None and before is None:
        return "Not available in either period"
    if before is None:
        return f"Not available in {before_label}"
    if not isinstance(this, numbers) or not isinstance(before, numbers):
        return f"Compared with {earlier}"
    difference = round(this - before, 1)
    unit = " percentage points" if percent else ""
    if difference == 0:
        return f"The same as in {before_label}"
    direction = "Up" if difference > 0 else "Down"
    return f"{direction} {abs(difference):g}{unit} from {earlier}"


def _at(figures: dict[str, Any], *path: str) -> Value:
    place: Any = figures
    for key in path:
        place = place.get(key) if isinstance(place, dict) else None
    return place if isinstance(place, int | float | str) else None


HEADLINES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Contacts received", ("contacts",), False),
    ("Referrals meeting the threshold (Tier 1 and Tier 2)", ("referrals",), False),
    ("Cases concluded", ("timeliness", "concluded"), False),
    ("Cases concluded within one month", ("timeliness", "within_one_month_percent"), True),
)


def headlines(report: LadoReport) -> list[Headline]:
    """The summary at the top of the report, each figure with its change from the period before."""
    before_label = report.previous_period.label
    lines = []
    for label, path, percent in HEADLINES:
        this, before = _at(report.figures, *path), _at(report.previous, *path)
        lines.append(
            Headline(
                label=label + (" (% of cases concluded)" if percent else ""),
                value=_shown(this, percent=percent),
                change=_change(this, before, before_label, percent=percent),
            )
        )
    return lines


def suppression_note(report: LadoReport) -> str:
    """What the reader must know when small numbers are suppressed (empty when none are)."""
    return reader_note(report.suppress_below) if report.suppress_below else ""


def report_figures(report: LadoReport) -> list[Figure]:
    """Every table of the report with its chart, in the order the report reads."""
    return figures(report.tables())


def chosen_query(cleaned: dict[str, Any]) -> dict[str, str]:
    """The chooser's answers as GET parameters, for the links that keep them (print view, downloads)."""
    query = {"period": str(cleaned["period"])}
    if cleaned["period"] == "quarter":
        query["quarter"] = str(cleaned["quarter"])
    if cleaned["period"] == "dates":
        for name in ("from", "to"):
            value: dt.date = cleaned[name]
            query.update(
                {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}
            )
    if cleaned.get("suppress"):
        query["suppress"] = "1"
    return query


def _url(name: str, query: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def links(query: dict[str, str]) -> dict[str, Any]:
    """The links keeping the period: the page ("Count the figures again" posts to it), print view, downloads."""
    page = _url("lado_report", query)
    return {
        "page": page,
        "count_again": page,
        "print": _url("lado_report_print", query),
        "pdf": _url("lado_report_pdf", query),
        "downloads": [
            {"text": "Download as PDF", "href": _url("lado_report_pdf", query)},
            {"text": "Download as a spreadsheet (XLSX)", "href": _url("lado_report_xlsx", query)},
            {"text": "Download every figure as CSV", "href": _url("lado_report_csv", query)},
        ],
    }


def report_context(report: LadoReport, *, today: dt.date) -> dict[str, Any]:
    """What the page and the print view both show: names, the period, the summary, the notes and the figures."""
    return {
        "report": report,
        "period_words": period_words(report.period),
        "previous_words": period_words(report.previous_period),
        "unfinished": report.period.end > today,
        "today": today,
        "counted_words": govuk_datetime(report.counted_at),
        "kept_minutes": KEPT_MINUTES,
        "headlines": headlines(report),
        "suppression_note": suppression_note(report),
        "figures": report_figures(report),
    }


def filename(report: LadoReport, extension: str) -> str:
    """A download's file name: the authority, the period and whether counts are suppressed; never a person."""
    suppressed = f"-suppressed-below-{report.suppress_below}" if report.suppress_below else ""
    period = f"{report.period.start.isoformat()}-to-{report.period.end.isoformat()}"
    return f"lado-report-{slugify(report.authority.name)}-{period}{suppressed}.{extension}"


def about_rows(report: LadoReport, *, produced_on: dt.date) -> list[tuple[str, str]]:
    """The "About" sheet: whose report, which period, when produced, how counted, and what each table counts by."""
    tables = report.tables()
    rows = [
        ("Local authority", report.authority.name),
        ("Period", period_words(report.period)),
        ("Compared with", period_words(report.previous_period)),
        ("Date produced", day(produced_on)),
        ("Figures counted", govuk_datetime(report.counted_at)),
        ("How counted", HOW_COUNTED),
        ("Small numbers", suppression_note(report) or "Not suppressed: every count is shown."),
    ]
    return rows + [(f"Table: {table.title}", table.counted_by) for table in tables]


def workbook_sheets(report: LadoReport, *, produced_on: dt.date) -> list[Sheet]:
    """The XLSX: the "About" sheet first, then one sheet per table."""
    about = Sheet(
        title="About", header=("LADO report", report.authority.name), rows=about_rows(report, produced_on=produced_on)
    )
    return [about, *tables_to_sheets(report.tables())]


def csv_rows(tables: list[Table], *, counted_at: dt.datetime) -> Iterator[list[Any]]:
    """Every figure as one CSV line: its table, its row, its column (the period), its value and when it was counted."""
    counted = counted_at_in_files(counted_at)
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row.values, strict=True):
                yield [table.title, row.label, column, "" if value is None else value, counted]
