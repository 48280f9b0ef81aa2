"""The conclusions' figures: outcomes and timeliness counted by the date the case concluded.

Timeliness is the pack's resolution targets (``resolve-target-one-month``, ``-three-months``,
``-twelve-months``: 1, 3 and 12 calendar months in the shipped packs), each counted from the date the referral
was received to the date the case concluded, in calendar months as ``threshold.policy.add_months`` counts them
(received on 31 January, within one month means concluded by 28 or 29 February). The median of the days from
referral to conclusion is read from the database in order, the middle one or two rows
(``threshold.reports.medians``): the rows are never all read.

The outcome of each line of investigation is the coded outcome of the row that stands for that line (the
latest recorded), on the cases concluded in the period.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, Subquery

from threshold.access.figures import rows_of_listed
from threshold.lado.models import Investigation
from threshold.reports.lado_report import labels
from threshold.reports.lado_report.counting import Counting, Tally, open_at, percent
from threshold.reports.lado_report.dates import day_of_month, days_between, month_index, within_months
from threshold.reports.medians import median_of

# The pack's resolution targets, the JSON key each is reported under, and the months where no pack sets one.
TARGETS = (
    ("resolve-target-one-month", "within_one_month", 1),
    ("resolve-target-three-months", "within_three_months", 3),
    ("resolve-target-twelve-months", "within_twelve_months", 12),
)


def _line(kind: str) -> str:
    return f"line_{kind}"


def outcome_figures(counting: Counting) -> dict[str, Any]:
    """Outcomes of the cases concluded in the period, how quickly they concluded, and the cases still open."""
    outcome_ids = [key for key, _ in labels.outcomes(counting.pack) if key != labels.OPEN]
    lines = {
        _line(kind): Subquery(
            rows_of_listed(Investigation).filter(kind=kind).order_by("-recorded_at", "-pk").values("outcome")[:1]
        )
        for kind, _ in labels.INVESTIGATIONS
    }
    concluded = counting.concluded.annotate(
        received_month=month_index("received_on"),
        received_dom=day_of_month("received_on"),
        concluded_month=month_index("concluded_on"),
        concluded_dom=day_of_month("concluded_on"),
        **lines,
    )
    tally = Tally()
    tally.count("concluded")
    for key in outcome_ids:
        tally.count("by_outcome", key, where=Q(outcome=key))
    for timescale_id, key, months in TARGETS:
        count = counting.timescale(timescale_id, months)
        within = within_months(
            start_month=F("received_month"),
            start_day=F("received_dom"),
            end_month=F("concluded_month"),
            end_day=F("concluded_dom"),
            count=count,
        )
        tally.count(key, where=within)
    for kind, code in labels.investigation_outcome_codes():
        tally.count("investigation_outcomes", kind, code, where=Q(**{_line(kind): code}))
    for kind, _ in labels.INVESTIGATIONS:
        tally.count("investigation_outcomes", kind, labels.NOT_RECORDED, where=Q(**{_line(kind): ""}))
    counts = tally.run(concluded)
    concluded_count = counts["concluded"]
    timeliness: dict[str, Any] = {"concluded": concluded_count}
    for _, key, _ in TARGETS:
        timeliness[key] = counts[key]
        timeliness[f"{key}_percent"] = percent(counts[key], concluded_count)
    timeliness["median_days_to_conclusion"] = median_days(counting, concluded_count)
    by_outcome = counts["by_outcome"]
    by_outcome[labels.OPEN] = counting.cases.filter(open_at(counting.period.end)).count()
    return {
        "by_outcome": by_outcome,
        "timeliness": timeliness,
        "investigation_outcomes": counts["investigation_outcomes"],
    }


def median_days(counting: Counting, concluded: int) -> float | int | None:
    """The median of the calendar days from referral to conclusion of the cases concluded in the period."""
    days = counting.concluded.annotate(days=days_between(F("received_on"), F("concluded_on")))
    return median_of(days, "days", concluded)
