"""Reading export jobs: a job is its requester's alone; its file is theirs until it expires or holds what is not.

Someone else's job answers 404, exactly like one that does not exist: its id says nothing. A written file holds
the records its requester could read when it was written; once any of them is one they may no longer see (a case
corrected to name them, so about them now; a record moved beyond their reach), the file is not given to them
again, so it never hands anyone a record now about themselves (rule 2). Only the file's own records are asked
about: nothing recorded elsewhere since (a namesake in another authority, say) turns it away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.reports.models import ExportJob, ExportStatus

# How each list's record type is seen, whatever the list's filters (a record the list no longer shows because it
# moved on, closed say, is still the requester's to hold). A meeting's actions follow their meeting, which the
# list's filters ask about at every download.
_VISIBLE: dict[str, Callable[[User], QuerySet[Any]]] = {
    "case": lambda user: fetch.visible_cases(user, "view_summary"),
    "contact": lambda user: fetch.visible_contacts(user, "view"),
    "concern": lambda user: fetch.visible_concerns(user, "view"),
    "allegation": lambda user: fetch.visible_allegations(user, "view"),
    "deadline": lambda user: fetch.visible_deadlines(user, "view"),
}
# Ids asked about in one query: a long export holds tens of thousands.
_CHUNK = 2000


def is_changed_for(job: ExportJob, user: User, record_type: str) -> bool:
    """A written export holds a record ``user`` may no longer see (one now about them, or beyond their reach)."""
    if job.status != ExportStatus.DONE or record_type not in _VISIBLE:
        return False
    ids = sorted(set(job.record_ids))
    visible = _VISIBLE[record_type](user)
    seen = sum(visible.filter(pk__in=ids[start : start + _CHUNK]).count() for start in range(0, len(ids), _CHUNK))
    return seen != len(ids)


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
