"""The LADO service's annual and quarterly report: every figure, for a period and the period before, audited.

``lado_report(user=..., authority=..., period=...)`` counts in the database, over the local authority's contacts
and cases the reader may count (``threshold.access``, action ``report``: its LADOs, LADO managers and auditors;
a record about the reader is never counted for them), and keeps the figures for that reader a quarter of an hour
(``threshold.reports.kept``, ADR 0045): their page, print view and downloads show the figures counted at one
time. It writes one ``report.produced`` event naming the authority, the period, the format and when its figures
were counted, and no record and no person. The figures and every key are described in ``docs/reports.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from threshold.access.fetch import visible_cases, visible_contacts
from threshold.access.figures import authority_records_for_system_report, may_report_on
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.lado.models import Case, Contact
from threshold.policy import Pack, UnknownPackError, get_pack
from threshold.reports.kept import Kept, Report, figures_for
from threshold.reports.lado_report.agencies import body_figures, meeting_figures
from threshold.reports.lado_report.cases import referral_figures
from threshold.reports.lado_report.conclusions import outcome_figures
from threshold.reports.lado_report.contacts import contact_figures, repeat_figures
from threshold.reports.lado_report.counting import Counting, percent
from threshold.reports.lado_report.figure_tables import Counted, report_tables
from threshold.reports.lado_report.suppression import suppress
from threshold.reports.lado_report.workload import workload_figures
from threshold.reports.periods import Period, previous
from threshold.reports.tables import Table

# "count": figures counted again on request, shown by the page the request then goes to (ADR 0045).
ReportFormat = Literal["page", "count", "print", "pdf", "xlsx", "csv", "json"]
REPORT: Report = "lado"
# The named system job that produces the report when a command names no person (ADR 0029).
SYSTEM_JOB = "report"
# Suppressing "below 1" would suppress nothing: a threshold is 2 or more (as the authority's setting).
MIN_SUPPRESSION = 2


@dataclass(frozen=True)
class LadoReport:
    """A LADO report: the figures of a period and of the period before it, and their tables.

    ``figures`` and ``previous`` are JSON-able dicts with the same keys (docs/reports.md), with counts below
    ``suppress_below`` already suppressed when it is set. ``suppressed(n)`` gives the same report suppressed
    at another threshold. ``counted_at`` is when the figures were counted (kept figures were counted earlier).
    """

    authority: Organisation
    period: Period
    previous_period: Period
    pack: Pack
    figures: dict[str, Any]
    previous: dict[str, Any]
    counted_at: dt.datetime = field(default_factory=timezone.now)
    suppress_below: int | None = None
    # The unsuppressed figures of both periods, which ``suppressed`` starts from (never shown as they are).
    counted: tuple[dict[str, Any], dict[str, Any]] = field(default_factory=lambda: ({}, {}), repr=False)

    def tables(self) -> list[Table]:
        """Every figure as a titled table saying by which date it counts, with the previous period beside it."""
        return report_tables(
            Counted(
                figures=self.figures,
                previous=self.previous,
                period=self.period,
                previous_period=self.previous_period,
                pack=self.pack,
                suppress_below=self.suppress_below,
            )
        )

    def suppressed(self, below: int | None) -> LadoReport:
        """The same report with counts below ``below`` suppressed (None: none), both periods together.

        Counts from 1 to ``below``-1 are "fewer than N", and counts that would give one back are withheld with
        them (``suppression``).
        """
        below = _threshold(below)
        figures, previous = suppress(*self.counted, below)
        return replace(self, figures=figures, previous=previous, suppress_below=below)

    def as_json(self) -> dict[str, Any]:
        """The figures, the authority and the previous period's figures, as the command prints them."""
        return {
            **self.figures,
            "authority": self.authority.name,
            "suppress_below": self.suppress_below,
            "previous": self.previous,
        }


def _threshold(below: int | None) -> int | None:
    """The suppression threshold that applies: none below ``MIN_SUPPRESSION``."""
    return below if below and below >= MIN_SUPPRESSION else None


def _period_json(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label}


def _pack(authority: Organisation, period: Period) -> Pack:
    """The LADO's pack as in force at the end of the period (or today, if sooner); the current one if none was."""
    try:
        return get_pack(authority.policy_pack, on=min(period.end, timezone.localdate()))
    except UnknownPackError:
        return get_pack(authority.policy_pack)


def count_figures(counting: Counting) -> dict[str, Any]:
    """Every figure of one period (a bounded number of queries, however many records)."""
    contacts = contact_figures(counting)
    outcomes = outcome_figures(counting)
    timeliness = outcomes.pop("timeliness")
    decided = contacts.pop("decided_within_one_working_day")
    timeliness["decided_within_one_working_day"] = decided
    timeliness["decided_within_one_working_day_percent"] = percent(decided, contacts["contacts"])
    figures: dict[str, Any] = {"period": _period_json(counting.period)}
    figures.update(contacts)
    figures.update(referral_figures(counting))
    figures.update(outcomes)
    figures["timeliness"] = timeliness
    figures.update(repeat_figures(counting))
    figures.update(meeting_figures(counting))
    figures.update(body_figures(counting))
    figures["by_lado"] = workload_figures(counting)
    return figures


def lado_report(
    *,
    user: User,
    authority: Organisation,
    period: Period,
    suppress_below: int | None = None,
    output: ReportFormat = "page",
    audit_context: AuditContext | None = None,
    count_again: bool = False,
) -> LadoReport:
    """The LADO report of ``authority`` for ``period`` (and the period before it), as ``user`` may count it.

    Refuses (``PermissionDenied``) a user who may not count the authority's records. ``output`` says what the
    report is produced as (a page, a PDF, a workbook…), for the audit event. The figures this reader counted for
    the same period in the last quarter of an hour are shown again (ADR 0045) unless ``count_again``; figures
    counted now are kept for them.
    """
    if not may_report_on(user, authority):
        raise PermissionDenied("You cannot see this local authority's report.")

    def records() -> tuple[QuerySet[Contact], QuerySet[Case]]:
        contacts = visible_contacts(user, "report").filter(local_authority=authority)
        return contacts, visible_cases(user, "report").filter(local_authority=authority)

    return _produced(
        records=records,
        authority=authority,
        period=period,
        suppress_below=suppress_below,
        output=output,
        context=context_for(user, audit_context),
        details={},
        reader=user,
        count_again=count_again,
    )


def lado_report_for_system(
    *,
    authority: Organisation,
    period: Period,
    suppress_below: int | None = None,
    output: ReportFormat = "json",
    operator: str = "",
) -> LadoReport:
    """The LADO report of ``authority`` counted over all its records, by the ``system:report`` job (ADR 0029).

    For ``manage.py report`` run without ``--as`` (a scheduled statutory return, a check): no person is the
    reader, so no one is left out as a subject. ``operator`` is the operating-system account that ran it, kept
    in the audit event beside the job's name.
    """
    return _produced(
        records=lambda: authority_records_for_system_report(authority),
        authority=authority,
        period=period,
        suppress_below=suppress_below,
        output=output,
        context=AuditContext.system(SYSTEM_JOB, authority),
        details={"operator": operator} if operator else {},
    )


def _produced(
    *,
    records: Callable[[], tuple[QuerySet[Contact], QuerySet[Case]]],
    authority: Organisation,
    period: Period,
    suppress_below: int | None,
    output: ReportFormat,
    context: AuditContext,
    details: dict[str, Any],
    reader: User | None = None,
    count_again: bool = False,
) -> LadoReport:
    """Count both periods over the ``records`` (or show the reader's kept figures), suppress, and audit it.

    ``records`` gives the contacts and cases to count, built only when figures are counted. ``reader``: the
    person the figures are counted for, whose figures are kept and shown again (ADR 0045); none for the
    ``system:report`` job, which always counts and keeps nothing. The figures kept and the one
    ``report.produced`` event are written in one transaction (``threshold.reports.kept.figures_for``).
    """
    pack = _pack(authority, period)
    before = previous(period)
    below = _threshold(suppress_below)

    def count() -> dict[str, Any]:
        contacts, cases = records()
        return {
            "figures": count_figures(Counting(contacts=contacts, cases=cases, period=period, pack=pack)),
            "previous": count_figures(Counting(contacts=contacts, cases=cases, period=before, pack=pack)),
        }

    def record(kept: Kept, counted_now: bool) -> None:
        audit_record(
            context=context,
            action="report.produced",
            record_type="report",
            organisation=authority,
            details={
                "report": REPORT,
                "authority": authority.pk,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "format": output,
                "suppress_below": below,
                "counted_at": kept.counted_at.isoformat(),
                "counted": "now" if counted_now else "kept",
                **details,
            },
        )

    if reader is None:
        # The system job: nobody reads it as a person, so nothing is kept; its figures are counted each time.
        kept = Kept(counted_at=timezone.now(), figures=count())
        record(kept, True)
    else:
        kept = figures_for(
            user=reader,
            report=REPORT,
            organisation=authority,
            period=period,
            packs=[pack],
            count=count,
            record=record,
            count_again=count_again,
        )
    report = LadoReport(
        authority=authority,
        period=period,
        previous_period=before,
        pack=pack,
        figures={},
        previous={},
        counted_at=kept.counted_at,
        counted=(kept.figures["figures"], kept.figures["previous"]),
    ).suppressed(below)
    return report
