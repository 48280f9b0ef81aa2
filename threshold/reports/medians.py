"""The one way a report takes a median: read from the database in order, the middle one or two rows.

Neither database Threshold runs on (SQLite, PostgreSQL) has a median aggregate both share, and a report never
reads every row to sort it in Python: the database sorts the values and returns only the middle row (an odd
number) or the middle two (an even number, whose mean is the median). The LADO report's days from referral to
conclusion and the employer dashboards' calendar days from attention to informing the LADO both use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet


def _number(value: int | dt.timedelta) -> int:
    """A value to average: a whole number, or a duration as its whole days."""
    return value.days if isinstance(value, dt.timedelta) else int(value)


def median_of(rows: QuerySet[Any], value: str, count: int) -> float | int | None:
    """The median of ``value`` (a whole number, or a duration of whole days) over ``rows``.

    ``count`` is how many rows ``rows`` holds (the caller has it from its own aggregate, so the median costs
    one query more, not two); None when there are none. The rows are ordered by ``value`` then id, so the same
    records always give the same rows. The mean of two middle values is a whole number when it is one.
    """
    if not count:
        return None
    ordered = rows.order_by(value, "pk").values_list(value, flat=True)
    lower = (count - 1) // 2
    middle = [_number(found) for found in ordered[lower : count // 2 + 1]]
    total = sum(middle)
    return total // len(middle) if total % len(middle) == 0 else total / len(middle)
