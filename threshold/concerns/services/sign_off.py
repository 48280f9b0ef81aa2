"""The headteacher's sign-off of a DSL's decision on a concern (section 13.3; ADR 0025).

"It is the headteacher's responsibility (or their representative …) to make the decision about contacting
the LADO … and to determine what constitutes a low-level concern" (section 13); "If the headteacher is not
the nominated person investigating a concern they will make the ultimate decision" (13.3). So when a DSL
(anyone who is not the one who signs off: ``recipients.signers``) decides:

- that a concern is low level or appropriate conduct, the decision waits: it is kept as a proposal and the
  concern stays new until the head agrees (then the triage is recorded as the DSL made it) or sends it back
  with a reason (then the concern is triaged again);
- that it is an allegation, the allegation opens at once (the employer has one working day to refer to the
  LADO, and that must not wait) and the head is asked to confirm it;
- to close a concern, it stays open until the head agrees.

The head's answer is ``concern_sign_off``. Each request and answer writes an audit event and a chronology
line, and keeps the head's "Sign off the DSL's decision" deadline (one working day) in step.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import recipients
from threshold.concerns.models import (
    Concern,
    ConcernStatus,
    Decision,
    FurtherAction,
    HeadSignOff,
    SignOffKind,
    SignOffState,
    Triage,
)
from threshold.concerns.services.deadlines import concern_deadlines_sync, concern_sign_off_deadline_sync
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version

STATUS_FOR_DECISION = {
    Decision.LOW_LEVEL: ConcernStatus.LOW_LEVEL,
    Decision.ALLEGATION: ConcernStatus.ALLEGATION,
    Decision.APPROPRIATE: ConcernStatus.APPROPRIATE,
}


CLOSABLE = (ConcernStatus.LOW_LEVEL, ConcernStatus.APPROPRIATE)


def closable_problem(concern: Concern) -> str:
    """Why the concern cannot be closed now (empty: it can): its status, or its low-level record unfinished."""
    if concern.status not in CLOSABLE:
        return "Only a low-level concern or appropriate conduct can be closed here"
    if concern.status != ConcernStatus.LOW_LEVEL:
        return ""
    record = getattr(concern, "low_level_record", None)
    if record is None or not record.further_action or not record.breach_category:
        return "Complete the low-level concern record before closing it"
    if record.further_action != FurtherAction.NONE and record.action_done_on is None:
        return "Record the date the further action was done before closing the concern"
    return ""


def awaiting_sign_off(concern: Concern) -> HeadSignOff | None:
    """The sign-off awaiting the head on this concern (the caller fetched the concern through access)."""
    return concern.sign_offs.filter(state=SignOffState.AWAITING).first()


def may_sign_off(*, user: User, concern: Concern) -> bool:
    """The user signs off decisions on this concern: its head (``recipients.signers``) or a director of its trust."""
    return user in recipients.signers(concern) or recipients.directs_trust_of(user=user, concern=concern)


def sign_off_request_in_transaction(
    *,
    actor: User,
    concern: Concern,
    kind: str,
    decision: str = "",
    proposal: dict[str, Any] | None = None,
    closure_reason: str = "",
    audit_context: AuditContext | None = None,
) -> HeadSignOff:
    """Ask the head to sign off the actor's decision; joins the caller's transaction (triage or closure)."""
    sign_off = HeadSignOff.objects.create(
        concern=concern,
        kind=kind,
        decision=decision,
        proposal=proposal or {},
        closure_reason=closure_reason,
        requested_by=actor,
    )
    audit_record(
        context=context_for(actor, audit_context),
        action="concern.sign_off_requested",
        record_type="concern",
        record_id=concern.pk,
        organisation=concern.organisation,
        details={"sign_off": sign_off.pk, "kind": kind, "decision": decision},
    )
    concern_sign_off_deadline_sync(concern)
    return sign_off


def _triage_from_proposal(concern: Concern, proposal: dict[str, Any]) -> Triage:
    """The triage the DSL made, recorded now that the head has agreed (decided by the DSL, when they decided)."""
    values = dict(proposal)
    decided_at = parse_datetime(str(values.pop("decided_at"))) or timezone.now()
    return Triage.objects.create(concern=concern, decided_at=decided_at, **values)


def concern_sign_off(
    *,
    actor: User,
    concern: Concern,
    expected_version: int,
    agree: bool,
    reason: str = "",
    audit_context: AuditContext | None = None,
) -> HeadSignOff:
    """The head agrees with the DSL's decision (it takes effect) or sends it back with a reason.

    The caller fetched the concern with "change"; only the head (or a director of the trust) answers.
    Agreeing to a low-level or appropriate-conduct decision records the triage; agreeing to a closure closes
    the concern; sending back leaves the concern as it was (a new concern is triaged again). An allegation
    already open stays open whatever the answer: the head, as its case manager, decides what follows there.
    """
    reason = reason.strip()
    errors: dict[str, str] = {}
    pending = awaiting_sign_off(concern)
    if pending is None:
        errors["__all__"] = "There is no decision awaiting sign-off on this concern"
    elif not may_sign_off(user=actor, concern=concern):
        errors["__all__"] = "Only the headteacher, or the trust for a concern routed past them, can sign this off"
    if not agree and not reason:
        errors["reason"] = "Enter why you are sending the decision back"
    if errors:
        raise ValidationError(errors)
    assert pending is not None
    # The record may have changed since the DSL asked: closing still needs what closing always needs.
    if agree and pending.kind == SignOffKind.CLOSURE and (problem := closable_problem(concern)):
        raise ValidationError({"__all__": problem})
    if agree and pending.proposal and concern.status != ConcernStatus.NEW:
        # Escalated by a pattern review meanwhile: the decision no longer fits the concern.
        raise ValidationError(
            {"__all__": f"The concern is now {concern.get_status_display().lower()}: send the decision back instead"}
        )
    with transaction.atomic(durable=True):
        bump_version(concern, expected_version)
        current = concern
        sign_off = HeadSignOff.objects.filter(pk=pending.pk, state=SignOffState.AWAITING).first()
        if sign_off is None:
            raise ConflictError(current)
        sign_off.state = SignOffState.AGREED if agree else SignOffState.SENT_BACK
        sign_off.decided_by = actor
        sign_off.decided_at = timezone.now()
        sign_off.reason = reason
        sign_off.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        old_status = current.status
        text = _apply(current, sign_off, agree)
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.signed_off" if agree else "concern.sign_off_sent_back",
            record_type="concern",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"status": (old_status, current.status)} if old_status != current.status else {},
            details={"sign_off": sign_off.pk, "kind": sign_off.kind, "decision": sign_off.decision},
        )
        chronology_record_event(record=current, text=text, actor=actor)
        concern_sign_off_deadline_sync(current)
        # Closed, signed off, or sent back to be triaged again: the concern's own clocks follow.
        concern_deadlines_sync(current)
    return sign_off


def _apply(concern: Concern, sign_off: HeadSignOff, agree: bool) -> str:
    """Make the answer take effect on the concern; the chronology line that says so."""
    if sign_off.kind == SignOffKind.CLOSURE:
        if not agree:
            return f"The headteacher sent back the request to close the concern: {sign_off.reason}"
        concern.status = ConcernStatus.CLOSED
        concern.closed_reason = sign_off.closure_reason
        concern.save(update_fields=["status", "closed_reason"])
        return f"The headteacher signed off closing the concern. Closed: {concern.closed_reason}"
    label = Decision(sign_off.decision).label.lower()
    if sign_off.decision == Decision.ALLEGATION:
        if agree:
            return f"The headteacher confirmed the decision: {label}."
        return (
            f"The headteacher did not confirm the decision ({label}): {sign_off.reason} The allegation stays open;"
            " what follows is decided on the allegation."
        )
    if not agree:
        return f"The headteacher sent back the decision ({label}) to be triaged again: {sign_off.reason}"
    _triage_from_proposal(concern, sign_off.proposal)
    concern.status = STATUS_FOR_DECISION[Decision(sign_off.decision)]
    concern.save(update_fields=["status"])
    return f"The headteacher signed off the decision: {label}."
