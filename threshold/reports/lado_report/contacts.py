"""The contacts' figures, each counted by the date the contact was received (Europe/London).

A contact's level is the decision that stands on it: the latest (a consultation reopened as a referral is a
referral). "Decided within one working day" is the pack's ``lado-initial-decision`` timescale: the first
decision recorded on or before the working day after the contact was received. The employer's one-working-day
duty is the pack's ``inform-lado`` timescale, measured only on contacts from the employer that say when the
employer first knew (``threshold.lado.services.employer_timeliness``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, Subquery

from threshold.access.figures import rows_of_listed, standing_decision
from threshold.lado.models import Decision, Level
from threshold.lado.services.employer_timeliness import EMPLOYER_SOURCES, INFORM_LADO
from threshold.reports.lado_report import labels
from threshold.reports.lado_report.counting import Counting, Tally, during, percent
from threshold.reports.lado_report.dates import iso_weekday, london_day, within_working_days
from threshold.reports.periods import Period, financial_year, is_financial_year, quarter_of, quarters, utc_bounds

INITIAL_DECISION = "lado-initial-decision"
# A bank holiday can move "one working day after the employer knew" only for a date just before the period:
# from anything earlier the contact is weeks late whatever the calendar says.
KNEW_LOOKBACK = dt.timedelta(days=21)


def quarters_of(period: Period) -> list[Period]:
    """The quarters a by-quarter figure splits the period into: the financial year's, or those it overlaps."""
    if is_financial_year(period):
        return quarters(period)
    found: list[Period] = []
    day = period.start
    while day <= period.end:
        quarter = quarter_of(day)
        found.append(quarter)
        day = quarter.end + dt.timedelta(days=1)
    return found


def quarter_key(period: Period, quarter: Period) -> str:
    """The key of a quarter: "Q1" … "Q4" within one financial year, with the year ("Q4 2025 to 2026") across years."""
    if financial_year(period.start) == financial_year(period.end):
        return f"Q{quarter.quarter}"
    return f"Q{quarter.quarter} {financial_year(quarter.start).label}"


def contact_figures(counting: Counting) -> dict[str, Any]:
    """Contacts, decisions, consultations by reason, sources, timeliness of decisions, the employer's duty."""
    period = counting.period
    first = rows_of_listed(Decision).order_by("recorded_at", "pk")
    # Each worked out once per contact, as a column the counts read.
    contacts = counting.received.annotate(
        level=standing_decision("level"),
        reason=standing_decision("consultation_reason"),
        received_day=london_day("received_at"),
        decided_day=london_day(Subquery(first.values("recorded_at")[:1])),
    ).annotate(received_weekday=iso_weekday(F("received_day")), knew_weekday=iso_weekday(F("employer_knew_on")))
    tally = Tally()
    tally.count("contacts")
    for key, _ in labels.DECISIONS:
        tally.count("by_decision", key, where=Q(level__isnull=True) if key == labels.AWAITING else Q(level=key))
    consultation = Q(level=Level.CONSULTATION)
    for key, _ in labels.REASONS:
        reason = Q(reason="") | Q(reason__isnull=True) if key == labels.NOT_RECORDED else Q(reason=key)
        tally.count("consultations_by_reason", key, where=consultation & reason)
    for key, _ in labels.SOURCES:
        tally.count("by_source", key, where=Q(source=key))
    tally.count(
        "decided_within_one_working_day",
        where=within_working_days(
            start=F("received_day"),
            weekday=F("received_weekday"),
            end=F("decided_day"),
            count=counting.timescale(INITIAL_DECISION, 1),
            first=period.start,
            last=period.end,
        ),
    )
    from_employer = Q(source__in=sorted(EMPLOYER_SOURCES))
    measured = from_employer & Q(employer_knew_on__isnull=False)
    tally.count("employer", "from_employer", where=from_employer)
    tally.count("employer", "measured", where=measured)
    tally.count(
        "employer",
        "within_one_working_day",
        where=measured
        & within_working_days(
            start=F("employer_knew_on"),
            weekday=F("knew_weekday"),
            end=F("received_day"),
            count=counting.timescale(INFORM_LADO, 1),
            first=period.start - KNEW_LOOKBACK,
            last=period.end,
        ),
    )
    tally.count("employer", "not_known", where=from_employer & Q(employer_knew_not_known=True))
    for quarter in quarters_of(period):
        tally.count("by_quarter", quarter_key(period, quarter), where=during(quarter, "received_at"))
    counts = tally.run(contacts)
    employer = counts.pop("employer")
    employer["within_one_working_day_percent"] = percent(employer["within_one_working_day"], employer["measured"])
    return {
        "contacts": counts["contacts"],
        "by_decision": counts["by_decision"],
        "consultations": counts["by_decision"][Level.CONSULTATION],
        "consultations_by_reason": counts["consultations_by_reason"],
        "by_source": counts["by_source"],
        "decided_within_one_working_day": counts["decided_within_one_working_day"],
        "employer_referral_timeliness": employer,
        "by_quarter": counts["by_quarter"],
    }


def repeat_figures(counting: Counting) -> dict[str, Any]:
    """Adults with more than one contact in the period, and adults with a contact before it (their history)."""
    received = counting.received
    first, _ = utc_bounds(counting.period)
    earlier = counting.contacts.filter(received_at__lt=first).values("subject")
    earlier_cases = counting.cases.filter(received_on__lt=counting.period.start).values("subject")
    return {
        "repeat_subjects": received.values("subject").annotate(n=Count("pk")).filter(n__gt=1).count(),
        "subjects_with_earlier_contacts": received.filter(subject__in=earlier).values("subject").distinct().count(),
        "subjects_with_earlier_referrals": counting.referred.filter(subject__in=earlier_cases)
        .values("subject")
        .distinct()
        .count(),
    }


def contacts_by_lado(counting: Counting) -> list[dict[str, Any]]:
    """Contacts received in the period by the LADO who holds them (allocated), one row per LADO."""
    rows = (
        counting.received.values("allocated_to", "allocated_to__full_name")
        .annotate(n=Count("pk"))
        .order_by("allocated_to__full_name", "allocated_to")
    )
    return [{"user": row["allocated_to"], "name": row["allocated_to__full_name"], "contacts": row["n"]} for row in rows]
