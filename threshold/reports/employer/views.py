"""The employer's dashboards: the page, its print view, and the PDF, XLSX and CSV of the same figures.

Thin: ``readers`` decides who reads which dashboard (404 for everyone else), ``forms`` the period,
``counted`` the reader's figures (kept for them a quarter of an hour, ADR 0045) with each page's and download's
``report.produced`` event, ``presenters`` what is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from threshold.accounts.models import User
from threshold.core.http import signed_in_user
from threshold.core.submissions import HttpResponseSeeOther
from threshold.reports.employer import audit, counted, presenters
from threshold.reports.employer.forms import PeriodForm, period_form
from threshold.reports.employer.readers import Dashboard, Kind, dashboard_for, dashboard_organisations, token_of
from threshold.reports.kept import COUNTED_AGAIN
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
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request: HttpRequest, kind: Kind) -> HttpResponse:
    """The dashboard: the chooser, then every figure as a chart beside its table, and the links out.

    A POST (its period in the address, as the page's own link has it) counts the figures again: counting writes,
    so it is never a link. The print view and downloads refuse a POST (405).
    """
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
        if request.method == "POST":
            # "Count the figures again" (ADR 0045): count afresh and keep them (no chart is drawn), then show them
            # at the period's own link, so that reloading it or coming back to it shows them rather than counting
            # once more.
            counted.produce(
                request,
                user=user,
                dashboard=chosen,
                period=form.period,
                today=timezone.localdate(),
                fmt="count",
                count_again=True,
            )
            messages.success(request, COUNTED_AGAIN)
            return HttpResponseSeeOther(
                presenters.links(dashboard=chosen, period=form.period, several=several)["dashboard"]
            )
        produced = _counted(request, user=user, chosen=chosen, period=form.period, several=several, fmt="page")
        adults = presenters.listed_repeats(user=user, dashboard=chosen, period=form.period)
        context.update(_page_context(produced), form=form, repeat_adults=adults)
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
    counted_at: dt.datetime


def _counted(
    request: HttpRequest,
    *,
    user: User,
    chosen: Dashboard,
    period: Period,
    several: bool,
    fmt: presenters.Format,
) -> Produced:
    """The reader's figures, kept or counted now, audited as produced in ``fmt``."""
    today = timezone.localdate()
    figures = counted.produce(request, user=user, dashboard=chosen, period=period, today=today, fmt=fmt)
    return Produced(
        user=user,
        dashboard=chosen,
        period=period,
        several=several,
        today=today,
        parts=presenters.sections(concerns=figures.concerns, allegations=figures.allegations),
        counted_at=figures.counted_at,
    )


def _page_context(produced: Produced) -> dict[str, Any]:
    """What the page and the print view show of the figures (``presenters.page_context``)."""
    return presenters.page_context(
        dashboard=produced.dashboard,
        period=produced.period,
        several=produced.several,
        today=produced.today,
        parts=produced.parts,
        counted_at=produced.counted_at,
    )


def _produce(request: HttpRequest, kind: Kind, fmt: presenters.Format) -> Produced | HttpResponseRedirect:
    """The figures for a print view or download, audited; a changed link goes back to the chooser."""
    user, form, chosen, several = _chosen(request, kind)
    if not form.is_valid():
        # Only an edited link gets here: the page shows the chooser with the errors beside the fields.
        return HttpResponseRedirect(f"{reverse(f'employer_{kind}_dashboard')}?{urlencode(request.GET)}")
    return _counted(request, user=user, chosen=chosen, period=form.period, several=several, fmt=fmt)


def _print_html(request: HttpRequest, produced: Produced) -> str:
    """The print page's HTML: the print view and the PDF are one template (ADR 0027)."""
    context = _page_context(produced)
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
        presenters.workbook_sheets(produced.dashboard, produced.period, tables, counted_at=produced.counted_at),
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
        presenters.csv_rows(presenters.tables_of(produced.parts), counted_at=produced.counted_at),
        filename=presenters.filename(produced.dashboard, produced.period, "csv"),
    )
