"""Reading export jobs: a job is its requester's alone, and a download lasts until it expires.

Someone else's job answers 404, exactly like one that does not exist: its id says nothing.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from threshold.accounts.models import User
from threshold.reports.models import ExportJob, ExportStatus


def requested_export(user: User, job_id: int) -> ExportJob:
    """The export job ``job_id`` if ``user`` asked for it; otherwise the 404 of one that does not exist."""
    job = ExportJob.objects.filter(pk=job_id, requester=user).first()
    if job is None:
        raise Http404("No such export.")
    return job


def is_gone(job: ExportJob, now: dt.datetime | None = None) -> bool:
    """The job's file has expired (or has been swept away): it can no longer be downloaded."""
    now = now or timezone.now()
    return job.status == ExportStatus.EXPIRED or (job.expires_at is not None and job.expires_at <= now)
