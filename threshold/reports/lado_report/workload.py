"""Workload per LADO: the contacts each held, the referrals allocated to them, concluded and still open.

Contacts are counted by the date received, under the LADO who holds the contact (``allocated_to``); cases
under the LADO the case is allocated to now: referrals by the date received, conclusions by the date
concluded, and open cases at the end of the period. A contact or case nobody holds is counted under "Not
allocated". Two LADOs with the same name are told apart by a number after the name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from threshold.reports.lado_report.contacts import contacts_by_lado
from threshold.reports.lado_report.counting import Counting, dated_during, open_at

NOT_ALLOCATED = "Not allocated"
MEASURES = ("contacts", "referrals", "concluded", "open_at_end")


def workload_figures(counting: Counting) -> dict[str, dict[str, int]]:
    """``{LADO's name: {contacts, referrals, concluded, open_at_end}}``, names in alphabetical order."""
    period = counting.period
    received = dated_during(period, "received_on")
    concluded = dated_during(period, "concluded_on")
    still_open = open_at(period.end)
    rows = (
        counting.cases.filter(received | concluded | still_open)
        .values("lado", "lado__full_name")
        .annotate(
            referrals=Count("pk", filter=received),
            concluded=Count("pk", filter=concluded),
            open_at_end=Count("pk", filter=still_open),
        )
        .order_by()
    )
    by_user: dict[Any, dict[str, Any]] = {}
    for row in contacts_by_lado(counting):
        by_user[row["user"]] = {"name": row["name"], "contacts": row["contacts"]}
    for row in rows:
        entry = by_user.setdefault(row["lado"], {"name": row["lado__full_name"], "contacts": 0})
        entry.update(referrals=row["referrals"], concluded=row["concluded"], open_at_end=row["open_at_end"])
    named: dict[str, dict[str, int]] = {}
    for user, entry in sorted(by_user.items(), key=lambda item: (item[0] is None, item[1]["name"] or "", item[0] or 0)):
        name = entry["name"] if user is not None else NOT_ALLOCATED
        key, n = name, 2
        while key in named:
            key, n = f"{name} ({n})", n + 1
        named[key] = {measure: entry.get(measure, 0) for measure in MEASURES}
    return named
