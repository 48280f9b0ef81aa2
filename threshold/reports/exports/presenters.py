"""The pages of a background export: how far it has got, its download while it lasts, and the page once gone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from threshold.jinja2 import govuk_datetime
from threshold.reports.exports.base import ListExport
from threshold.reports.exports.storage import valid_for
from threshold.reports.models import ExportJob, ExportStatus


def _rows(count: int) -> str:
    return f"{count:,} {'row' if count == 1 else 'rows'}"


def _hours() -> str:
    hours = int(valid_for().total_seconds() // 3600)
    return f"{hours} {'hour' if hours == 1 else 'hours'}"


def export_job_context(job: ExportJob, spec: ListExport) -> dict[str, Any]:
    """The progress page: where the export stands in words, and its download link once written."""
    page = reverse("export_job", args=[job.pk])
    file_format = job.file_format.upper()
    context: dict[str, Any] = {
        "caption": f"{spec.title} ({file_format})",
        "list_url": spec.page(job.filters),
        "list_title": spec.title,
        "check_again_url": page,
        "waiting": job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "failed": job.status == ExportStatus.FAILED,
        "ready": job.status == ExportStatus.DONE,
        "kept_for": _hours(),
    }
    if job.status == ExportStatus.QUEUED:
        context["progress"] = f"Your spreadsheet of {_rows(job.rows_total)} is waiting to be written."
    elif job.status == ExportStatus.RUNNING:
        context["progress"] = f"{job.rows_done:,} of {_rows(job.rows_total)} written so far."
    if job.status == ExportStatus.DONE:
        context["download_url"] = reverse("export_job_download", args=[job.pk])
        context["download_text"] = f"Download {spec.title} ({file_format}, {_rows(job.rows_done)})"
        context["until"] = govuk_datetime(job.expires_at) if isinstance(job.expires_at, dt.datetime) else ""
    return context


def export_gone_context(job: ExportJob, spec: ListExport, *, changed: bool = False) -> dict[str, Any]:
    """The page of an export no longer downloaded (410): expired, or ``changed`` for its requester; the list again."""
    return {"list_url": spec.page(job.filters), "list_title": spec.title, "kept_for": _hours(), "changed": changed}
