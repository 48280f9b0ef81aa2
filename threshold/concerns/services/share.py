"""Sharing a concern: any member of staff, anonymously if they choose, routed past a conflicted headteacher."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.services import Actor, audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import selectors
from threshold.concerns.models import (
    Concern,
    ConcernDetails,
    HowArose,
    Routing,
)
from threshold.concerns.services.common import _day_only, _routing, _subject_person


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
    request: HttpRequest | None = None,
) -> Concern:
    """Share a concern (appendix 2): signed, timed and dated, or anonymous with no identity stored.

    ``subject_user`` is a colleague with an account (or the actor, for a
    self-referral); otherwise ``subject_name`` names someone without one.
    """
    details = details.strip()
    if subject_user is None:
        # A typed name that is a colleague's is that colleague: linking the
        # account keeps the record from them (subject exclusion) and routes a
        # concern about the headteacher to the trust.
        subject_user = selectors.member_named(organisation=organisation, name=subject_name)
    subject_name = (subject_user.full_name if subject_user else subject_name).strip()
    errors = {}
    if not details:
        errors["details"] = "Enter the details of the concern"
    if not subject_name:
        errors["subject_name"] = "Enter the name of the person the concern is about"
    if how_arose not in HowArose.values:
        errors["how_arose"] = "Choose how the concern arose"
    if raised_on > timezone.localdate():
        errors["raised_on"] = "Date the concern was raised must be today or in the past"
    is_self_referral = subject_user is not None and subject_user.pk == actor.pk
    if is_self_referral and anonymous:
        errors["anonymous"] = "A self-referral cannot be anonymous: choose to share it with your name"
    if errors:
        raise ValidationError(errors)
    routing = _routing(organisation=organisation, subject_user=subject_user, headteacher_conflict=headteacher_conflict)
    # An anonymous concern keeps only the day it was shared: an exact time
    # could be matched against who was signed in, or at their desk, then.
    now = _day_only(timezone.now()) if anonymous else timezone.now()
    audit_actor: Actor | User = Actor.anonymous() if anonymous else actor
    audit_request = None if anonymous else request
    with transaction.atomic():
        subject = _subject_person(
            organisation=organisation,
            user=subject_user,
            name=subject_name,
            role=subject_role.strip(),
            actor=audit_actor,
            recorded_at=now,
            request=audit_request,
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
            signed_name="" if anonymous else actor.full_name,
            signed_at=now,
        )
        audit_record(
            actor=audit_actor,
            action="concern.shared",
            record_type="concern",
            record_id=concern.pk,
            organisation=organisation,
            request=audit_request,
            details={"routing": routing, "anonymous": anonymous, "self_referral": is_self_referral},
        )
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
