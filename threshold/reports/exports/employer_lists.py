"""The employer side's lists out: the concerns a person handles and the allegations they may see.

The concerns page's search by name is POSTed and never reaches a URL, so its spreadsheet holds every concern the
person handles; the page says so beside the links.
"""

from __future__ import annotations

from django.urls import reverse

from threshold.allegations.selectors import allegations_listed
from threshold.concerns.selectors import concerns_handled
from threshold.reports.exports.base import ListExport, london_day

CONCERNS = ListExport(
    kind="concerns",
    title="Concerns",
    record_type="concern",
    header=("Reference", "Adult concerned", "Organisation", "Raised on", "Status"),
    records=lambda user, filters: concerns_handled(user),
    row=lambda concern: [
        concern.reference,
        concern.subject.full_name,
        concern.organisation.name,
        concern.raised_on,
        concern.get_status_display(),
    ],
    page=lambda filters: reverse("concern_list"),
)

ALLEGATIONS = ListExport(
    kind="allegations",
    title="Allegations",
    record_type="allegation",
    header=("Reference", "Adult concerned", "Organisation", "Opened", "Status"),
    records=lambda user, filters: allegations_listed(user),
    row=lambda allegation: [
        allegation.reference,
        allegation.subject.full_name,
        allegation.organisation.name,
        london_day(allegation.created_at),
        allegation.get_status_display(),
    ],
    page=lambda filters: reverse("allegation_list"),
)

EMPLOYER_LISTS = (CONCERNS, ALLEGATIONS)
