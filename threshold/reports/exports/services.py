"""Background exports: starting one, writing it as its requester, downloading it, and sweeping expired files.

A list longer than ``EXPORT_INLINE_LIMIT`` is not written while the person waits. ``export_job_start`` records
an ``ExportJob`` (the list's name and filters as codes and ids, never a name) and queues the task on commit;
the task (``threshold.reports.tasks.run_export``) calls ``export_job_run``, which reads the list through
``threshold.access`` **as the requester** (their scope and subject exclusion apply, as on the page), writes the
file outside the web root, and records one ``records.exported`` event by the system job ``list-export`` naming
the requester and every record in the file. Only the requester downloads it (``export.downloaded``), until it
expires or a record in it is one they may no longer see (``jobs.is_changed_for``); ``exports_sweep`` deletes
expired files.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.locking import hold
from threshold.reports.exports import storage
from threshold.reports.exports.base import Filters
from threshold.reports.exports.jobs import is_changed_for, is_gone
from threshold.reports.exports.registry import LISTS, list_export
from threshold.reports.exports.writing import audit_export, export_rows, record_ids, write_export
from threshold.reports.models import ExportFormat, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

# The named system job that writes exports on their requesters' behalf (``system:list-export`` in the trail).
JOB = "list-export"
# Found by path, not imported: the task module imports this one (no import cycles inside an app).
RUN_TASK = "threshold.reports.tasks.run_export"


class ExportGone(Exception):
    """The export has expired or its file is no longer there: it cannot be downloaded."""


class ExportChanged(ExportGone):
    """What the requester may see has changed since the file was written: it is not given to them again."""


def export_job_start(
    *,
    actor: User,
    kind: str,
    file_format: str,
    filters: Filters,
    rows_total: int,
    audit_context: AuditContext | None = None,
) -> ExportJob:
    """Record a background export of the list ``kind`` with ``filters`` for ``actor``, and queue it on commit.

    The caller read the filters through the list's own rules (refusing someone the list is not for);
    the task reads the list again when it runs. The same export asked for again while it is still waiting or
    being written (a second click, a reload, a browser fetching the link ahead) is that job, not another.
    """
    if kind not in LISTS:
        raise ValidationError({"kind": "Choose a list to export"})
    if file_format not in ExportFormat.values:
        raise ValidationError({"file_format": "Choose XLSX or CSV"})
    context = context_for(actor, audit_context)
    with transaction.atomic(durable=True):
        # Two requests at once (a double click that beats the button's guard, two tabs) must not both find no job
        # and both start one: holding the requester's row, the second waits, then finds the first's job. SQLite
        # admits one writer at a time already (BEGIN IMMEDIATE, ADR 0003); this is for PostgreSQL.
        hold(actor)
        waiting = _waiting_export(context=context, kind=kind, file_format=file_format, filters=filters)
        if waiting is not None:
            return waiting
        job = ExportJob.objects.create(
            requester=actor,
            organisation=context.organisation,
            kind=kind,
            file_format=file_format,
            filters=filters,
            rows_total=rows_total,
        )
        audit_record(
            context=context,
            action="export.requested",
            record_type="export_job",
            record_id=job.pk,
            details={"list": kind, "format": file_format, "filters": filters, "rows": rows_total},
        )
        transaction.on_commit(lambda: import_string(RUN_TASK).enqueue(job.pk))
    return job


# A job asked for again within this long of its start is the same job: a second click, a reload, a prefetch. Older,
# it may be one a stopped worker left running (the sweep ends those after a day), so the request starts another.
SAME_REQUEST_WITHIN = dt.timedelta(minutes=10)


def _waiting_export(*, context: AuditContext, kind: str, file_format: str, filters: Filters) -> ExportJob | None:
    """The requester's export of this list, format and filters, for the same organisation, waiting or being written.

    Only one started in the last ``SAME_REQUEST_WITHIN``. Compared in Python: a requester has few jobs in a day,
    and JSON equality differs between databases.
    """
    in_flight = ExportJob.objects.filter(
        requester=context.actor.user,
        organisation=context.organisation,
        kind=kind,
        file_format=file_format,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__gt=timezone.now() - SAME_REQUEST_WITHIN,
    ).order_by("-pk")
    return next((job for job in in_flight if job.filters == dict(filters)), None)


def export_job_run(*, job_id: int) -> str:
    """Write a queued export as its requester: ``done``, ``failed``, or the status it already had.

    The file is written outside any transaction (a long write must not hold the database), reporting its
    progress every few hundred rows; the job is marked done, and the export audited, in one transaction after.
    """
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    job = ExportJob.objects.select_related("requester", "organisation").get(pk=job_id)
    if not claimed:
        return str(job.status)
    spec = list_export(job.kind)
    stored_name = storage.new_stored_name()
    try:
        # Read as the requester: the list's own rules, their subject exclusion included.
        records = spec.records(job.requester, job.filters)
        ids = record_ids(records)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=len(ids))
        progress = ExportJob.objects.filter(pk=job.pk)
        # Created for this account alone (0600), and never over an existing file.
        descriptor = os.open(storage.stored_path(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as target:
            written = write_export(
                job.file_format,
                spec,
                export_rows(spec, records, ids, progress=lambda done: progress.update(rows_done=done)),
                target,
            )
    except Exception as error:  # any failure is recorded on the job, and its page says so
        storage.remove(stored_name)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        # The job's id and the error's kind only: an error's message may quote a record.
        logger.error("Export job %s failed: %s", job.pk, type(error).__name__)
        return str(ExportStatus.FAILED)
    now = timezone.now()
    with transaction.atomic(durable=True):
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            stored_name=stored_name,
            rows_done=written,
            record_ids=ids,
            finished_at=now,
            expires_at=now + storage.valid_for(),
        )
        audit_export(
            context=AuditContext.system(JOB, organisation=job.organisation),
            spec=spec,
            filters=job.filters,
            records=records,
            ids=ids,
            file_format=job.file_format,
            extra={"requested_by": job.requester_id, "export_job": job.pk},
        )
    exports_sweep()
    return str(ExportStatus.DONE)


def export_job_download(*, actor: User, job: ExportJob, audit_context: AuditContext | None = None) -> str:
    """The stored file of a written export for its requester, the download audited; ``ExportGone`` once expired.

    The caller fetched the job as its requester (``jobs.requested_export``).
    """
    if job.requester_id != actor.pk:
        raise ValueError("Only the person who asked for an export downloads it.")
    if is_gone(job) or not job.stored_name or not storage.stored_path(job.stored_name).is_file():
        raise ExportGone
    try:
        # The file was written from what the requester could read then; someone who has since lost the list
        # (a role ended, a membership moved) no longer takes it away.
        list_export(job.kind).filters(actor, {key: str(value) for key, value in job.filters.items()})
    except (PermissionDenied, Http404) as refused:
        raise ExportGone from refused
    if is_changed_for(job, actor, list_export(job.kind).record_type):
        # A record in it may now be about them, or beyond their reach: the list is there to export again.
        raise ExportChanged
    with transaction.atomic(durable=True):
        audit_record(
            context=context_for(actor, audit_context),
            action="export.downloaded",
            record_type="export_job",
            record_id=job.pk,
            details={"list": job.kind, "format": job.file_format, "rows": job.rows_done},
        )
    return str(storage.stored_path(job.stored_name))


def exports_sweep() -> int:
    """Delete the files of exports past their expiry and mark them expired; returns how many were swept.

    A job a stopped worker left waiting or half written for longer than a download lasts is marked failed, and
    a file no job names (the half-written file of such a job) is deleted once it is as old.
    """
    now = timezone.now()
    ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lte=now - storage.valid_for()
    ).update(status=ExportStatus.FAILED, finished_at=now)
    storage.remove_orphans(
        kept=set(ExportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True)),
        older_than=now - storage.valid_for(),
    )
    swept = list(
        ExportJob.objects.filter(expires_at__lte=now)
        .exclude(status=ExportStatus.EXPIRED)
        .values_list("pk", "stored_name")
    )
    if not swept:
        return 0
    for _, stored_name in swept:
        storage.remove(stored_name)
    ids = [pk for pk, _ in swept]
    with transaction.atomic(durable=True):
        ExportJob.objects.filter(pk__in=ids).update(status=ExportStatus.EXPIRED, stored_name="")
        audit_record(
            context=AuditContext.system("export-sweep"),
            action="exports.expired",
            record_type="export_job",
            details={"export_jobs": ids, "count": len(ids)},
        )
    return len(ids)
