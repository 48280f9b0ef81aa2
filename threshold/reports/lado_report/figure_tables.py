"""The report's figures as tables (``threshold.reports.tables.Table``), which pages, charts and files show.

Each table has a title in plain words, says by which date it counts (``counted_by``), labels its rows in the
words of the vocabularies and the pack (never the stored ids, which stay in ``Row.key``) and, where a
comparison helps, has a column for the period before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from threshold.policy import Pack
from threshold.reports.lado_report import labels
from threshold.reports.lado_report.suppression import WITHHELD, table_note
from threshold.reports.periods import Period
from threshold.reports.tables import Row, Table, Value

RECEIVED = "Counted by the date the contact was received (Europe/London time), both ends of the period included."
REFERRED = "Counted by the date the referral was received, both ends of the period included."
CONCLUDED = "Counted by the date the case concluded, both ends of the period included."
HELD = "Counted by the date the meeting was held (Europe/London time), both ends of the period included."
BODY = "Counted by the date of the referral (the date it was recorded where none was given)."
MIXED = "Each line says by which date it is counted."
SUBJECT_NOTE = "Counted over the records you may see: a record about you is never counted in your figures."
SEVERAL = "A referral recorded under more than one {what} is counted under each, so the lines add up to more."


def _value(figures: Mapping[str, Any], *path: str) -> Value:
    place: Any = figures
    for key in path:
        place = place.get(key) if isinstance(place, Mapping) else None
    return place if isinstance(place, int | float | str) or place is None else None


def _summary(title: str, rows: Sequence[Row], period_label: str) -> str:
    counted = [row for row in rows if isinstance(row.values[0], int | float) and row.values[0]]
    if not counted:
        # Suppressed cells are words ("fewer than 5", "withheld"): a table of them is not a table of none.
        if any(row.values[0] == WITHHELD for row in rows):
            return f"{title}, {period_label}: every count is fewer than the threshold or withheld, so none is shown."
        if any(isinstance(row.values[0], str) for row in rows):
            return f"{title}, {period_label}: every count is fewer than the threshold, so none is shown."
        return f"{title}, {period_label}: none."
    top = max(counted, key=lambda row: row.values[0])  # type: ignore[arg-type, return-value]
    return f"{title}, {period_label}: the most were {top.label} ({top.values[0]})."


@dataclass(frozen=True)
class Counted:
    """What the tables are made from: a report's figures, the previous period's, and how they were counted."""

    figures: dict[str, Any]
    previous: dict[str, Any]
    period: Period
    previous_period: Period
    pack: Pack
    suppress_below: int | None


class _Builder:
    """Tables of one report, with its periods' labels as the comparison columns."""

    def __init__(self, report: Counted) -> None:
        self.report = report
        self.this, self.before = report.figures, report.previous
        self.notes: tuple[str, ...] = (SUBJECT_NOTE,)
        if report.suppress_below:
            self.notes += (table_note(report.suppress_below),)
        self.tables: list[Table] = []

    def compare(
        self,
        key: str,
        title: str,
        counted_by: str,
        heading: str,
        lines: Sequence[tuple[Sequence[str], str]],
        *,
        chart: Literal["bar", "none"] = "bar",
        extra_notes: tuple[str, ...] = (),
    ) -> None:
        """A table of this period's and the previous period's value of each line (a path into the figures)."""
        rows = tuple(
            Row(label=label, values=(_value(self.this, *path), _value(self.before, *path)), key=path[-1])
            for path, label in lines
        )
        self.tables.append(
            Table(
                key=key,
                title=title,
                counted_by=counted_by,
                columns=(heading, self.report.period.label, self.report.previous_period.label),
                rows=rows,
                chart=chart,
                summary=_summary(title, rows, self.report.period.label),
                notes=self.notes + extra_notes,
            )
        )

    def breakdown(
        self, group: str, title: str, counted_by: str, heading: str, choices: labels.Choices, **kw: Any
    ) -> None:
        """A table of one breakdown (``by_source``), a line per choice."""
        self.compare(group, title, counted_by, heading, [((group, key), label) for key, label in choices], **kw)

    def single(self, key: str, title: str, counted_by: str, columns: tuple[str, ...], rows: list[Row]) -> None:
        """A table of this period only (workload, quarters, roles)."""
        self.tables.append(
            Table(
                key=key,
                title=title,
                counted_by=counted_by,
                columns=columns,
                rows=tuple(rows),
                summary=_summary(title, rows, self.report.period.label),
                notes=self.notes,
            )
        )


def _investigation_outcomes(b: _Builder) -> None:
    """The coded outcome of each line of investigation, the lines either period has."""
    lines = []
    for kind, code in [
        *labels.investigation_outcome_codes(),
        *((kind, labels.NOT_RECORDED) for kind, _ in labels.INVESTIGATIONS),
    ]:
        path = ("investigation_outcomes", kind, code)
        if _value(b.this, *path) or _value(b.before, *path):
            lines.append((path, labels.investigation_outcome_label(kind, "" if code == labels.NOT_RECORDED else code)))
    b.compare(
        "investigation_outcomes",
        "Outcomes of investigations, on cases concluded",
        CONCLUDED,
        "Investigation and outcome",
        lines,
        extra_notes=(
            "The outcome recorded last on each line of investigation; lines with none in either period are left out.",
        ),
    )


def _employer(b: _Builder) -> None:
    b.compare(
        "employer_referral_timeliness",
        "Employers referring within one working day",
        RECEIVED,
        "Contacts from employers",
        [
            (("employer_referral_timeliness", "from_employer"), "Contacts from employers"),
            (("employer_referral_timeliness", "measured"), "Saying when the employer first knew"),
            (("employer_referral_timeliness", "within_one_working_day"), "Referred within one working day of knowing"),
            (
                ("employer_referral_timeliness", "within_one_working_day_percent"),
                "Referred within one working day (% of those saying when the employer knew)",
            ),
            (("employer_referral_timeliness", "not_known"), "When the employer first knew is not known"),
        ],
        chart="none",
    )


def _quarters(b: _Builder) -> None:
    contacts, referrals = b.this.get("by_quarter", {}), b.this.get("referrals_by_quarter", {})
    b.single(
        "by_quarter",
        "Contacts and referrals by quarter",
        "Contacts by the date received (Europe/London time); referrals by the date received.",
        ("Quarter", "Contacts", "Referrals"),
        [Row(label=key, values=(contacts[key], referrals.get(key)), key=key) for key in contacts],
    )


def _workload(b: _Builder) -> None:
    workload = b.this.get("by_lado", {})
    b.single(
        "by_lado",
        "Workload per LADO",
        "Contacts and referrals by the date received; concluded by the date concluded; open at the period's end.",
        ("LADO", "Contacts", "Referrals", "Concluded", "Open at the end of the period"),
        [
            Row(
                label=name,
                values=(counts["contacts"], counts["referrals"], counts["concluded"], counts["open_at_end"]),
                key=name,
            )
            for name, counts in workload.items()
        ],
    )


def report_tables(report: Counted) -> list[Table]:
    """Every figure of the report as a table, in the order the report reads."""
    b = _Builder(report)
    b.compare(
        "summary",
        "The year at a glance" if report.period.quarter == 0 else "The quarter at a glance",
        MIXED,
        "Figure",
        [
            (("contacts",), "Contacts received"),
            (("consultations",), "Consultations (did not meet the threshold)"),
            (("referrals",), "Referrals meeting the threshold (Tier 1 and Tier 2), by date received"),
            (("timeliness", "concluded"), "Cases concluded, by date concluded"),
            (("by_outcome", labels.OPEN), "Cases open at the end of the period"),
        ],
        chart="none",
    )
    b.breakdown("by_decision", "Contacts by decision", RECEIVED, "Decision", labels.DECISIONS)
    b.breakdown(
        "consultations_by_reason", "Consultations by reason", RECEIVED, "Why the threshold was not met", labels.REASONS
    )
    b.breakdown("by_tier", "Referrals by tier", REFERRED, "Tier", labels.TIERS)
    b.breakdown("by_source", "Contacts by source", RECEIVED, "Who made the contact", labels.SOURCES)
    b.breakdown("by_sector", "Referrals by employment sector", REFERRED, "Sector", labels.SECTORS)
    b.breakdown(
        "by_phase",
        "Referrals in the school sector by phase of education",
        REFERRED,
        "Phase of education",
        labels.PHASES,
        extra_notes=(
            "Referrals whose sector is school or academy only. The phase recorded on the case; where none is, "
            "the phase on the employer's record in Threshold.",
        ),
    )
    b.breakdown(
        "by_employer_kind",
        "Referrals by kind of employer",
        REFERRED,
        "Employer",
        labels.EMPLOYER_KINDS,
        extra_notes=("Known where the employer uses Threshold.",),
    )
    b.breakdown("by_teacher", "Referrals about teachers", REFERRED, "Is the adult a teacher?", labels.TEACHER)
    roles = report.figures.get("by_role", {})
    b.single(
        "by_role",
        "Referrals by the adult's role",
        REFERRED,
        ("Role or occupation, as recorded", "Referrals"),
        [
            Row(
                label={"other_roles": "Other roles", labels.NOT_RECORDED: labels.NOT_RECORDED_LABEL}.get(
                    role, role[:1].upper() + role[1:]
                ),
                values=(count,),
                key=role,
            )
            for role, count in roles.items()
        ],
    )
    b.breakdown(
        "by_category",
        "Referrals by category of abuse",
        REFERRED,
        "Category of abuse",
        labels.CATEGORIES,
        extra_notes=(SEVERAL.format(what="category"),),
    )
    b.breakdown("by_recency", "Recent and non-recent allegations", REFERRED, "When the incident was", labels.RECENCY)
    b.breakdown(
        "by_outcome",
        "Outcomes of concluded cases",
        CONCLUDED,
        "Outcome",
        labels.outcomes(report.pack),
        extra_notes=("“Open at the end of the period”: received by its last day and not concluded by then.",),
    )
    months = "calendar months from the date the referral was received to the date the case concluded"
    b.compare(
        "timeliness",
        "Timeliness",
        MIXED,
        "Measure",
        [
            (("timeliness", "concluded"), "Cases concluded (by date concluded)"),
            (("timeliness", "within_one_month"), "Concluded within one month"),
            (("timeliness", "within_one_month_percent"), "Concluded within one month (% of cases concluded)"),
            (("timeliness", "within_three_months"), "Concluded within three months"),
            (("timeliness", "within_three_months_percent"), "Concluded within three months (% of cases concluded)"),
            (("timeliness", "within_twelve_months"), "Concluded within twelve months"),
            (("timeliness", "within_twelve_months_percent"), "Concluded within twelve months (% of cases concluded)"),
            (("timeliness", "median_days_to_conclusion"), "Median days from referral to conclusion"),
            (
                ("timeliness", "decided_within_one_working_day"),
                "Contacts decided within one working day (by date received)",
            ),
            (
                ("timeliness", "decided_within_one_working_day_percent"),
                "Contacts decided within one working day (% of contacts received)",
            ),
        ],
        chart="none",
        extra_notes=(f"One, three and twelve months are {months} (the pack's resolution targets).",),
    )
    b.breakdown(
        "by_investigation",
        "Referrals by how the allegation was investigated",
        REFERRED,
        "Investigation",
        labels.INVESTIGATIONS,
    )
    _investigation_outcomes(b)
    b.compare(
        "agencies",
        "Police and children's social care involvement",
        REFERRED,
        "Agency",
        [
            (("police_involved",), "Police involved (a criminal investigation)"),
            (
                ("csc_involved",),
                "Children's social care involved (section 47, strategy discussion or meeting, or managing the case)",
            ),
        ],
    )
    b.breakdown("by_risk_measure", "How the risk was managed", REFERRED, "Risk management", labels.RISK_MEASURES)
    b.breakdown("meetings_by_kind", "Meetings held", HELD, "Meeting", labels.MEETINGS)
    b.compare(
        "bodies",
        "Referrals to the DBS and the TRA, and notifications to Ofsted",
        BODY,
        "Body",
        [
            (("dbs_referrals",), labels.BODIES[0][1]),
            (("tra_referrals",), labels.BODIES[1][1]),
            (("ofsted_notifications",), labels.BODIES[2][1]),
        ],
    )
    b.compare(
        "repeat_subjects",
        "Adults referred more than once",
        MIXED,
        "Adults",
        [
            (("repeat_subjects",), "With more than one contact in the period (by date received)"),
            (("subjects_with_earlier_contacts",), "With a contact in the period and one before it"),
            (("subjects_with_earlier_referrals",), "With a referral in the period and one before it"),
        ],
    )
    _employer(b)
    _quarters(b)
    _workload(b)
    return b.tables
