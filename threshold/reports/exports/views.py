"""The export pages: a list out as XLSX or CSV, a background export's progress, and its download.

Thin: the list's own rules read its filters (``ListExport.filters``, refusing whom the page refuses), the
list is read through its selector as the reader, and either written at once (one ``records.exported`` event)
or, when longer than ``EXPORT_INLINE_LIMIT``, handed to a background job whose page the reader is sent to.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.http import signed_in_user
from threshold.reports.exports.base import ListExport
from threshold.reports.exports.jobs import is_changed_for, is_gone, requested_export
from threshold.reports.exports.presenters import export_gone_context, export_job_context
from threshold.reports.exports.registry import list_export
from threshold.reports.exports.services import ExportChanged, ExportGone, export_job_download, export_job_start
from threshold.reports.exports.storage import inline_limit
from threshold.reports.exports.writing import audit_export, export_filename, export_rows, record_ids
from threshold.reports.models import ExportJob
from threshold.reports.spreadsheets import XLSX_TYPE, Sheet, csv_response, xlsx_response


def _export(
    request: HttpRequest, user: User, spec: ListExport, query: Mapping[str, str], file_format: str
) -> HttpResponseBase:
    filters = spec.filters(user, query)
    records = spec.records(user, filters)
    ids = record_ids(records)
    context = AuditContext.from_request(request)
    if len(ids) > inline_limit():
        job = export_job_start(
            actor=user, kind=spec.kind, file_format=file_format, filters=filters, rows_total=len(ids),
            audit_context=context,
        )  # fmt: skip
        return redirect("export_job", job_id=job.pk)
    audit_export(context=context, spec=spec, filters=filters, records=records, ids=ids, file_format=file_format)
    filename = export_filename(spec, file_format, timezone.localdate())
    rows = export_rows(spec, records, ids)
    if file_format == "xlsx":
        return xlsx_response([Sheet(title=spec.title, header=spec.header, rows=rows)], filename=filename)
    return csv_response(spec.header, rows, filename=filename)


@login_required
@require_GET
def list_export_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponseBase:
    """A list out as XLSX or CSV with the page's filters (its GET parameters), for whoever may see the page."""
    user = signed_in_user(request)
    return _export(request, user, list_export(kind), request.GET, file_format)


@login_required
@require_GET
def meeting_actions_download(request: HttpRequest, meeting_id: int, file_format: str) -> HttpResponseBase:
    """A meeting's actions out as XLSX or CSV, for whoever may see the meeting (404 for anyone else)."""
    user = signed_in_user(request)
    return _export(request, user, list_export("meeting-actions"), {"meeting": str(meeting_id)}, file_format)


def _gone(request: HttpRequest, job: ExportJob, *, changed: bool = False) -> HttpResponse:
    context = export_gone_context(job, list_export(job.kind), changed=changed)
    return render(request, "reports/exports/gone.html", context, status=410)


@login_required
@require_GET
def export_job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """A background export's progress ("Check again"), then its download link; only for the person who asked."""
    user = signed_in_user(request)
    job = requested_export(user, job_id)
    if is_gone(job):
        return _gone(request, job)
    if is_changed_for(job, user, list_export(job.kind).record_type):
        return _gone(request, job, changed=True)  # not even its row count: a record in it may be about them
    return render(request, "reports/exports/job.html", export_job_context(job, list_export(job.kind)))


@login_required
@require_GET
def export_job_file(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """A written export's file, for the person who asked, until it expires (410 after); the download audited."""
    user = signed_in_user(request)
    job = requested_export(user, job_id)
    try:
        path = export_job_download(actor=user, job=job, audit_context=AuditContext.from_request(request))
    except ExportChanged:
        return _gone(request, job, changed=True)
    except ExportGone:
        if not is_gone(job) and not job.stored_name:
            return redirect("export_job", job_id=job.pk)  # not written yet: its page says how far it has got
        return _gone(request, job)
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=export_filename(list_export(job.kind), job.file_format, timezone.localdate(job.created_at)),
        content_type=XLSX_TYPE if job.file_format == "xlsx" else "text/csv; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
