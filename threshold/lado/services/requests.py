"""Requests for information: the LADO asks the employer's case manager, the product reminds and chases.

A request is made on a LADO case and addressed to the case manager of the employer's allegation the case
came from (``case.contact.allegation``). It is a row in the case manager's work list (a deadline of kind
``information-request`` on the allegation), reminded the working day before its date and chased after it at
the interval the LADO set, up to the limit, by the daily reminder pass
(``threshold.lado.services.request_chases.requests_chase``). The reply lands on
the case. Every message sent is an ``InformationChase`` row, so the LADO sees the chase history and no stage
is sent twice.

What the LADO asked for (``what``) and the reply are case data: they are shown in the requests on the case page
(to the LADO service that may change the case, not to partners it is shared with) and on the allegation page,
and the reply in the allegation's chronology; never in the case's chronology (partners read it), a
notification, an email, a deadline label or the audit trail's details.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.core.locking import bump_version
from threshold.jinja2 import govuk_date
from threshold.lado.models import Case, CaseStatus, ChaseStage, InformationChase, InformationRequest, RequestStatus
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction
from threshold.people.subjects import users_not_about
from threshold.timescales.models import DeadlineState
from threshold.timescales.services import DeadlineSpec, deadlines_sync

KIND = "information-request"
LABEL = "Request for information from the LADO"
CHASE_EVERY = (1, 28)
CHASE_LIMIT = (0, 10)
WHAT_LIMIT = 5000
REPLY_LIMIT = 10000


def addressee(allegation: Allegation) -> User | None:
    """Who a request on ``allegation`` goes to: its case manager, while they may still act on it.

    Not one who is or could be its subject, nor one who has left the employer (the allegation still names them as
    its case manager): they would be told its reference and chased, and nobody who could answer would be.
    """
    manager = allegation.case_manager
    if manager is None or not manager.is_active or not users_not_about(allegation.subject, [manager]):
        return None
    return manager if fetch.visible_allegations(manager, "change").filter(pk=allegation.pk).exists() else None


def request_allegation(case: Case) -> Allegation | None:
    """The employer's allegation in Threshold the case came from, if there is one."""
    if case.contact is None or case.contact.allegation_id is None:
        return None
    return case.contact.allegation


def information_request(
    *,
    actor: User,
    case: Case,
    what: str,
    due_on: dt.date | None,
    chase_every_days: int | None = 3,
    chase_limit: int | None = 3,
    audit_context: AuditContext | None = None,
) -> InformationRequest:
    """The LADO asks the employer's case manager for an update or information by a date.

    Refused (a message for the whole form) when the case did not come from an employer's allegation in
    Threshold, the allegation has no case manager, or its case manager is or could be the adult concerned.
    """
    require_case(actor, case, "change")
    errors: dict[str, str] = {}
    allegation = request_allegation(case)
    asked_of = addressee(allegation) if allegation is not None else None
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = f"This case is {case.get_status_display().lower()}: requests are made on open cases"
    elif allegation is None:
        errors["__all__"] = (
            "This case did not come from an employer's referral in Threshold: ask the employer by phone or email"
        )
    elif asked_of is None:
        errors["__all__"] = (
            "The employer's allegation has no case manager who can be asked in Threshold: ask the employer by"
            " phone or email"
        )
    what = text(what)
    if not what:
        errors["what"] = "Enter what you are asking the employer for"
    elif len(what) > WHAT_LIMIT:
        errors["what"] = f"What you are asking for must be {WHAT_LIMIT:,} characters or fewer"
    today = timezone.localdate()
    if due_on is None:
        errors["due_on"] = "Enter the date you need it by"
    elif due_on < today:
        errors["due_on"] = "The date you need it by must be today or in the future"
    if chase_every_days is None:
        errors["chase_every_days"] = "Enter how many days apart to chase"
    elif not CHASE_EVERY[0] <= chase_every_days <= CHASE_EVERY[1]:
        errors["chase_every_days"] = f"Chase every {CHASE_EVERY[0]} to {CHASE_EVERY[1]} days"
    if chase_limit is None:
        errors["chase_limit"] = "Enter how many times to chase"
    elif not CHASE_LIMIT[0] <= chase_limit <= CHASE_LIMIT[1]:
        errors["chase_limit"] = f"Chase {CHASE_LIMIT[0]} to {CHASE_LIMIT[1]} times"
    if errors:
        raise ValidationError(errors)
    assert allegation is not None
    assert asked_of is not None
    assert due_on is not None
    assert chase_every_days is not None
    assert chase_limit is not None
    with transaction.atomic(durable=True):
        request = InformationRequest.objects.create(
            case=case,
            allegation=allegation,
            asked_of=asked_of,
            what=what,
            due_on=due_on,
            chase_every_days=chase_every_days,
            chase_limit=chase_limit,
            requested_by=actor,
        )
        InformationChase.objects.create(
            request=request, stage=ChaseStage.REQUESTED, sent_on=today, sent_to=asked_of, recorded_by=actor
        )
        record_case_event(
            actor=actor,
            case=case,
            action="case.information_requested",
            # What was asked is shown in the case's requests, which partners do not see; not in the chronology.
            text=f"Information requested from the employer's case manager by {govuk_date(due_on)}.",
            audit_context=audit_context,
            row=request.pk,
            details={
                "allegation": allegation.pk,
                "due_on": due_on.isoformat(),
                "chase_every_days": chase_every_days,
                "chase_limit": chase_limit,
            },
        )
        notify_case_manager(request, asked_of, stage="requested", text=_request_text(request))
        request_deadlines_sync(allegation)
    return request


def _request_text(request: InformationRequest) -> str:
    return f"Request for information on {request.allegation.reference}, due {govuk_date(request.due_on)}"


def notify_case_manager(request: InformationRequest, recipient: User, *, stage: str, text: str) -> None:
    """Tell the case manager about a request at one stage (its reference and date only, never what was asked)."""
    notify_in_transaction(
        recipients=[recipient],
        kind=NotificationKind.INFORMATION_REQUEST,
        text=text,
        key=f"request:{request.pk}:{stage}",
        url=reverse("allegation_detail", args=[request.allegation_id]) + "#information-requests",
        reference=request.allegation.reference,
        subject=request.allegation.subject,
    )


def request_deadlines_sync(allegation: Allegation) -> None:
    """The allegation's ``information-request`` rows: one per request, in the case manager's work list.

    Open until the reply (then met on the reply's date); stopped, with the reason, when the LADO withdraws
    it or the LADO's case is no longer open (the conclusion and closure services should call this). The owner
    is the allegation's case manager now (the one asked, if it has none). Joins the caller's transaction.
    """
    specs = []
    for request in allegation.information_requests.select_related("asked_of", "case").order_by("pk"):
        state: str = DeadlineState.OPEN
        met_on = None
        reason = ""
        if request.status == RequestStatus.ANSWERED:
            state = DeadlineState.MET
            met_on = timezone.localdate(request.replied_at) if request.replied_at else request.due_on
        elif request.status == RequestStatus.WITHDRAWN:
            state = DeadlineState.STOPPED
            reason = "Withdrawn by the LADO"
        elif request.case.status != CaseStatus.OPEN:
            # No longer chased (``requests_chase`` chases open cases only): the LADO's case has moved on.
            state = DeadlineState.STOPPED
            reason = f"The LADO's case is {request.case.get_status_display().lower()}"
        specs.append(
            DeadlineSpec(
                kind=KIND,
                key=f"request-{request.pk}",
                label=LABEL,
                source="Asked by the LADO on the case this allegation was referred to",
                owner=allegation.case_manager or request.asked_of,
                due_on=request.due_on,
                state=state,
                met_on=met_on,
                reason=reason,
            )
        )
    deadlines_sync(
        record=allegation,
        organisation=allegation.organisation,
        reference=allegation.reference,
        specs=specs,
        kinds=[KIND],
    )


def _require_open_request(request: InformationRequest, what: str) -> None:
    if request.status != RequestStatus.OPEN:
        raise ValidationError({"__all__": f"This request has been {request.get_status_display().lower()}: {what}"})


def information_reply(
    *,
    actor: User,
    request: InformationRequest,
    reply: str,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> InformationRequest:
    """The employer's case manager answers a request; the reply lands on the case and the deadline is met."""
    allegation = request.allegation
    if not fetch.visible_allegations(actor, "change").filter(pk=allegation.pk).exists():
        raise PermissionDenied("You may not answer requests on this allegation.")
    reply = text(reply)
    if not reply:
        raise ValidationError({"reply": "Enter your reply to the LADO"})
    if len(reply) > REPLY_LIMIT:
        raise ValidationError({"reply": f"Your reply must be {REPLY_LIMIT:,} characters or fewer"})
    with transaction.atomic(durable=True):
        # The version check comes first: a second reply from a form opened before the first gets the conflict page.
        bump_version(request, expected_version)
        _require_open_request(request, "it can no longer be answered")
        now = timezone.now()
        request.reply = reply
        request.replied_at = now
        request.replied_by = actor
        request.status = RequestStatus.ANSWERED
        request.save(update_fields=["reply", "replied_at", "replied_by", "status"])
        context = context_for(actor, audit_context)
        audit_record(
            context=context,
            action="allegation.information_replied",
            record_type="allegation",
            record_id=allegation.pk,
            organisation=allegation.organisation,
            changes={"status": (RequestStatus.OPEN.value, RequestStatus.ANSWERED.value)},
            details={"request": request.pk, "case": request.case_id},
        )
        chronology_record_event(
            record=allegation,
            text=f"Replied to the LADO's request for information due {govuk_date(request.due_on)}: {reply}",
            actor=actor,
        )
        case = request.case
        audit_record(
            context=context,
            action="case.information_replied",
            record_type="case",
            record_id=case.pk,
            organisation=case.local_authority,
            details={"request": request.pk, "allegation": allegation.pk},
        )
        chronology_record_event(
            record=case,
            text=(
                f"The employer's case manager replied to the request for information due {govuk_date(request.due_on)}."
            ),
            actor=actor,
        )
        notify_in_transaction(
            recipients=[request.requested_by],
            kind=NotificationKind.INFORMATION_REPLY,
            text=f"Reply to your request for information on {case.reference}",
            key=f"request:{request.pk}:reply",
            url=reverse("case_detail", args=[case.pk]) + "#information-requests",
            reference=case.reference,
            subject=case.subject,
            about=case,  # the LADO who asked may have left the service since
        )
        request_deadlines_sync(allegation)
    return request


def information_withdraw(
    *,
    actor: User,
    request: InformationRequest,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> InformationRequest:
    """The LADO withdraws an open request: no more reminders or chases, and it leaves the work list."""
    case = request.case
    require_case(actor, case, "change")
    with transaction.atomic(durable=True):
        bump_version(request, expected_version)
        _require_open_request(request, "it can no longer be withdrawn")
        request.status = RequestStatus.WITHDRAWN
        request.save(update_fields=["status"])
        record_case_event(
            actor=actor,
            case=case,
            action="case.information_withdrawn",
            text=f"Request for information due {govuk_date(request.due_on)} withdrawn.",
            audit_context=audit_context,
            row=request.pk,
            changes={"status": (RequestStatus.OPEN.value, RequestStatus.WITHDRAWN.value)},
        )
        request_deadlines_sync(request.allegation)
    return request
