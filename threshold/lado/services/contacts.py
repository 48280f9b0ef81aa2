"""Contacts into the LADO service: from an employer's referral in Threshold, or recorded from anyone else.

The protocol asks the LADO to record, for every contact, "the name of the
professional and agency making the contact, brief details of the
circumstances and basic details of the adult under discussion", so that
"these details are recorded and could be drawn upon if further concerns come
about in relation to that individual". Advice is given within one working
day (National LADO Network minimum standards); ``advice_due`` is that clock (kept with the LADO's
selectors, which the deadline rows read too, and importable from here).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import Contact, ContactMethod, ContactSource, ContactStatus
from threshold.lado.selectors import AdviceClock as AdviceClock
from threshold.lado.selectors import advice_due as advice_due
from threshold.lado.services.common import (
    record_contact_event,
    record_person_event,
    require_contact,
    text,
)
from threshold.lado.services.deadlines import contact_deadlines_sync
from threshold.lado.services.employer_link import employer_tell_in_transaction
from threshold.lado.services.employer_timeliness import employer_knew_errors
from threshold.notifications.models import NotificationKind
from threshold.notifications.recipients import lado_inbox_team
from threshold.notifications.services import notify_in_transaction
from threshold.people.models import Person, PersonKind
from threshold.people.subjects import SubjectToConfirm, subject_confirmation_record, typed_subject

# Sources that are a member of the public rather than a professional: no agency to name.
PUBLIC_SOURCES = frozenset({ContactSource.PARENT, ContactSource.PUBLIC})


def adult_person(*, local_authority: Organisation, name: str, born: dt.date | None, role: str, **extra: Any) -> Person:
    """The local authority's own record of the adult: each organisation records people once, for itself."""
    return Person.objects.create(
        organisation=local_authority,
        kind=PersonKind.ADULT,
        full_name=name,
        date_of_birth=born,
        role_title=role,
        **extra,
    )


def _member_of_service(
    *,
    local_authority: Organisation,
    name: str,
    email: str = "",
    confirmation: str = "",
    members: list[User] | None = None,
) -> tuple[User | None, list[User]]:
    """The member of the local authority a typed adult's name means, and those it could still mean.

    A contact about a LADO ("Lara Lado", "Mrs Lado", "Larissa Lado") typed by
    a colleague is hidden from her whatever is answered; the recorder says
    who it is (linking her account) or that it is nobody who uses Threshold
    (``SubjectToConfirm`` asks). An employer's referral asks nobody: an exact
    name links, and any possible match stays hidden from that member.
    """
    if not name.strip():
        return None, []
    return typed_subject(
        name=name,
        email=email,
        organisations=[local_authority],
        confirmation=confirmation,
        field="subject_confirmation",
        members=members,
    )


def member_named_exactly(*, local_authority: Organisation, name: str, members: list[User] | None = None) -> User | None:
    """The member a name means exactly, if any: for an employer's referral or an imported row, nobody to ask.

    A name that could mean several members links none; rule 2's name keys keep the record hidden from each.
    ``members`` is ``people.subjects.members_of([local_authority])`` read once by a caller naming many adults.
    """
    try:
        member, _possible = _member_of_service(local_authority=local_authority, name=name, members=members)
    except SubjectToConfirm:
        # Several could be meant: link none; every possible match stays hidden from the contact.
        return None
    return member


def notify_new_contact(contact: Contact, recorded_by: User | None = None) -> None:
    """Tell the authority's LADOs and managers (not who recorded it, nor its subject) of a new contact in the inbox."""
    notify_in_transaction(
        recipients=[user for user in lado_inbox_team(contact.local_authority) if user != recorded_by],
        kind=NotificationKind.NEW_REFERRAL,
        text=f"New {'contact' if recorded_by else 'referral'} in the inbox: {contact.reference}",
        key=f"new_referral:contact:{contact.pk}",
        url=reverse("contact_detail", args=[contact.pk]),
        reference=contact.reference,
        subject=contact.subject,
    )


def recording_local_authorities(actor: User) -> list[Organisation]:
    """The local authorities whose LADO service this person may record contacts for."""
    ids = scope_for(actor).lado_contact_change
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


class ContactDetails(TypedDict):
    """What the contact form gives ``contact_record``: the contact, who made it, and the adult it is about."""

    received_at: dt.datetime | None
    method: str
    source: str
    summary: str
    referrer_name: str
    referrer_agency: str
    referrer_contact: str
    adult_name: str
    adult_date_of_birth: dt.date | None
    adult_role: str
    adult_email: str
    employer_name: str
    subject_confirmation: str
    employer_knew_on: dt.date | None
    employer_knew_not_known: bool
    subject_is_teacher: bool | None


def contact_errors(
    *,
    received_at: dt.datetime | None,
    method: str,
    source: str,
    summary: str,
    referrer_name: str,
    referrer_agency: str,
    adult_date_of_birth: dt.date | None,
    employer_knew_on: dt.date | None,
    employer_knew_not_known: bool,
) -> dict[str, str]:
    """What is wrong with a contact's answers, by field: ``contact_record`` refuses them; the form says them at once.

    When it was received (in the past), how and from whom (a professional named, with their agency), the adult's
    date of birth in the past, the circumstances, and when the employer first knew (``employer_knew_errors``).
    """
    errors: dict[str, str] = {}
    if not isinstance(received_at, dt.datetime):
        errors["received_at"] = "Enter the date and time the contact was received"
    elif received_at > timezone.now():
        errors["received_at"] = "The date and time received must be in the past"
    method = text(method)
    if method not in ContactMethod.values or method in (ContactMethod.THRESHOLD, ContactMethod.IMPORTED):
        errors["method"] = "Choose how the contact was made"
    source = text(source)
    if source not in ContactSource.values or source in (ContactSource.THRESHOLD, ContactSource.NOT_RECORDED):
        errors["source"] = "Choose who made the contact"
    elif source not in PUBLIC_SOURCES:
        if not text(referrer_name):
            errors["referrer_name"] = "Enter the name of the professional making the contact"
        if not text(referrer_agency):
            errors["referrer_agency"] = "Enter the agency making the contact"
    born = adult_date_of_birth
    if born is not None and (not isinstance(born, dt.date) or born >= timezone.localdate()):
        errors["adult_date_of_birth"] = "The adult's date of birth must be in the past"
    if not text(summary):
        errors["summary"] = "Enter brief details of the circumstances"
    errors.update(
        employer_knew_errors(knew_on=employer_knew_on, not_known=employer_knew_not_known, received_at=received_at)
    )
    return errors


def contact_record(
    *,
    actor: User,
    local_authority: Organisation,
    received_at: dt.datetime | None,
    method: str,
    source: str,
    summary: str,
    referrer_name: str = "",
    referrer_agency: str = "",
    referrer_contact: str = "",
    adult_name: str = "",
    adult_date_of_birth: dt.date | None = None,
    adult_role: str = "",
    adult_email: str = "",
    employer_name: str = "",
    subject_confirmation: str = "",
    employer_knew_on: dt.date | None = None,
    employer_knew_not_known: bool = False,
    subject_is_teacher: bool | None = None,
    audit_context: AuditContext | None = None,
) -> Contact:
    """Record a contact from anyone other than an employer in Threshold (phone, email, police, a parent...).

    ``received_at`` is an aware datetime; a professional's contact
    (``source``) names them (``referrer_name``, ``referrer_agency``);
    ``adult_email`` is kept so the adult, if they use Threshold, never sees
    it; ``subject_confirmation`` answers "who is this?" when the adult's name
    could be a member of the service; ``employer_knew_on`` (or "not known")
    and ``subject_is_teacher`` (None: not known) are ``employer_timeliness``'s.
    ``ContactDetails`` is the same set, as the contact form gives it. LADOs
    and LADO business support only.
    """
    if local_authority.pk not in scope_for(actor).lado_contact_change:
        raise PermissionDenied("You cannot record contacts for this LADO service.")
    errors = contact_errors(
        received_at=received_at,
        method=method,
        source=source,
        summary=summary,
        referrer_name=referrer_name,
        referrer_agency=referrer_agency,
        adult_date_of_birth=adult_date_of_birth,
        employer_knew_on=employer_knew_on,
        employer_knew_not_known=employer_knew_not_known,
    )
    method, source = text(method), text(source)
    member: User | None = None
    possible: list[User] = []
    try:
        member, possible = _member_of_service(
            local_authority=local_authority,
            name=text(adult_name),
            email=text(adult_email),
            confirmation=text(subject_confirmation),
        )
    except SubjectToConfirm as question:
        raise question.with_errors(errors) from None
    if errors or not isinstance(received_at, dt.datetime):
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        subject = adult_person(
            local_authority=local_authority,
            name=text(adult_name),
            born=adult_date_of_birth,
            role=text(adult_role),
            email=text(adult_email),
            # A member of the service is linked, so subject exclusion hides the contact from them.
            user=member,
        )
        contact = Contact.objects.create(
            local_authority=local_authority,
            subject=subject,
            received_at=received_at,
            method=method,
            source=source,
            referrer_name=text(referrer_name),
            referrer_agency=text(referrer_agency),
            referrer_contact=text(referrer_contact),
            adult_name=subject.full_name,
            adult_date_of_birth=adult_date_of_birth,
            adult_role=subject.role_title,
            employer_name=text(employer_name),
            summary=text(summary),
            employer_knew_on=employer_knew_on,
            employer_knew_not_known=employer_knew_not_known,
            subject_is_teacher=subject_is_teacher,
            recorded_by=actor,
        )
        record_person_event(
            actor=actor, person=subject, action="person.recorded", audit_context=audit_context,
            details={"contact": contact.pk},
        )  # fmt: skip
        subject_confirmation_record(
            actor=actor,
            person=subject,
            candidates=possible,
            organisation=local_authority,
            confirmation=text(subject_confirmation),
            audit_context=audit_context,
        )
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.recorded",
            audit_context=audit_context,
            details={"method": method, "source": source},
        )
        notify_new_contact(contact, recorded_by=actor)
        contact_deadlines_sync(contact)
    return contact


def contact_record_advice(
    *,
    actor: User,
    contact: Contact,
    advice: str,
    given_at: dt.datetime | None = None,
    audit_context: AuditContext | None = None,
    expected_version: int,
) -> Contact:
    """Record the advice the LADO gave on a contact, and when (the one-working-day clock stops).

    A contact still new becomes "advice given"; a decided one keeps its
    decision. ``expected_version`` is the version the form was loaded with.
    """
    require_contact(actor, contact)
    errors: dict[str, str] = {}
    given_at = given_at or timezone.now()
    if not text(advice):
        errors["advice"] = "Enter the advice given"
    if given_at > timezone.now():
        errors["given_at"] = "The date and time advice was given must be in the past"
    elif given_at < contact.received_at:
        errors["given_at"] = "Advice cannot be given before the contact was received"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        before = (contact.advice, contact.advice_given_at, contact.status)
        contact.advice = text(advice)
        contact.advice_given_at = given_at
        contact.advice_given_by = actor
        if contact.status == ContactStatus.NEW:
            contact.status = ContactStatus.ADVISED
        contact.save(update_fields=["advice", "advice_given_at", "advice_given_by", "status"])
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.advice_recorded",
            audit_context=audit_context,
            changes={
                "advice": (before[0], contact.advice),
                "advice_given_at": (before[1], contact.advice_given_at),
                "status": (before[2], contact.status),
            },
        )
        contact_deadlines_sync(contact)
        # The employer's allegation shows the advice; its case manager is told.
        employer_tell_in_transaction(actor=actor, contact=contact, event="advice")
    return contact
