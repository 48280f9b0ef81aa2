"""Rows for timescales, Tier 2 monitoring, quality assurance, reviews of delay, the conclusion and closure (issue 6).

The forms change a case, so they need "change" on it: Lara and Mo, Northshire's
LADO service. Everyone else (Sam of Southvale, the employers, Pat and Cara
the partners, Ada the auditor) gets the same 404 as for a case that does not
exist. The employer's progress page is a read of the case (Cara reads the
case shared with her; Pat only sees its summary, so not this page); what it
shows of the employer's allegation is decided again by the allegation's own
rule ("view_referred").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from threshold.accounts.models import User
from threshold.lado.models import Case, MonitoringReview


def _review_on_chris_case(ids: dict[str, int]) -> list[Any]:
    case = Case._default_manager.get(pk=ids["case_chris"])
    review = MonitoringReview._default_manager.create(
        case=case, due_on=dt.date.today(), scheduled_by=User.objects.get(email="lara.lado@northshire.example")
    )
    return [case.pk, review.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "monitoring_schedule": lambda ids: [ids["case_chris"]],
    "monitoring_complete": _review_on_chris_case,
    "case_employer_progress": lambda ids: [ids["case_chris"]],
    "case_quality_assurance": lambda ids: [ids["case_chris"]],
    "case_delay_review": lambda ids: [ids["case_chris"]],
    "case_conclusion": lambda ids: [ids["case_chris"]],
    "case_closure": lambda ids: [ids["case_chris"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
case_closure                         200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_conclusion                      200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_delay_review                    200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_employer_progress               200   200   404   404   404   404   404   404   404   404   200   200   404   404   404
case_quality_assurance               200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
monitoring_complete                  200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
monitoring_schedule                  200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
