"""Sharing a concern: any member of staff, anonymously if they choose, routed past a conflicted headteacher."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import recipients
from threshold.concerns.models import (
    SHARED_HOW_AROSE,
    Concern,
    ConcernDetails,
    ConcernStatus,
    Routing,
)
from threshold.concerns.services.common import _day_only, routing_of, subject_person
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.core.locking import hold
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction
from threshold.people.subjects import SubjectToConfirm, subject_confirmation_record, typed_subject


def _member_meant(*, organisation: Organisation, name: str, confirmation: str) -> tuple[User | None, list[User]]:
    """The one colleague (of the setting or its trust) a typed name means, and those it could still mean.

    "Mrs Head", "H. Head" or "Hanna Head" could be Hana Head: unless the
    sharer says who is meant (or that it is nobody who uses Threshold),
    ``SubjectToConfirm`` asks them. A possible match they do not confirm still
    hides the concern from that colleague, and routes it as if it were them.
    """
    if not name.strip():
        return None, []
    organisations = [organisation, *([organisation.trust] if organisation.trust is not None else [])]
    return typed_subject(
        name=name, organisations=organisations, confirmation=confirmation, field="subject_confirmation"
    )


def shared_tell_in_transaction(*, concern: Concern, actor: User | None) -> None:
    """Tell those who will triage a new concern that it is waiting for them, and start its triage clock.

    A concern the setting handles goes to its head and DSLs; one routed past the head to those 13.3 names
    (``routed_recipients_tell_in_transaction``). A named share tells them at once, all but the sharer; an
    anonymous one (``actor`` None) the next night, from the anonymous-intake job, everyone (ADR 0012).
    Joins the caller's transaction.
    """
    concern_deadlines_sync(concern)
    if concern.status != ConcernStatus.NEW:
        return  # triaged already (an anonymous one, the day it was shared): nothing waits for anyone
    if concern.routed_to_trust:
        routed_recipients_tell_in_transaction(concern=concern, actor=actor)
        return
    notify_in_transaction(
        recipients=[user for user in recipients.handlers(concern) if actor is None or user.pk != actor.pk],
        kind=NotificationKind.CONCERN_SHARED,
        text=f"A concern has been shared with your setting, to triage: concern {concern.reference}.",
        key=f"concern:shared:{concern.pk}",
        url=reverse("concern_triage", args=[concern.pk]),
        reference=concern.reference,
        subject=concern.subject,
    )


def routed_recipients_tell_in_transaction(*, concern: Concern, actor: User | None) -> None:
    """Tell those a concern routed past the head goes to (13.3); joins the caller's transaction.

    In a trust's school: the trust's directors of school and DSLs and the school's chair of governors; with
    no trust, the governance role. A named share tells them at once, all but the sharer; an anonymous one
    (``actor`` None) the next night, from the anonymous-intake job: the notification's time would pin the
    sharer (ADR 0012).
    """
    notify_in_transaction(
        recipients=[user for user in recipients.routed_recipients(concern) if actor is None or user.pk != actor.pk],
        kind=NotificationKind.CONCERN_ROUTED,
        text=f"A concern has been routed to you: concern {concern.reference}.",
        key=f"concern:routed:{concern.pk}",
        url=reverse("concern_detail", args=[concern.pk]),
        reference=concern.reference,
        subject=concern.subject,
    )


def concern_share(
    *,
    actor: User,
    organisation: Organisation,
    subject_user: User | None,
    subject_name: str,
    subject_role: str,
    anonymous: bool,
    raised_on: dt.date,
    how_arose: str,
    details: str,
    headteacher_conflict: bool,
    raised_by: str = "",
    subject_confirmation: str = "",
    audit_context: AuditContext | None = None,
) -> Concern:
    """Share a concern (appendix 2): signed, timed and dated, or anonymous with no identity stored.

    ``subject_user`` is a colleague with an account (or the actor, for a
    self-referral); otherwise ``subject_name`` names someone without one.
    ``raised_by`` names who raised it (and their relationship) when the
    actor records a concern on someone else's behalf, such as a parent's
    complaint; the actor still signs the record. ``subject_confirmation``
    answers "who is this?" when the typed name could mean a colleague (their
    user id, or ``NOT_A_MEMBER``).
    """
    details = details.strip()
    errors = {}
    possible: list[User] = []
    question: SubjectToConfirm | None = None
    if subject_user is None:
        # A typed name that is a colleague's is that colleague: linking the
        # account keeps the record from them (subject exclusion) and routes a
        # concern about the headteacher to the trust. A name that only could
        # be theirs is asked about (SubjectToConfirm).
        try:
            subject_user, possible = _member_meant(
                organisation=organisation, name=subject_name, confirmation=subject_confirmation
            )
        except SubjectToConfirm as asked:
            question = asked
    subject_name = (subject_user.full_name if subject_user else subject_name).strip()
    if not details:
        errors["details"] = "Enter the details of the concern"
    if not subject_name:
        errors["subject_name"] = "Enter the name of the person the concern is about"
    if how_arose not in dict(SHARED_HOW_AROSE):
        errors["how_arose"] = "Choose how the concern arose"
    if raised_on > timezone.localdate():
        errors["raised_on"] = "Date the concern was raised must be today or in the past"
    is_self_referral = subject_user is not None and subject_user.pk == actor.pk
    if raised_by.strip() and anonymous:
        errors["raised_by"] = "A concern recorded for someone else cannot be anonymous: share it with your name"
    if is_self_referral and anonymous:
        errors["anonymous"] = "A self-referral cannot be anonymous: choose to share it with your name"
    if question is not None:
        raise question.with_errors(errors)
    if errors:
        raise ValidationError(errors)
    routing = routing_of(
        organisation=organisation,
        subject_user=subject_user,
        headteacher_conflict=headteacher_conflict,
        possible=possible,
    )
    # An anonymous concern keeps only the day it was shared: an exact time
    # could be matched against who was signed in, or at their desk, then.
    now = _day_only(timezone.now()) if anonymous else timezone.now()
    # An anonymous share is audited later, by a system job (ADR 0012): nothing of this request goes in.
    context = None if anonymous else context_for(actor, audit_context)
    with transaction.atomic(durable=True):
        # Two staff sharing concerns about Tom at once: the second waits, then finds the first's record of him (one
        # record of a person per organisation). First, before any audit event: an import's batch takes the trail
        # first and records people after, so holding the setting there would deadlock with a share.
        hold(organisation)
        subject = subject_person(
            organisation=organisation,
            user=subject_user,
            name=subject_name,
            role=subject_role.strip(),
            recorded_at=now,
            context=context,
        )
        if not anonymous:
            # An anonymous sharer's answer is not kept: it would name them.
            subject_confirmation_record(
                actor=actor,
                person=subject,
                candidates=possible,
                organisation=organisation,
                confirmation=subject_confirmation,
                audit_context=audit_context,
            )
        concern = Concern.objects.create(
            organisation=organisation,
            subject=subject,
            reporter=None if anonymous else actor,
            is_anonymous=anonymous,
            routed_to_trust=routing != Routing.SETTING,
            summary=details,
            raised_on=raised_on,
            created_at=now,
        )
        ConcernDetails.objects.create(
            concern=concern,
            subject_role=subject_role.strip(),
            is_self_referral=is_self_referral,
            how_arose=how_arose,
            headteacher_conflict=headteacher_conflict,
            routing=routing,
            raised_by=raised_by.strip(),
            signed_name="" if anonymous else actor.full_name,
            signed_at=now,
        )
        if not anonymous:
            # Named shares are audited now. An anonymous one is not: an event's
            # exact time and its place next to the reporter's own events would
            # identify them. The nightly anonymous-intake batch records it, and tells those it is routed to
            # (threshold.concerns.services.anonymous_intake, ADR 0012).
            audit_record(
                context=context_for(actor, audit_context),
                action="concern.shared",
                record_type="concern",
                record_id=concern.pk,
                organisation=organisation,
                details={"routing": routing, "anonymous": anonymous, "self_referral": is_self_referral},
            )
            shared_tell_in_transaction(concern=concern, actor=actor)
        if anonymous:
            # This entry keeps the day only, like the concern itself.
            chronology_record_event(
                record=concern, text="Concern shared anonymously.", actor=None, occurred_at=now, recorded_at=now
            )
        else:
            chronology_record_event(
                record=concern, text=f"Concern shared by {actor.full_name}.", actor=actor, occurred_at=now
            )
    return concern
