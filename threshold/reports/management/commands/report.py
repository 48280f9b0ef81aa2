"""``manage.py report``: the LADO report as JSON, XLSX or PDF, for scheduled production and checks.

``python manage.py report lado-annual --authority SLUG_OR_NAME --from YYYY-MM-DD --to YYYY-MM-DD
--format json|xlsx|pdf [--output FILE] [--as EMAIL] [--suppress-below N]``.

Without ``--as`` the named system job ``system:report`` counts every record of the authority, for a scheduled
statutory return or a check, and its ``report.produced`` event names the job and the operating-system account
that ran it (ADR 0029). With ``--as EMAIL`` the figures are counted as that person would count them on the
report page: over the local authority's records they may count (its LADOs, LADO managers and auditors), never a
record about them, and the event names them (docs/reports.md). Either way the event names the authority, the
period and the format. Counts below ``--suppress-below`` (by default the authority's own setting) are shown
as "fewer than N", since the output leaves the service. Without ``--from`` and ``--to``, ``lado-annual`` is the
last whole financial year and ``lado-quarterly`` the last whole quarter.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.accounts.selectors import active_user_with_email, local_authority_named
from threshold.audit.context import AuditContext, operating_account
from threshold.reports.lado_report import LadoReport, ReportFormat, lado_report, lado_report_for_system
from threshold.reports.models import ReportSettings
from threshold.reports.periods import Period, between, financial_year, previous, quarter_of
from threshold.reports.spreadsheets import tables_to_sheets, xlsx_write

REPORTS = ("lado-annual", "lado-quarterly")
FORMATS = ("json", "xlsx", "pdf")


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None


def authority_named(name: str) -> Organisation:
    """The local authority ``--authority`` names (``accounts.selectors.local_authority_named``), or a command error."""
    found = local_authority_named(name)
    if found is None:
        raise CommandError(f"No single local authority is called {name.strip()!r}.")
    return found


def period_chosen(report: str, start: str | None, end: str | None) -> Period:
    """The period from ``--from`` and ``--to``, or the last whole year (or quarter) when both are left out."""
    if start and end:
        first, last = _day(start, "--from"), _day(end, "--to")
        if last < first:
            raise CommandError("--to must be on or after --from.")
        return between(first, last)
    if start or end:
        raise CommandError("Give both --from and --to, or neither.")
    today = timezone.localdate()
    return previous(quarter_of(today) if report == "lado-quarterly" else financial_year(today))


def report_bytes(report: LadoReport, output_format: str) -> bytes:
    """The report as the bytes of a JSON document, a workbook (a sheet per table) or a PDF."""
    if output_format == "json":
        return (json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n").encode()
    if output_format == "xlsx":
        target = io.BytesIO()
        xlsx_write(tables_to_sheets(report.tables()), target)
        return target.getvalue()
    # The PDF is laid out from the report's print page (ADR 0027), which the report pages own.
    from threshold.reports.lado_print import lado_report_pdf

    return lado_report_pdf(report)


class Command(BaseCommand):
    """Produce the LADO report of one local authority for a period."""

    help = (
        "Produce the LADO annual or quarterly report as JSON, XLSX or PDF: over all the authority's records "
        "(system:report), or as the person named by --as would count them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The report, the authority, the period, the format, where to write it and whom it is counted for."""
        parser.add_argument("report", choices=REPORTS, help="Which report (the period decides what it covers).")
        parser.add_argument("--authority", required=True, metavar="SLUG_OR_NAME", help="The local authority.")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="The first day counted.")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="The last day counted (included).")
        parser.add_argument("--format", choices=FORMATS, default="json", help="json (default), xlsx or pdf.")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE rather than to standard output.")
        parser.add_argument(
            "--as",
            dest="reader",
            metavar="EMAIL",
            help="Count as this person (a LADO, LADO manager or auditor of the authority) rather than system:report.",
        )
        parser.add_argument(
            "--suppress-below",
            type=int,
            metavar="N",
            help="Show counts from 1 to N-1 as 'fewer than N' (default: the authority's setting; 0 for none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Look up the authority (and the reader, if named), count, audit, and write the report."""
        authority = authority_named(options["authority"])
        period = period_chosen(options["report"], options.get("start"), options.get("end"))
        below = options.get("suppress_below")
        if below is None:
            below = (
                ReportSettings.objects.filter(organisation=authority).values_list("suppress_below", flat=True).first()
            )
        if below is not None and (below == 1 or below < 0):
            raise CommandError("--suppress-below must be 0 (none) or at least 2.")
        report = self._counted(options.get("reader"), authority, period, below or None, options["format"])
        content = report_bytes(report, options["format"])
        if options.get("output"):
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote the {period.label} report of {authority.name} to {options['output']}.")
        elif options["format"] == "json":
            self.stdout.write(content.decode(), ending="")
        else:
            target: IO[bytes] = sys.stdout.buffer
            target.write(content)
            target.flush()

    def _counted(
        self, email: str | None, authority: Organisation, period: Period, below: int | None, output_format: ReportFormat
    ) -> LadoReport:
        """The report as the named person counts it, or over all the authority's records when nobody is named."""
        if not email:
            return lado_report_for_system(
                authority=authority,
                period=period,
                suppress_below=below,
                output=output_format,
                operator=operating_account(),
            )
        reader = active_user_with_email(email)
        if reader is None:
            raise CommandError("No active user has that email address.")
        try:
            return lado_report(
                user=reader,
                authority=authority,
                period=period,
                suppress_below=below,
                output=output_format,
                audit_context=AuditContext.for_user(reader, authority),
                # A return a command produces is counted when it runs, never taken from a page's kept figures.
                count_again=True,
            )
        except PermissionDenied:
            raise CommandError(f"{reader.email} may not count {authority.name}'s records for its report.") from None
