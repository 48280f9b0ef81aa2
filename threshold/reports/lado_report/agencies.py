"""Meetings held, and referrals to the DBS, the TRA and Ofsted: each counted by the date it happened.

A meeting is counted by the London date it was held (strategy meetings, LADO-chaired allegations management
meetings and review meetings of the authority's cases). A referral to another body is the row that stands for
that body on a case (the latest recorded, ``lado.selectors.latest_body_referrals``) when it says a referral
was made; it is counted by the date of the referral, or the date it was recorded where no date was given, so
a case referred to the DBS counts once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Q, Subquery
from django.db.models.functions import Coalesce

from threshold.access.figures import rows_of_listed
from threshold.lado.models import BodyReferral
from threshold.reports.lado_report import labels
from threshold.reports.lado_report.counting import Counting, Tally, dated_during, during
from threshold.reports.lado_report.dates import london_day

# The JSON key each body's referrals are reported under.
BODY_KEYS = {"dbs": "dbs_referrals", "tra": "tra_referrals", "ofsted": "ofsted_notifications"}


def meeting_figures(counting: Counting) -> dict[str, Any]:
    """Meetings held in the period, in all and by kind (one query)."""
    held = during(counting.period, "meetings__held_at")
    counts = counting.cases.aggregate(
        held_all=Count("meetings", filter=held),
        **{f"held_{key}": Count("meetings", filter=held & Q(meetings__kind=key)) for key, _ in labels.MEETINGS},
    )
    return {
        "meetings": counts["held_all"],
        "meetings_by_kind": {key: counts[f"held_{key}"] for key, _ in labels.MEETINGS},
    }


def body_figures(counting: Counting) -> dict[str, Any]:
    """Cases referred to the DBS and the TRA, and notified to Ofsted, in the period (one query)."""
    annotations: dict[str, Any] = {}
    for body, _ in labels.BODIES:
        standing = rows_of_listed(BodyReferral).filter(body=body).order_by("-recorded_at", "-pk")
        annotations[f"{body}_referred"] = Subquery(standing.values("referred")[:1])
        annotations[f"{body}_on"] = Subquery(
            standing.annotate(on=Coalesce("referred_on", london_day("recorded_at"))).values("on")[:1]
        )
    cases = counting.cases.filter(Exists(rows_of_listed(BodyReferral).filter(referred=True))).annotate(**annotations)
    tally = Tally()
    for body, _ in labels.BODIES:
        tally.count(
            BODY_KEYS[body], where=Q(**{f"{body}_referred": True}) & dated_during(counting.period, f"{body}_on")
        )
    return tally.run(cases)
