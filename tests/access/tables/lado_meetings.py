"""Rows for meetings and sharing with the police and children's social care (issue 6).

Recording and changing a meeting, and sharing it or the case, is for the LADO
service of the case's local authority (Lara and Mo); everyone else gets the
same 404 as for a record that does not exist. An agency's update may be added
by the LADO service and by partners the meeting is shared with: Pat (the
strategy meeting is shared with him) and Cara (the whole case is shared with
her). Buttons that change something answer GET with 405.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "meeting_new": lambda ids: [ids["case_chris"]],
    "meeting_edit": lambda ids: [ids["meeting_chris"]],
    "meeting_attendee_add": lambda ids: [ids["meeting_chris"]],
    "meeting_attendance": lambda ids: [ids["meeting_chris"]],
    "meeting_action_add": lambda ids: [ids["meeting_chris"]],
    "meeting_action_complete": lambda ids: [ids["meeting_chris"]],
    "meeting_update_add": lambda ids: [ids["meeting_chris"]],
    "meeting_share": lambda ids: [ids["meeting_chris"]],
    "meeting_unshare": lambda ids: [ids["meeting_chris"]],
    "case_share": lambda ids: [ids["case_chris"]],
    "case_unshare": lambda ids: [ids["case_chris"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
case_share                           200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
case_unshare                         405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
meeting_action_add                   200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
meeting_action_complete              405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
meeting_attendance                   405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
meeting_attendee_add                 200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
meeting_edit                         200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
meeting_new                          200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
meeting_share                        200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
meeting_unshare                      405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
meeting_update_add                   200   200   404   404   404   404   404   404   404   200   200   404   404   404   404
"""
