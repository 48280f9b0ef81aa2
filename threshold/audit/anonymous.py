"""Auditing anonymous concerns in a nightly batch, so the trail cannot time or place the reporter.

An anonymous concern keeps only the day it was shared. An audit event written
in the sharing request would undo that: its exact time, and a sequence number
next to the reporter's own events (the page they opened just before), point
at who shared it. A job queued by the request would too (the task row keeps
when it was queued). So the sharing request writes and queues nothing; the
system job ``anonymous-intake`` (``manage.py audit record_anonymous``, run
nightly) records ``concern.shared`` for every anonymous concern shared on an
earlier day that has none yet. ADR 0012 records the trade-off against writing
the event in the same transaction.
"""

from __future__ import annotations

# access-lint: allow-module a system job (anonymous-intake): it reads anonymous concerns to audit them.
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record, lock_chain
from threshold.concerns.models import Concern, ConcernDetails

logger = logging.getLogger(__name__)

INTAKE_JOB = "anonymous-intake"
LONDON = ZoneInfo("Europe/London")


def start_of_today() -> dt.datetime:
    """Midnight (Europe/London) today, in UTC: the batch records concerns shared before it."""
    return dt.datetime.combine(timezone.localdate(), dt.time(), tzinfo=LONDON).astimezone(dt.UTC)


def _recorded_ids(action: str, record_type: str) -> set[str]:
    return set(AuditEvent.objects.filter(action=action, record_type=record_type).values_list("record_id", flat=True))


def audit_record_anonymous_shares(*, before: dt.datetime | None = None) -> int:
    """Write ``concern.shared`` (and the subject's ``person.recorded``) for anonymous concerns missing it.

    Only concerns shared before ``before`` (default: midnight today, London)
    are recorded, so a day's anonymous shares reach the trail together, the
    next day, in one batch whose time says nothing about any one of them.
    Runs as the system job ``anonymous-intake``, in one transaction holding
    the chain's lock, so two runs at once cannot record a concern twice.
    Returns how many concerns it recorded.
    """
    cutoff = before or start_of_today()
    context = AuditContext.system(INTAKE_JOB)
    with transaction.atomic():
        lock_chain()
        shared = _recorded_ids("concern.shared", "concern")
        people = _recorded_ids("person.recorded", "person")
        missing = [
            concern
            # An imported concern was not shared in Threshold (a log's blank "raised by"): its import is its event.
            for concern in Concern.objects.filter(is_anonymous=True, imported=False, created_at__lt=cutoff)
            .select_related("organisation", "subject")
            .order_by("pk")
            if str(concern.pk) not in shared
        ]
        routing = dict(ConcernDetails.objects.filter(concern__in=missing).values_list("concern_id", "routing"))
        for concern in missing:
            # A subject first recorded by this share (same day-only time) is audited here too, for the same reason.
            if concern.subject.created_at == concern.created_at and str(concern.subject_id) not in people:
                audit_record(
                    context=context,
                    action="person.recorded",
                    record_type="person",
                    record_id=concern.subject_id,
                    organisation=concern.organisation,
                    details={"kind": "adult", "recorded_for": "anonymous concern"},
                )
                people.add(str(concern.subject_id))
            audit_record(
                context=context,
                action="concern.shared",
                record_type="concern",
                record_id=concern.pk,
                organisation=concern.organisation,
                details={
                    "routing": routing.get(concern.pk, ""),
                    "anonymous": True,
                    "self_referral": False,
                    "shared_on": timezone.localdate(concern.created_at).isoformat(),
                },
            )
    if missing:
        logger.info("Recorded %d anonymous concern(s) in the audit trail.", len(missing))
    return len(missing)
