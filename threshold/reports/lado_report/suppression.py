"""Small-number suppression, for figures that leave the service.

Issue 14: "an option to suppress counts below a threshold the authority sets", default off.

Every count from 1 to N-1 becomes the words "fewer than N"; 0 stays 0, because nothing can be learnt about a
person from none. A percentage or median worked out from a suppressed count is withheld too (None, shown as
"Not shown"), since 1 of 3 as 33.3% gives the count back. Totals stay exact: the suppression is of single
cells only (no secondary suppression), which the report's notes say.
"""

from __future__ import annotations

import copy
from typing import Any

# Each derived figure, and the counts it is worked out from (a path of keys in the figures).
DERIVED: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("timeliness", "within_one_month_percent"): (("timeliness", "within_one_month"), ("timeliness", "concluded")),
    ("timeliness", "within_three_months_percent"): (
        ("timeliness", "within_three_months"),
        ("timeliness", "concluded"),
    ),
    ("timeliness", "within_twelve_months_percent"): (
        ("timeliness", "within_twelve_months"),
        ("timeliness", "concluded"),
    ),
    ("timeliness", "median_days_to_conclusion"): (("timeliness", "concluded"),),
    ("timeliness", "decided_within_one_working_day_percent"): (
        ("timeliness", "decided_within_one_working_day"),
        ("contacts",),
    ),
    ("employer_referral_timeliness", "within_one_working_day_percent"): (
        ("employer_referral_timeliness", "within_one_working_day"),
        ("employer_referral_timeliness", "measured"),
    ),
}
# Figures that are not counts and are never suppressed: the period's dates and label.
NOT_COUNTS = frozenset({("period",)})


def fewer_than(below: int) -> str:
    """The words a suppressed count is shown as."""
    return f"fewer than {below}"


def _small(value: Any, below: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < below


def _at(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    place: Any = figures
    for key in path:
        place = place.get(key) if isinstance(place, dict) else None
    return place


def _counts_suppressed(value: Any, below: int, path: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {key: _counts_suppressed(inner, below, (*path, key)) for key, inner in value.items()}
    if path in DERIVED or path[:1] in NOT_COUNTS:
        return value
    return fewer_than(below) if _small(value, below) else value


def suppress(figures: dict[str, Any], below: int | None) -> dict[str, Any]:
    """A copy of the figures with counts from 1 to ``below``-1 as "fewer than N" (unchanged when ``below`` is None)."""
    if not below or below < 2:
        return copy.deepcopy(figures)
    withheld = [
        derived
        for derived, sources in DERIVED.items()
        if any(_small(_at(figures, source), below) for source in sources)
    ]
    suppressed = _counts_suppressed(figures, below, ())
    for path in withheld:
        place = _at(suppressed, path[:-1])
        if isinstance(place, dict) and path[-1] in place:
            place[path[-1]] = None
    return suppressed
