"""Closing a concern (a DSL's closing waits for the head's sign-off), and re-routing one past a conflicted head."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import recipients, selectors
from threshold.concerns.models import Concern, ConcernDetails, ConcernStatus, Routing, SignOffKind
from threshold.concerns.services.common import routing_of
from threshold.concerns.services.deadlines import concern_deadlines_sync, concern_sign_off_deadline_sync
from threshold.concerns.services.share import routed_recipients_tell_in_transaction
from threshold.concerns.services.sign_off import awaiting_sign_off, closable_problem, sign_off_request_in_transaction
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version
from threshold.notifications.services import notifications_withdraw_in_transaction


def concern_close(
    *, actor: User, concern: Concern, expected_version: int, reason: str, audit_context: AuditContext | None = None
) -> Concern:
    """Close a triaged concern with a reason (the caller fetched it with "change").

    The head "will make the ultimate decision" (13.3): when the actor is not the one who signs off
    (``recipients.decides_alone``), the concern stays open and the head is asked to sign the closing off
    (``services.sign_off``); it closes when they agree.
    """
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the concern is being closed"
    if problem := closable_problem(concern):
        errors["__all__"] = problem
    elif awaiting_sign_off(concern) is not None:
        errors["__all__"] = "A decision on this concern is already awaiting the headteacher's sign-off"
    if errors:
        raise ValidationError(errors)
    waits = not recipients.decides_alone(user=actor, concern=concern)
    with transaction.atomic(durable=True):
        seen_status = concern.status
        bump_version(concern, expected_version)
        current = concern
        if current.status != seen_status:
            raise ConflictError(current)
        if waits:
            sign_off_request_in_transaction(
                actor=actor,
                concern=current,
                kind=SignOffKind.CLOSURE,
                closure_reason=reason.strip(),
                audit_context=audit_context,
            )
            chronology_record_event(
                record=current,
                text=f"Asked to close the concern, awaiting the headteacher's sign-off: {reason.strip()}",
                actor=actor,
            )
            return current
        old_status = current.status
        current.status = ConcernStatus.CLOSED
        current.closed_reason = reason.strip()
        current.save(update_fields=["status", "closed_reason"])
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.closed",
            record_type="concern",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"status": (old_status, current.status)},
        )
        chronology_record_event(record=current, text=f"Closed: {current.closed_reason}", actor=actor)
        concern_deadlines_sync(current)
    return current


def concern_reroute(
    *, actor: User, concern: Concern, expected_version: int, reason: str, audit_context: AuditContext | None = None
) -> Concern:
    """Route a new concern past the setting when its headteacher or DSL has a conflict of interest (13.3).

    It goes to the trust (or, with no trust, the role the pack names) and the
    setting's handlers, the actor among them, no longer see it.
    """
    errors = {}
    if not reason.strip():
        errors["reroute_reason"] = "Enter the conflict of interest that means the setting cannot handle it"
    if concern.status != ConcernStatus.NEW or concern.routed_to_trust:
        errors["__all__"] = "Only a new concern the setting handles can be re-routed"
    if errors:
        raise ValidationError(errors)
    routing = routing_of(organisation=concern.organisation, subject_user=None, headteacher_conflict=True)
    if routing == Routing.GOVERNANCE and not selectors.governance_recipients(
        concern.organisation, subject=concern.subject
    ):
        # Re-routing would take it from the only people handling it and give it to nobody.
        raise ValidationError(
            {
                "reroute_reason": "Nobody in your setting's governance role uses Threshold yet, so re-routing would"
                " leave this concern with nobody. Ask your local authority to add your chair of governors or"
                " management committee first, or contact the LADO."
            }
        )
    with transaction.atomic(durable=True):
        bump_version(concern, expected_version)
        current = concern
        if current.routed_to_trust or current.status != ConcernStatus.NEW:
            raise ConflictError(current)
        current.routed_to_trust = True
        current.save(update_fields=["routed_to_trust"])
        ConcernDetails.objects.filter(concern=current).update(
            routing=routing, headteacher_conflict=True, reroute_reason=reason.strip()
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.rerouted",
            record_type="concern",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"routing": (Routing.SETTING, routing)},
        )
        chronology_record_event(
            record=current,
            text=f"Re-routed to {Routing(routing).label.lower()} for a conflict of interest: {reason.strip()}",
            actor=actor,
        )
        routed_recipients_tell_in_transaction(concern=current, actor=actor)
        # What the setting's handlers were told of it (it waits for their triage, its deadline) is no longer theirs.
        notifications_withdraw_in_transaction(reference=current.reference, about=current)
        # A decision still waiting for the head's sign-off is now the trust's (or governance's) to answer and be
        # reminded of: the head it is kept from must not stay the owner of its deadline.
        concern_sign_off_deadline_sync(current)
    return current
