"""The referrals' figures: cases (Tier 1 and Tier 2), each counted by the date the referral was received.

What the protocol's recording data set holds about a referral: its tier, the employer's sector and kind (and a
school's phase of education: the case's own, else the one on its employer's record in Threshold), the category
of abuse, whether the adult is a teacher and their role, whether the allegation is non-recent, how
the risk was managed, how it was investigated, and whether the police and children's social care were
involved. A case with several categories of abuse (or several lines of investigation, or risk measures) counts
once under each.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf, Trim

from threshold.access.figures import rows_of_listed
from threshold.accounts.roles import OrganisationKind
from threshold.lado.models import Investigation, Level, Meeting, RiskMeasure
from threshold.lado.models.cases import CaseManager, InvestigationKind, Sector
from threshold.lado.models.meetings import MeetingKind
from threshold.reports.lado_report import labels
from threshold.reports.lado_report.contacts import quarter_key, quarters_of
from threshold.reports.lado_report.counting import Counting, Tally, dated_during

# The roles a report lists by name; the rest are counted together.
TOP_ROLES = 10
TIERS = (Level.TIER_1, Level.TIER_2)
POLICE_LINES = (InvestigationKind.CRIMINAL,)
SOCIAL_CARE_LINES = (InvestigationKind.SECTION_47, InvestigationKind.STRATEGY_DISCUSSION)


def _flags() -> dict[str, Exists]:
    """Whether each case has each line of investigation, each risk measure and a strategy meeting.

    Annotated on the cases (not written into the counts' conditions) so that the database works each out once
    per case, inside the query the counts read.
    """
    flags: dict[str, Exists] = {}
    for kind, _ in labels.INVESTIGATIONS:
        flags[f"line_{kind}"] = Exists(rows_of_listed(Investigation).filter(kind=kind))
    for kind, _ in labels.RISK_MEASURES:
        flags[f"risk_{kind}"] = Exists(rows_of_listed(RiskMeasure).filter(kind=kind))
    flags["strategy_meeting"] = Exists(rows_of_listed(Meeting).filter(kind=MeetingKind.STRATEGY))
    return flags


def _investigated(*kinds: str) -> Q:
    condition = Q()
    for kind in kinds:
        condition |= Q(**{f"line_{kind}": True})
    return condition


def _employer_kind(key: str) -> Q:
    if key == labels.NOT_IN_THRESHOLD:
        return Q(employer__isnull=True)
    if key == OrganisationKind.OTHER_EMPLOYER:
        # Any kind not listed on its own (none is expected) is another employer.
        listed = [kind for kind, _ in labels.EMPLOYER_KINDS if kind not in (key, labels.NOT_IN_THRESHOLD)]
        return Q(employer__isnull=False) & ~Q(employer__kind__in=listed)
    return Q(employer__kind=key)


def _teacher(key: str) -> Q:
    if key == labels.NOT_KNOWN:
        return Q(contact__isnull=True) | Q(contact__subject_is_teacher__isnull=True)
    return Q(contact__subject_is_teacher=(key == "yes"))


def _category(key: str) -> Q:
    # The list is matched as its JSON text with the value quoted, which every database reads alike (SQLite has
    # no JSON ``contains``), as the case list's filter does.
    if key == labels.NOT_RECORDED:
        return Q(categories_text="[]")
    return Q(categories_text__contains=f'"{key}"')


def _phase(key: str) -> Q:
    # Only referrals in the school sector have a phase to count; "not recorded" is one with neither phase.
    in_school = Q(sector=Sector.SCHOOL)
    return in_school & (Q(known_phase__isnull=True) if key == labels.NOT_RECORDED else Q(known_phase=key))


def referral_figures(counting: Counting) -> dict[str, Any]:
    """Referrals by tier, sector, school phase, employer, teacher, category, recency, risk, investigation, agencies."""
    referred = counting.referred.annotate(
        categories_text=Cast("abuse_categories", TextField()),
        role=Lower(Trim("adult_role")),
        known_phase=Coalesce(NullIf("school_phase", Value("")), NullIf("employer__phase", Value(""))),
        **_flags(),
    )
    tally = Tally()
    tally.count("referrals")
    for key, _ in labels.TIERS:
        tally.count("by_tier", key, where=~Q(tier__in=TIERS) if key == labels.NOT_RECORDED else Q(tier=key))
    for key, _ in labels.SECTORS:
        tally.count("by_sector", key, where=Q(sector="") if key == labels.NOT_RECORDED else Q(sector=key))
    for key, _ in labels.PHASES:
        tally.count("by_phase", key, where=_phase(key))
    for key, _ in labels.EMPLOYER_KINDS:
        tally.count("by_employer_kind", key, where=_employer_kind(key))
    for key, _ in labels.TEACHER:
        tally.count("by_teacher", key, where=_teacher(key))
    tally.count("role_not_recorded", where=Q(role=""))
    for key, _ in labels.CATEGORIES:
        tally.count("by_category", key, where=_category(key))
    recency = {"recent": Q(non_recent=False), "non_recent": Q(non_recent=True), labels.NOT_RECORDED: None}
    for key, _ in labels.RECENCY:
        tally.count("by_recency", key, where=recency[key] or Q(non_recent__isnull=True))
    for key, _ in labels.RISK_MEASURES:
        tally.count("by_risk_measure", key, where=Q(**{f"risk_{key}": True}))
    for key, _ in labels.INVESTIGATIONS:
        tally.count("by_investigation", key, where=_investigated(key))
    tally.count("police_involved", where=_investigated(*POLICE_LINES))
    tally.count(
        "csc_involved",
        where=_investigated(*SOCIAL_CARE_LINES)
        | Q(managed_by=CaseManager.CHILDRENS_SOCIAL_CARE)
        | Q(management_transferred_on__isnull=False)
        | Q(strategy_meeting=True),
    )
    for quarter in quarters_of(counting.period):
        tally.count(
            "referrals_by_quarter", quarter_key(counting.period, quarter), where=dated_during(quarter, "received_on")
        )
    counts = tally.run(referred)
    typed = counting.referred.annotate(role=Lower(Trim("adult_role"))).filter(~Q(role=""))
    roles = list(typed.values("role").annotate(n=Count("pk")).order_by("-n", "role")[:TOP_ROLES])
    by_role = {row["role"]: row["n"] for row in roles}
    named = sum(by_role.values())
    not_recorded = counts.pop("role_not_recorded")
    by_role["other_roles"] = counts["referrals"] - named - not_recorded
    by_role[labels.NOT_RECORDED] = not_recorded
    counts["by_role"] = by_role
    counts["non_recent"] = counts["by_recency"]["non_recent"]
    counts["suspended"] = counts["by_risk_measure"]["suspended"]
    counts["restricted_duties"] = counts["by_risk_measure"]["restricted"]
    return counts
