"""The LADO report laid out for paper, and its PDF: one template for the print view and the PDF (ADR 0027).

``lado_report_pdf(report)`` is what the report page's PDF download and ``manage.py report lado-annual --format
pdf`` both make (the command reaches it as ``threshold.reports.lado_print``), so a scheduled report and a
downloaded one are the same document. It renders without a request (a command has none): the print template
needs only the report and the day it was produced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from threshold.reports.lado_pages.presenters import report_context
from threshold.reports.lado_report import LadoReport
from threshold.reports.pdf import html_to_pdf

PRINT_TEMPLATE = "reports/lado_report_print.html"


def lado_report_print_html(
    report: LadoReport,
    *,
    produced_on: dt.date | None = None,
    links: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> str:
    """The print page's HTML: the whole report, no navigation; with ``links`` (on screen) a way back and the PDF."""
    today = produced_on or timezone.localdate()
    context = {**report_context(report, today=today), "links": links, "for_pdf": links is None, "bare": True}
    return render_to_string(PRINT_TEMPLATE, context, request=request)


def lado_report_pdf(report: LadoReport, *, produced_on: dt.date | None = None) -> bytes:
    """The report as a PDF: the print page's HTML laid out by WeasyPrint, fetching nothing but static files."""
    return html_to_pdf(lado_report_print_html(report, produced_on=produced_on))
