"""Reading export jobs: a job is its requester's alone, and a download lasts until it expires or their reach changes.

Someone else's job answers 404, exactly like one that does not exist: its id says nothing. A written file holds
the records its requester could read when it was written; once what decides that has changed (their memberships,
the people rule 2 hides from them, or which records are about those people: a case corrected to name them, say),
the file is not given to them again, so it never hands anyone a record now about themselves (rule 2).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from threshold.access.figures import SUBJECT_RECORDS, reader_key
from threshold.accounts.models import User
from threshold.reports.models import ExportJob, ExportStatus


def requester_key(user: User) -> str:
    """What decides which records an export can hold for ``user``: their reach, and rule 2's people and records."""
    return reader_key(user, counted=SUBJECT_RECORDS)


def is_changed_for(job: ExportJob, user: User) -> bool:
    """A written export's requester may now see other records than when it was written (or a record is about them)."""
    return job.status == ExportStatus.DONE and job.reader_key != requester_key(user)


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
