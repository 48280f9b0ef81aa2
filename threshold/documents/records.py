"""The records documents and chronology entries hang off, named in URLs by type and id.

Views use these to fetch the parent record through ``threshold.access`` (so
"missing" and "not yours" both answer 404) and to send the user back to it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from threshold.access import fetch
from threshold.accounts.models import User

_ACCESS = {
    "concern": fetch.access_concern,
    "allegation": fetch.access_allegation,
    "case": fetch.access_case,
    "meeting": fetch.access_meeting,
}
_PAGES = {
    "concern": "concern_detail",
    "allegation": "allegation_detail",
    "case": "case_detail",
    "meeting": "meeting_detail",
}


def record_for_change(
    *, user: User, record_type: str, record_id: object, allowed: Collection[str], request: HttpRequest
) -> Any:
    """The record, if its type is one of ``allowed`` and the user may change it; else 404."""
    if record_type not in allowed or record_type not in _ACCESS:
        raise Http404("No such record.")
    return _ACCESS[record_type](user, record_id, "change", request=request)


def record_page(record_type: str, record_id: int, anchor: str) -> str:
    """The page of a record, at one of its sections (``documents`` or ``chronology``)."""
    return f"{reverse(_PAGES[record_type], args=[record_id])}#{anchor}"


def record_label(record_type: str, record: Any) -> str:
    """How the record is named on its own page: its kind and stored reference (``Concern CON-7KQ2-9MXD``)."""
    if record_type == "concern":
        return f"Concern {record.reference}"
    if record_type == "allegation":
        return f"Allegation {record.reference}"
    if record_type == "case":
        return f"LADO case {record.reference}"
    return f"{str(record.kind).capitalize()} meeting"
