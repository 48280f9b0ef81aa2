"""Rows for every list out to a spreadsheet (issue 14), and the background export's page and download.

Each list's download answers as its page does: the LADO inbox and consultations for the LADO service and its
auditors (403 for anyone else, as the pages), all cases for the LADO manager, a meeting's actions for whoever
may see the meeting (404 for anyone else), and the lists everyone has (concerns, allegations, my cases, my work)
for everyone, holding only what each may see. An export job is its requester's alone: a job nobody here asked
for is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The lists' downloads take no record (the walk reaches them as XLSX); these do.
ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "export_meeting_actions": lambda ids: [ids["meeting_chris"], "xlsx"],
    "export_job": lambda ids: [1],
    "export_job_download": lambda ids: [1],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
export_lado_inbox                    200   200   200   403   403   403   403   403   403   403   403   200   403   403   403
export_consultations                 200   200   200   403   403   403   403   403   403   403   403   200   403   403   403
export_my_cases                      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
export_all_cases                     403   200   403   403   403   403   403   403   403   403   403   403   403   403   403
export_concerns                      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
export_allegations                   200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
export_my_work                       200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
export_meeting_actions               200   200   404   404   404   404   404   404   404   200   200   200   404   404   404
export_job                           404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
export_job_download                  404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
