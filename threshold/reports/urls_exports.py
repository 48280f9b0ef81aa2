"""Every list out to XLSX and CSV, and large exports as background jobs with an expiring download.

One URL per list, so the access tables say who may download each; ``<sheet:file_format>`` is ``xlsx`` or
``csv``. The filters are the list page's own GET parameters (codes, never a name).
"""

from __future__ import annotations

from django.urls import URLPattern, path, register_converter

from threshold.reports.exports import views


class SheetFormat:
    """The formats a list leaves in: ``xlsx`` or ``csv``."""

    regex = "xlsx|csv"

    def to_python(self, value: str) -> str:
        """The format as named."""
        return value

    def to_url(self, value: str) -> str:
        """The format as named."""
        return value


register_converter(SheetFormat, "sheet")

# (the list's name, its URL's name): the list pages link to these with their filters.
LISTS = (
    ("lado-inbox", "export_lado_inbox"),
    ("consultations", "export_consultations"),
    ("my-cases", "export_my_cases"),
    ("all-cases", "export_all_cases"),
    ("concerns", "export_concerns"),
    ("allegations", "export_allegations"),
    ("my-work", "export_my_work"),
)

urlpatterns: list[URLPattern] = [
    *[
        path(f"exports/{kind}.<sheet:file_format>", views.list_export_download, {"kind": kind}, name=name)
        for kind, name in LISTS
    ],
    path(
        "exports/meetings/<record:meeting_id>/actions.<sheet:file_format>",
        views.meeting_actions_download,
        name="export_meeting_actions",
    ),
    path("exports/downloads/<record:job_id>/", views.export_job_page, name="export_job"),
    path("exports/downloads/<record:job_id>/file/", views.export_job_file, name="export_job_download"),
]
