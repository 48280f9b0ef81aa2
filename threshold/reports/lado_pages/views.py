"""The LADO report's pages: the report, its print view, the PDF, XLSX and CSV, and the authority's report settings.

Thin: the reader's authority is the one they act for (the current organisation, else the first whose report they
may produce); anyone who may produce no LADO report gets the 404 of a page that is not there. The figures are
counted by ``lado_report`` (or shown again as the reader counted them in the last quarter of an hour, ADR 0045),
which also writes the ``report.produced`` event of each page and download (the authority, the period, the format,
the suppression and when the figures were counted; never a record or a person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from threshold.access.figures import report_authorities
from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext
from threshold.core.http import signed_in_user
from threshold.core.pages import form_page
from threshold.core.submissions import HttpResponseSeeOther
from threshold.reports.kept import COUNTED_AGAIN
from threshold.reports.lado_pages import presenters
from threshold.reports.lado_pages.forms import ReportPeriodForm, ReportSettingsForm, period_form, this_and_last_year
from threshold.reports.lado_pages.printing import lado_report_pdf, lado_report_print_html
from threshold.reports.lado_report import LadoReport, ReportFormat, lado_report
from threshold.reports.models import ReportSettings
from threshold.reports.pdf import PDF_TYPE
from threshold.reports.report_settings import may_change_report_settings, report_settings_for, report_settings_save
from threshold.reports.spreadsheets import csv_response, xlsx_response

# The report and its downloads are read with GET (``require_safe``): a POST to a print view or download is refused
# (405), never counted. A reader's figures are kept a quarter of an hour (ADR 0045): the print view and downloads
# show what the page showed. The page alone takes a POST: "Count the figures again", which writes, so is never a link.
PAGE = "reports/lado_report.html"
SETTINGS_PAGE = "reports/lado_report_settings.html"


def _current_or_first(request: HttpRequest, authorities: list[Organisation]) -> Organisation:
    """The authority the reader acts for now (the organisation switcher's choice), else the first of them."""
    if not authorities:
        raise Http404("No such page.")
    membership = getattr(request, "membership", None)
    current = next((a for a in authorities if membership is not None and a.pk == membership.organisation_id), None)
    return current or authorities[0]


@dataclass(frozen=True)
class Chosen:
    """Who asks, for which authority, the chooser bound to the query, and the authority's report settings."""

    user: User
    authority: Organisation
    form: ReportPeriodForm
    settings: ReportSettings
    today: dt.date

    def suppress_below(self) -> int | None:
        """The threshold to apply: the authority's, when the reader ticked the box and one is set."""
        wanted = self.form.cleaned_data.get("suppress")
        return self.settings.suppress_below if wanted and self.settings.suppress_below else None

    def query(self) -> dict[str, str]:
        """The chooser's answers, for the links that keep them (the form is valid)."""
        query = presenters.chosen_query(self.form.cleaned_data)
        if not self.suppress_below():
            query.pop("suppress", None)
        return query


def _chosen(request: HttpRequest) -> Chosen:
    user = signed_in_user(request)
    authority = _current_or_first(request, list(report_authorities(user)))
    today = timezone.localdate()
    form = period_form(request.GET, today=today)
    return Chosen(user=user, authority=authority, form=form, settings=report_settings_for(authority), today=today)


def _report(request: HttpRequest, chosen: Chosen, output: ReportFormat, *, count_again: bool = False) -> LadoReport:
    """The report for the chosen period: the reader's figures of the last quarter of an hour, or counted now."""
    return lado_report(
        user=chosen.user,
        authority=chosen.authority,
        period=chosen.form.chosen,
        suppress_below=chosen.suppress_below(),
        output=output,
        audit_context=AuditContext.from_request(request),
        count_again=count_again,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request: HttpRequest) -> HttpResponse:
    """The report: the period chooser, then the summary, the contents and every figure, and the links out.

    A POST (its period in the address, as the page's own link has it) counts the figures again.
    """
    chosen = _chosen(request)
    this_year, last_year = this_and_last_year(chosen.today)
    context: dict[str, Any] = {
        "form": chosen.form,
        "authority": chosen.authority,
        "settings": chosen.settings,
        "may_change_settings": may_change_report_settings(chosen.user, chosen.authority),
        "years": {"this": this_year.label, "last": last_year.label},
    }
    if chosen.form.is_valid():
        query = chosen.query()
        kept_link = f"{reverse('lado_report')}?{urlencode(query)}"
        if request.method == "POST":
            # "Count the figures again" (ADR 0045): count afresh, keep the figures in place of the earlier ones,
            # then show them at the period's own link, so that reloading it or coming back to it shows them
            # rather than counting once more.
            _report(request, chosen, "count", count_again=True)
            messages.success(request, COUNTED_AGAIN)
            return HttpResponseSeeOther(kept_link)
        if "period" in request.GET and request.GET.dict() != query:
            # A GET form sends every box, empty or not: the link to keep is the period alone (an old link's
            # ``count=again`` too: counting is a POST).
            return HttpResponseRedirect(kept_link)
        report = _report(request, chosen, "page")
        context.update(presenters.report_context(report, today=chosen.today), links=presenters.links(query))
    return render(request, PAGE, context)


def _produce(request: HttpRequest, output: ReportFormat) -> tuple[Chosen, LadoReport] | HttpResponseRedirect:
    """The report for a print view or download; an edited link with a wrong period goes back to the chooser."""
    chosen = _chosen(request)
    if not chosen.form.is_valid():
        # Only a changed link gets here: the page shows the chooser with each error beside its field.
        return HttpResponseRedirect(f"{reverse('lado_report')}?{urlencode(request.GET)}")
    return chosen, _report(request, chosen, output)


@login_required
@require_safe
def report_print(request: HttpRequest) -> HttpResponse:
    """The print view: the whole report laid out for paper, no navigation or chooser."""
    produced = _produce(request, "print")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    chosen, report = produced
    html = lado_report_print_html(
        report, produced_on=chosen.today, links=presenters.links(chosen.query()), request=request
    )
    return HttpResponse(html)


@login_required
@require_safe
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The print view as a PDF (WeasyPrint, ADR 0027)."""
    produced = _produce(request, "pdf")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    chosen, report = produced
    response = HttpResponse(lado_report_pdf(report, produced_on=chosen.today), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{presenters.filename(report, "pdf")}"'
    return response


@login_required
@require_safe
def report_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The report as a workbook: an "About" sheet, then one sheet per table."""
    produced = _produce(request, "xlsx")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    chosen, report = produced
    return xlsx_response(
        presenters.workbook_sheets(report, produced_on=chosen.today),
        filename=presenters.filename(report, "xlsx"),
    )


@login_required
@require_safe
def report_csv(request: HttpRequest) -> HttpResponseBase:
    """Every figure of the report as one CSV: a line per table, row and period."""
    produced = _produce(request, "csv")
    if isinstance(produced, HttpResponseRedirect):
        return produced
    _, report = produced
    return csv_response(
        presenters.CSV_HEADER,
        presenters.csv_rows(report.tables(), counted_at=report.counted_at),
        filename=presenters.filename(report, "csv"),
    )


@login_required
def report_settings(request: HttpRequest) -> HttpResponse:
    """The authority's report settings, for its LADO manager only (everyone else: 404)."""
    user = signed_in_user(request)
    managed = [org for org in report_authorities(user) if org.pk in scope_for(user).lado_manage]
    authority = _current_or_first(request, managed)

    def make_form(record: ReportSettings, data: Any) -> ReportSettingsForm:
        return ReportSettingsForm(data, initial={"version": record.version, "suppress_below": record.suppress_below})

    def save(form: ReportSettingsForm) -> ReportSettings:
        return report_settings_save(
            actor=user,
            organisation=authority,
            expected_version=form.cleaned_data["version"],
            suppress_below=form.cleaned_data["suppress_below"],
            audit_context=AuditContext.from_request(request),
        )

    return form_page(
        request,
        report_settings_for(authority),
        make_form=make_form,
        save=save,
        template=SETTINGS_PAGE,
        message="The report settings are saved.",
        redirect_to=reverse("lado_report"),
        context={"authority": authority},
        refetch=lambda: report_settings_for(authority),
    )
