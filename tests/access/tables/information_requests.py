"""Rows for requests for information (auto-chase): the LADO asks the employer's case manager, who replies.

Making or withdrawing a request changes the case: Lara and Mo, Northshire's LADO service; everyone else gets
the 404 of a case that does not exist (Cara reads the case shared with her, but changes nothing). Replying
changes the employer's allegation: its handlers at Oakfield and the Riverside trust, as for the allegation's
other forms; the LADO service, which only follows the allegation (``view_referred``), gets a 404. A request
is reached only through its own case or allegation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from threshold.accounts.models import User
from threshold.lado.models import Case, InformationRequest


def _request_on_chris_case(ids: dict[str, int]) -> InformationRequest:
    case = Case._default_manager.get(pk=ids["case_chris"])
    return InformationRequest._default_manager.create(
        case=case,
        allegation_id=ids["allegation_chris"],
        asked_of=User.objects.get(email="hana.head@oakfield.example"),
        what="An update on the investigation.",
        due_on=dt.date.today() + dt.timedelta(days=7),
        requested_by=User.objects.get(email="lara.lado@northshire.example"),
    )


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "information_request_new": lambda ids: [ids["case_chris"]],
    "information_withdraw": lambda ids: [ids["case_chris"], _request_on_chris_case(ids).pk],
    "information_reply": lambda ids: [ids["allegation_chris"], _request_on_chris_case(ids).pk],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
information_request_new              200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
information_withdraw                 200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
information_reply                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
"""
