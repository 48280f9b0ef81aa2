"""The dashboard's reads in the audit trail (docs/audit.md).

Each page, print view and download is one ``report.produced`` event naming the organisation, the period, the
format and when its figures were counted, never a record: a figure is a count. The page alone also names
records, the concerns of adults with more than one, which it lists by reference: one ``records.listed`` event
names them, as every list does.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed, audit_record
from threshold.reports.employer.concern_figures import RepeatAdult
from threshold.reports.employer.presenters import Format
from threshold.reports.employer.readers import Dashboard
from threshold.reports.periods import Period


def report_produced(
    request: HttpRequest,
    *,
    dashboard: Dashboard,
    period: Period,
    fmt: Format,
    counted_at: dt.datetime,
    counted_now: bool,
) -> None:
    """One ``report.produced`` event: which dashboard, of which organisation, for which period and format.

    With when its figures were counted, and whether now or kept for the reader (ADR 0045).
    """
    audit_record(
        context=AuditContext.from_request(request),
        action="report.produced",
        record_type="report",
        organisation=dashboard.organisation,
        details={
            "report": f"employer-{dashboard.kind}",
            "organisation": dashboard.organisation.pk,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "format": fmt,
            "counted_at": counted_at.isoformat(),
            "counted": "now" if counted_now else "kept",
        },
    )


def repeats_listed(request: HttpRequest, adults: list[RepeatAdult]) -> None:
    """One ``records.listed`` event naming the concerns the page lists by reference (none: no event)."""
    ids = [concern.pk for adult in adults for concern in adult.concerns]
    if not ids:
        return
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="concern",
        list_name="dashboard_repeat_adults",
        ids=ids,
    )
