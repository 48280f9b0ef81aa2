"""Every list that leaves as a spreadsheet, by the name its URL and its background job use."""

from __future__ import annotations

from django.http import Http404

from threshold.reports.exports.base import ListExport
from threshold.reports.exports.employer_lists import EMPLOYER_LISTS
from threshold.reports.exports.lado_lists import LADO_LISTS
from threshold.reports.exports.work_lists import WORK_LISTS

LISTS: dict[str, ListExport] = {spec.kind: spec for spec in (*LADO_LISTS, *EMPLOYER_LISTS, *WORK_LISTS)}


def list_export(kind: str) -> ListExport:
    """The list named ``kind``; a name no list has is not a page (404)."""
    spec = LISTS.get(kind)
    if spec is None:
        raise Http404("No such list.")
    return spec
