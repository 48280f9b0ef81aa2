"""The employer's dashboards: the page, its print view, and the PDF, XLSX and CSV of the same figures.

Thin: ``readers`` decides who reads which dashboard (404 for everyone else), ``forms`` the period,
``presenters`` what is shown; each page and download writes its ``report.produced`` event (``employer.audit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from threshold.accounts.models import User
from threshold.core.http import signed_in_user
from threshold.reports.employer import audit, presenters
from threshold.reports.employer.forms import PeriodForm, period_form
from threshold.reports.employer.readers import Dashboard, Kind, dashboard_for, dashboard_organisations, token_of
from threshold.reports.pdf import pdf_response
from threshold.reports.periods import Period
from threshold.reports.spreadsheets import csv_response, xlsx_response

PAGE = "reports/employer_dashboard.html"
PRINT = "reports/employer_print.html"


def _chosen(request: HttpRequest, kind: Kind) -> tuple[User, PeriodForm, Dashboard, bool]:
    """The reader, the bound chooser, the dashboard asked for (404 if none is theirs) and whether they have several."""
    user = signed_in_user(request)
    organisations = dashboard_organisations(user, kind)
    choices = [(token_of(org), org.name) for org in organisations]
    form = period_form(request.GET, today=timezone.localdate(), organisations=choices)
    token = form.cleaned_data.get("organisation", "") if form.is_valid() else ""
    return user, form, dashboard_for(user, kind, token), len(choices) > 1


@login_required
@require_safe
def dashboard(request: HttpRequest, kind: Kind) -> HttpResponse:
    """The dashboard: the chooser, then every figure as a chart beside its table, and the links out."""
    user, form, chosen, several = _chosen(request, kind)
    context = {
        "form": form,
        "heading": presenters.heading(chosen),
        "dashboard": chosen,
        "counted_from": presenters.COUNTED_FROM,
        "quick_periods": presenters.quick_periods(
            dashboard=chosen, several=several, today=timezone.localdate(), shown=None
        ),
    }
    if form.is_valid():
        today = timezone.localdate()
        parts = presenters.sections(user=user, dashboard=chosen, period=form.period, today=today)
        adults = presenters.listed_repeats(user=user, dashboard=chosen, period=form.period)
        context.update(
            presenters.page_context(dashboard=chosen, period=form.period, several=several, today=today, parts=parts),
            form=form,
            repeat_adults=adults,
        )
        audit.report_produced(request, dashboard=chosen, period=form.period, fmt="page")
        audit.repeats_listed(request, adults)
    return render(request, PAGE, context)


@dataclass(frozen=True)
class Produced:
    """The figures one print view or download holds, counted for its reader, with what names them."""

    user: User
    dashboard: Dashboard
    period: Period
    several: bool
    today: dt.date
    parts: list[presenters.Section]


def _produce(request: HttpRequest, kind: Kind, fmt: presenters.Format) -> Produced | HttpResponseRedirect:
    """Count the figures for a print view or download and audit it; a changed link goes back to the chooser."""
    user, form, chosen, several = _chosen(request, kind)
    if not form.is_valid():
        # Only an edited link gets here: the page shows the chooser with the errors beside the fields.
        return HttpResponseRedirect(f"{reverse(f'employer_{kind}_dashboard')}?{urlencode(request.GET)}")
    today = timezone.localdate()
    parts = presenters.sections(user=user, dashboard=chosen, period=form.period, today=today)
    audit.report_produced(request, dashboard=chosen, period=form.period, fmt=fmt)
    return Produced(user=user, dashboard=chosen, period=form.period, several=several, today=today, parts=parts)


def _print_html(request: HttpRequest, produced: Produced) -> str:
    """The print page's HTML: the print view and the PDF are one template (ADR 0027)."""
    context = presenters.page_context(
        dashboard=produced.dashboard,
        period=produced.period,
        several=produced.several,
        today=produced.today,
        parts=produced.parts,
    )
    return render_to_string(PRINT, {**context, "bare": True, "today": produced.today}, request=request)


@login_required
@require_safe
def dashboard_print(request: HttpRequest, kind: Kind) -> HttpResponse:
    """The print view: the figures alone, no navigation or chooser, laid out for paper."""
    produced = _produce(request, kind, "print")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    return HttpResponse(_print_html(request, produced))


@login_required
@require_safe
def dashboard_pdf(request: HttpRequest, kind: Kind) -> HttpResponse:
    """The print view as a PDF (WeasyPrint, ADR 0027)."""
    produced = _produce(request, kind, "pdf")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    name = presenters.filename(produced.dashboard, produced.period, "pdf")
    return pdf_response(_print_html(request, produced), filename=name)


@login_required
@require_safe
def dashboard_xlsx(request: HttpRequest, kind: Kind) -> HttpResponseBase:
    """The figures as a workbook: a sheet saying what they are, then one sheet per table."""
    produced = _produce(request, kind, "xlsx")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    tables = presenters.tables_of(produced.parts)
    return xlsx_response(
        presenters.workbook_sheets(produced.dashboard, produced.period, tables),
        filename=presenters.filename(produced.dashboard, produced.period, "xlsx"),
    )


@login_required
@require_safe
def dashboard_csv(request: HttpRequest, kind: Kind) -> HttpResponseBase:
    """The figures as one CSV, a line per figure, row and column."""
    produced = _produce(request, kind, "csv")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    return csv_response(
        presenters.CSV_HEADER,
        presenters.csv_rows(presenters.tables_of(produced.parts)),
        filename=presenters.filename(produced.dashboard, produced.period, "csv"),
    )
