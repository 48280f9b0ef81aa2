"""Rows for the LADO case pages (issue 6): lists, the data set's change pages, tier and reassignment.

Changing Chris's Northshire case needs "change": Lara (its LADO) and Mo (the
LADO manager). Ada (auditor) reads it but changes nothing; Pat and Cara
(partners) see only what is shared with them; Sam of Southvale sees nothing of
Northshire. Everyone else gets the same 404 as for a record that does not
exist. A child (victim) is corrected or removed through its case, by the same two.
Reassigning is Mo's alone ("manage"); all cases with filters is the
manager's list, refused (403) to everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threshold.lado.models import CaseChild


def _child_on_chris_case(ids: dict[str, int]) -> list[Any]:
    child = CaseChild._default_manager.create(case_id=ids["case_chris"], full_name="Pupil Z")
    return [ids["case_chris"], child.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "case_change_dataset": lambda ids: [ids["case_chris"], "adult"],
    "case_add_child": lambda ids: [ids["case_chris"]],
    "case_change_child": _child_on_chris_case,
    "case_remove_child": _child_on_chris_case,
    "case_add_risk_measure": lambda ids: [ids["case_chris"]],
    "case_record_investigation": lambda ids: [ids["case_chris"], "criminal"],
    "case_record_body_referral": lambda ids: [ids["case_chris"]],
    "case_change_tier": lambda ids: [ids["case_chris"]],
    "case_management_transfer": lambda ids: [ids["case_chris"]],
    "case_reassign": lambda ids: [ids["case_chris"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
case_add_child                       200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_add_risk_measure                200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_change_child                    200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_change_dataset                  200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_change_tier                     200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_management_transfer             200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_list_all                        403   200   403   403   403   403   403   403   403   403   403   403   403   403   403
case_reassign                        404   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_record_body_referral            200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_record_investigation            200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_remove_child                    200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
