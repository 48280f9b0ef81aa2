"""The daily chase of requests for information: the reminder before the date, and the chases after it.

Run by the reminder pass (``manage.py remind``, ``threshold.notifications.services.reminders``) with a system
actor. Each message sent is an ``InformationChase`` row, once per request, stage and number, and a notification
to the case manager that carries the allegation's reference and the date, never what was asked; the
notifications layer emails it. Making, answering and withdrawing a request is ``threshold.lado.services.requests``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.locking import hold
from threshold.jinja2 import govuk_date
from threshold.lado.models import CaseStatus, ChaseStage, InformationChase, InformationRequest, RequestStatus
from threshold.lado.services.requests import addressee, notify_case_manager
from threshold.policy import working_day_before


def reminder_day(request: InformationRequest) -> dt.date:
    """The working day before the request's date (England and Wales bank holidays and weekends skipped)."""
    return working_day_before(request.due_on)


def chase_day(request: InformationRequest, number: int) -> dt.date:
    """When chase ``number`` (1, 2, …) falls due: the request's date plus that many intervals."""
    return request.due_on + dt.timedelta(days=number * request.chase_every_days)


def _stage_due(request: InformationRequest, on: dt.date, sent: set[tuple[str, int]]) -> tuple[str, int] | None:
    """The one message to send about ``request`` on ``on``, if any: the reminder, or the latest chase due.

    A day the pass did not run is caught up with the latest message due, never every one missed; a chase
    later than one already sent is never followed by an earlier one.
    """
    if on < request.due_on:
        reminder = reminder_day(request)
        asked_on = timezone.localdate(request.requested_at)
        if reminder <= on and asked_on < reminder and (ChaseStage.REMINDER, 0) not in sent:
            return ChaseStage.REMINDER, 0
        return None
    if request.chase_limit < 1 or request.chase_every_days < 1:
        return None
    passed = (on - request.due_on).days // request.chase_every_days
    number = min(passed, request.chase_limit)
    if number < 1:
        return None
    latest_sent = max((n for stage, n in sent if stage == ChaseStage.CHASE), default=0)
    if number <= latest_sent:
        return None
    return ChaseStage.CHASE, number


def requests_chase(*, on: dt.date, audit_context: AuditContext) -> list[InformationChase]:
    """The daily pass: remind each open request the working day before its date, and chase it after.

    Called by ``manage.py remind`` with a system actor. Each message is an ``InformationChase`` row (once per
    request, stage and number) and a notification to the case manager; the notifications layer emails it.
    Returns the messages sent this time.
    """
    made: list[InformationChase] = []
    open_requests = (
        InformationRequest.objects.filter(status=RequestStatus.OPEN, case__status=CaseStatus.OPEN)
        .select_related("allegation", "allegation__case_manager", "allegation__subject", "asked_of", "case")
        .order_by("pk")
    )
    for request in open_requests:
        sent = set(request.chases.values_list("stage", "number"))
        due = _stage_due(request, on, sent)
        if due is None:
            continue
        stage, number = due
        recipient = addressee(request.allegation)
        if recipient is None:
            continue
        with transaction.atomic(durable=True):
            # Two passes at once (cron's and one run by hand): the second waits on the request, then finds the chase.
            hold(request)
            if InformationChase.objects.filter(request=request, stage=stage, number=number).exists():
                continue
            # Sent by the reminder pass on behalf of the LADO who asked (the row's author).
            chase = InformationChase.objects.create(
                request=request,
                stage=stage,
                number=number,
                sent_on=on,
                sent_to=recipient,
                recorded_by=request.requested_by,
            )
            due_words = govuk_date(request.due_on)
            if stage == ChaseStage.REMINDER:
                key = "reminder"
                words = f"Reminder: request for information on {request.allegation.reference}, due {due_words}"
            else:
                key = f"chase:{number}"
                words = (
                    f"Chased: request for information on {request.allegation.reference}, due"
                    f" {due_words} (chase {number} of {request.chase_limit})"
                )
            notify_case_manager(request, recipient, stage=key, text=words)
            audit_record(
                context=audit_context,
                action=f"case.information_{'reminded' if stage == ChaseStage.REMINDER else 'chased'}",
                record_type="case",
                record_id=request.case_id,
                organisation=request.case.local_authority,
                details={"request": request.pk, "stage": stage, "number": number, "on": on.isoformat()},
            )
        made.append(chase)
    return made
