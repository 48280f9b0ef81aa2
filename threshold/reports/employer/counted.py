"""A dashboard's figures for its reader: counted now, or kept from the last quarter of an hour (ADR 0045).

``produce`` is what each page, print view and download of a dashboard asks for: the reader's figures of the same
dashboard and period counted in the last ``KEPT_FOR`` under the same key, else counted now and kept
(``threshold.reports.kept.figures_for``); with its ``report.produced`` event, in one transaction. So the page a
headteacher or a trust reads and the PDF or workbook they take from it hold the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from threshold.accounts.models import User
from threshold.policy import Pack, get_pack
from threshold.reports.employer import audit
from threshold.reports.employer.allegation_figures import allegation_tables
from threshold.reports.employer.concern_figures import concern_tables
from threshold.reports.employer.presenters import Format
from threshold.reports.employer.readers import Dashboard
from threshold.reports.kept import Kept, Report, figures_for
from threshold.reports.lado_report.counting import FALLBACK_PACK
from threshold.reports.periods import Period
from threshold.reports.tables import Table, table_as_json, table_from_json


@dataclass(frozen=True)
class Counted:
    """A dashboard's tables as its reader counted them, and when."""

    counted_at: dt.datetime
    concerns: list[Table]
    allegations: list[Table]


def _packs(dashboard: Dashboard, today: dt.date) -> list[Pack]:
    """The packs the figures are counted under: each organisation's as in force today, and the national pack.

    The national pack is the one a timescale falls back to (``pack_timescale``).
    """
    own = [get_pack(each.policy_pack, on=today) for each in {dashboard.organisation, *dashboard.schools}]
    return [*own, get_pack(FALLBACK_PACK)]


def produce(
    request: HttpRequest,
    *,
    user: User,
    dashboard: Dashboard,
    period: Period,
    today: dt.date,
    fmt: Format,
    count_again: bool = False,
) -> Counted:
    """The dashboard's figures for its reader, kept or counted now (``count_again``: always now), audited as ``fmt``."""
    report: Report = "employer-trust" if dashboard.kind == "trust" else "employer-school"

    def count() -> dict[str, Any]:
        concerns = concern_tables(user=user, dashboard=dashboard, period=period)
        allegations = allegation_tables(user=user, dashboard=dashboard, period=period, today=today)
        return {
            "concerns": [table_as_json(table) for table in concerns],
            "allegations": [table_as_json(table) for table in allegations],
        }

    def record(kept: Kept, counted_now: bool) -> None:
        audit.report_produced(
            request, dashboard=dashboard, period=period, fmt=fmt, counted_at=kept.counted_at, counted_now=counted_now
        )

    kept = figures_for(
        user=user,
        report=report,
        organisation=dashboard.organisation,
        period=period,
        packs=_packs(dashboard, today),
        counted_over=dashboard.organisation_ids,
        count=count,
        record=record,
        count_again=count_again,
    )
    return Counted(
        counted_at=kept.counted_at,
        concerns=[table_from_json(table) for table in kept.figures["concerns"]],
        allegations=[table_from_json(table) for table in kept.figures["allegations"]],
    )
