"""Shared by the concern services: times, conflicts, the subject person and routing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.concerns import selectors
from threshold.concerns.models import (
    Routing,
)
from threshold.people.models import Person, PersonKind

LONDON = ZoneInfo("Europe/London")


def subject_person(
    *,
    organisation: Organisation,
    user: User | None,
    name: str,
    role: str,
    recorded_at: dt.datetime,
    context: AuditContext | None,
) -> Person:
    """The organisation's record of the person concerned, reused when it exists; a new record is audited.

    ``context`` is None for an anonymous share: the event's exact time would
    single out the sender, so the anonymous-intake job records it later
    (ADR 0012).
    """
    if user is not None:
        person = Person.objects.filter(organisation=organisation, user=user).first()
    else:
        person = Person.objects.filter(organisation=organisation, user__isnull=True, full_name__iexact=name).first()
    if person is not None:
        return person
    person = Person.objects.create(
        organisation=organisation,
        kind=PersonKind.ADULT,
        full_name=user.full_name if user else name,
        email=user.email if user else "",
        role_title=role,
        user=user,
        employer=organisation,
        created_at=recorded_at,
    )
    if context is None:
        return person
    audit_record(
        context=context,
        action="person.recorded",
        record_type="person",
        record_id=person.pk,
        organisation=organisation,
        details={"kind": PersonKind.ADULT, "linked_to_account": user is not None},
    )
    return person


def _day_only(moment: dt.datetime) -> dt.datetime:
    """Midnight (Europe/London) of the day of ``moment``, in UTC: a date that cannot single out a sender by time."""
    day = timezone.localdate(moment)
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)


def routing_of(
    *,
    organisation: Organisation,
    subject_user: User | None,
    headteacher_conflict: bool,
    possible: list[User] | None = None,
) -> str:
    """Section 13.3: a concern about the headteacher, or where they have a conflict, goes above them.

    A name that could be the headteacher's (``possible``, not confirmed
    either way) is routed as if it were: the head cannot see it anyway.
    """
    about = [subject_user] if subject_user is not None else []
    about.extend(possible or [])
    about_head = any(selectors.is_headteacher(user=user, organisation=organisation) for user in about)
    if not (about_head or headteacher_conflict):
        return Routing.SETTING
    if organisation.trust_id or organisation.kind == OrganisationKind.ACADEMY_TRUST:
        return Routing.TRUST
    # No trust: the organisation's pack names who receives it (``[routing] no_trust_recipient``).
    return Routing(organisation.pack_in_force().no_trust_recipient)
