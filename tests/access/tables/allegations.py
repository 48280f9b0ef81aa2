"""Rows for the employer's management of allegations (issue 5, allegations side)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "allegation_edit": lambda ids: [ids["allegation_chris"]],
    "allegation_referral": lambda ids: [ids["allegation_chris"]],
    "allegation_step": lambda ids: [ids["allegation_chris"], "no-further-action"],
    "allegation_risk_assessment": lambda ids: [ids["allegation_chris"]],
    "allegation_support": lambda ids: [ids["allegation_chris"]],
    "allegation_progress_update": lambda ids: [ids["allegation_chris"]],
    "allegation_parent_update": lambda ids: [ids["allegation_chris"]],
    "allegation_police": lambda ids: [ids["allegation_chris"]],
    "allegation_outcome": lambda ids: [ids["allegation_chris"]],
    "allegation_file_record": lambda ids: [ids["allegation_chris"]],
    "allegation_lesson": lambda ids: [ids["allegation_chris"]],
    "allegation_agency": lambda ids: [ids["allegation_chris"]],
    "allegation_agency_hr_manager": lambda ids: [ids["allegation_chris"]],
    "allegation_agency_liaison": lambda ids: [ids["allegation_chris"]],
    "allegation_agency_reply": lambda ids: [ids["allegation_chris"]],
    "allegation_confidentiality": lambda ids: [ids["allegation_chris"]],
    "allegation_personnel_file": lambda ids: [ids["allegation_chris"]],
    "allegation_lessons_review": lambda ids: [ids["allegation_chris"]],
    "allegation_follow_up": lambda ids: [ids["allegation_chris"], "dbs"],
    "allegation_file_copy": lambda ids: [ids["allegation_chris"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
allegation_list                      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
allegation_edit                      404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_referral                  404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_step                      404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_risk_assessment           404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_support                   404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_progress_update           404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_parent_update             404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_police                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_outcome                   404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_file_record               404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_lesson                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_agency                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_agency_hr_manager         404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_agency_liaison            404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_agency_reply              404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_confidentiality           404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_personnel_file            404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_lessons_review            404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_follow_up                 404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
allegation_file_copy                 404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
lessons_learned                      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
allegation_restrictions              404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
"""
