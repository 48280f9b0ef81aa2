"""The anonymous-intake job: anonymous concerns reach the audit trail, and those they are routed to, the next night.

An anonymous concern keeps only the day it was shared. An audit event written
in the sharing request would undo that: its exact time, and a sequence number
next to the reporter's own events (the page they opened just before), point
at who shared it. A job queued by the request would too (the task row keeps
when it was queued), and so would an email sent from it. So the sharing request
writes and queues nothing; the system job ``anonymous-intake`` (``manage.py
anonymous_intake``, run nightly) records ``concern.shared`` for every anonymous
concern shared on an earlier day that has none yet, tells those who triage it
(the setting's head and DSLs, or those a concern routed past the head goes to,
policy section 13.3) and starts its triage clock, all in one batch whose time
says nothing about any one concern. ADR 0012 records the trade-off against
writing the event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record, lock_chain
from threshold.concerns.models import Concern, ConcernDetails
from threshold.concerns.services.common import _day_only
from threshold.concerns.services.share import shared_tell_in_transaction
from threshold.people.models import Person

logger = logging.getLogger(__name__)

INTAKE_JOB = "anonymous-intake"


def _recorded(action: str, record_type: str) -> QuerySet[AuditEvent]:
    """The events of one kind about the outer query's row (the trail's index on record type and id finds them)."""
    return AuditEvent.objects.filter(
        action=action, record_type=record_type, record_id=Cast(OuterRef("pk"), output_field=CharField())
    )


def anonymous_intake(*, before: dt.datetime | None = None) -> int:
    """Write ``concern.shared`` (and the subject's ``person.recorded``) for anonymous concerns missing it.

    Only concerns shared before ``before`` (default: midnight today, London)
    are recorded, so a day's anonymous shares reach the trail together, the
    next day, in one batch whose time says nothing about any one of them.
    Each is told in the same batch to those who triage it, and its triage
    clock starts (``shared_tell_in_transaction``; a named share does both at
    once).
    Runs as the system job ``anonymous-intake``, in one transaction holding
    the chain's lock, so two runs at once cannot record a concern twice.
    Returns how many concerns it recorded.
    """
    # Midnight today: the batch takes in concerns shared on earlier days.
    cutoff = before or _day_only(timezone.now())
    context = AuditContext.system(INTAKE_JOB)
    with transaction.atomic():
        lock_chain()
        # Only the concerns still missing their event are read, never the whole trail: it grows every night.
        missing = list(
            # An imported concern was not shared in Threshold (a log's blank "raised by"): its import is its event.
            Concern.objects.filter(is_anonymous=True, imported=False, created_at__lt=cutoff)
            .filter(~Exists(_recorded("concern.shared", "concern")))
            .select_related("organisation", "subject")
            .order_by("pk")
        )
        subjects = {concern.subject_id for concern in missing}
        people = {
            str(pk)
            for pk in Person.objects.filter(pk__in=subjects)
            .filter(Exists(_recorded("person.recorded", "person")))
            .values_list("pk", flat=True)
        }
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
            # Everyone who triages it (or it is routed to), the sharer too if they are one: leaving one out would
            # name them. Its triage clock starts here too, not in the sharing request.
            shared_tell_in_transaction(concern=concern, actor=None)
    if missing:
        logger.info("Recorded %d anonymous concern(s) in the audit trail.", len(missing))
    return len(missing)
