"""The employer's one-working-day duty, as the LADO sees it on a contact; and the teacher fact the contact records.

KCSIE Part 4 (and the trust's policy, "The Local Authority Designated
Officer(s) should be informed of all allegations that come to an
organisation's attention that appear to meet the criteria: within one working
day") puts a duty on the employer. The LADO can only see whether it was met if
the contact says when the employer first knew: for a referral in Threshold that
is the date the allegation came to the employer's attention; a contact recorded
by hand asks "When did the employer first know of the allegation?", where "not
known" is an answer. The one working day is the pack's ``inform-lado``
timescale, counted in England and Wales working days (``threshold.policy``).

"Is the adult a teacher?" is a recorded answer (yes, no, not known), taken
from the employer's allegation for a referral, never guessed from the role:
"Head of Maths" is a teacher and "teaching assistant" is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import Referral
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import Contact, ContactSource
from threshold.lado.selectors import lado_pack
from threshold.lado.services.common import record_case_event, record_contact_event, require_contact
from threshold.policy import get_pack
from threshold.policy.clocks import Clock, ClockState, clock
from threshold.policy.pack import Timescale

INFORM_LADO = "inform-lado"
# The national pack says the same where a local authority's pack sets no such timescale.
FALLBACK_PACK = "kcsie"
# Only a contact the employer made is measured against the employer's duty: a parent or the police
# telling the LADO says nothing about when the employer referred.
EMPLOYER_SOURCES = frozenset({ContactSource.THRESHOLD, ContactSource.EMPLOYER})


def referral_employer_facts(referral: Referral) -> dict[str, Any]:
    """What a referral in Threshold tells the contact: when the employer first knew, and whether it is a teacher.

    The allegation is the referral's own (reached through the record the
    referring service holds); its date is the one the employer's clocks count
    from, the date it came to their attention.
    """
    allegation = referral.allegation
    return {
        "employer_knew_on": allegation.attention_date(),
        "employer_knew_not_known": False,
        "subject_is_teacher": allegation.subject_is_teacher,
    }


def employer_knew_errors(
    *, knew_on: dt.date | None, not_known: bool, received_at: dt.datetime | None
) -> dict[str, str]:
    """Check the answer to "When did the employer first know of the allegation?" (optional; "not known" allowed).

    The date is never in the future and never after the contact was received;
    a date and "not known" together contradict each other.
    """
    if knew_on is None:
        return {}
    if not_known:
        return {"employer_knew_on": "Enter the date the employer first knew, or choose not known, not both"}
    if knew_on > timezone.localdate():
        return {"employer_knew_on": "The date the employer first knew must be today or in the past"}
    if isinstance(received_at, dt.datetime) and knew_on > timezone.localdate(received_at):
        return {"employer_knew_on": "The date the employer first knew must be on or before the date received"}
    return {}


@dataclass(frozen=True)
class EmployerTimeliness:
    """The employer's duty on one contact: when they knew, when they referred, and whether that was in time.

    ``clock`` is None when it cannot be measured: the date is not known or
    not recorded, or the contact did not come from the employer.
    """

    knew_on: dt.date | None
    not_known: bool
    referred_on: dt.date
    from_employer: bool
    clock: Clock | None

    @property
    def in_time(self) -> bool | None:
        """True within one working day, False later, None when it cannot be said."""
        if self.clock is None:
            return None
        return self.clock.state is ClockState.MET


def inform_lado_timescale(contact: Contact) -> Timescale:
    """The one-working-day timescale from the LADO's pack, or the national pack's where it sets none."""
    for pack in (lado_pack(contact.local_authority), get_pack(FALLBACK_PACK)):
        for timescale in pack.timescales:
            if timescale.id == INFORM_LADO:
                return timescale
    raise LookupError(f"No pack sets the {INFORM_LADO} timescale")


def employer_timeliness(contact: Contact) -> EmployerTimeliness:
    """Whether the employer referred within one working day of first knowing (England and Wales working days).

    The referral is the day the contact was received (in Europe/London): for
    a referral in Threshold, the first referral, which a correction does not move.
    """
    referred_on = timezone.localdate(contact.received_at)
    from_employer = contact.source in EMPLOYER_SOURCES
    knew_on = contact.employer_knew_on
    if knew_on is None and not contact.employer_knew_not_known and contact.allegation is not None:
        # A contact linked to the employer's allegation before the date was kept on contacts.
        knew_on = contact.allegation.attention_date()
    measured = None
    if knew_on is not None and from_employer:
        measured = clock(inform_lado_timescale(contact), start=knew_on, done_on=referred_on, today=referred_on)
    return EmployerTimeliness(
        knew_on=knew_on,
        not_known=contact.employer_knew_not_known,
        referred_on=referred_on,
        from_employer=from_employer,
        clock=measured,
    )


def _said(knew_on: dt.date | None, not_known: bool, teacher: bool | None) -> str:
    """The answers as a chronology line says them (dates as on the case's other lines)."""
    knew = f"{knew_on:%d/%m/%Y}" if knew_on else ("not known" if not_known else "not recorded")
    is_teacher = {True: "yes", False: "no", None: "not known"}[teacher]
    return f"the employer first knew of the allegation: {knew}; is the adult a teacher: {is_teacher}."


def contact_record_employer_facts(
    *,
    actor: User,
    contact: Contact,
    employer_knew_on: dt.date | None,
    employer_knew_not_known: bool,
    subject_is_teacher: bool | None,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Contact:
    """Record, or correct, when the employer first knew and whether the adult is a teacher, on a contact.

    The LADO learns them after the contact came in (the employer's date on a
    call back; the teacher answer once the role is clear). A case opened from
    the contact gets a chronology line: its TRA question follows the answer.
    ``expected_version`` is the contact's version the form was loaded with.
    """
    require_contact(actor, contact)
    errors = employer_knew_errors(
        knew_on=employer_knew_on, not_known=employer_knew_not_known, received_at=contact.received_at
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        before = (contact.employer_knew_on, contact.employer_knew_not_known, contact.subject_is_teacher)
        contact.employer_knew_on = employer_knew_on
        contact.employer_knew_not_known = employer_knew_not_known
        contact.subject_is_teacher = subject_is_teacher
        contact.save(update_fields=["employer_knew_on", "employer_knew_not_known", "subject_is_teacher"])
        after = (contact.employer_knew_on, contact.employer_knew_not_known, contact.subject_is_teacher)
        names = ("employer_knew_on", "employer_knew_not_known", "subject_is_teacher")
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.employer_facts_recorded",
            audit_context=audit_context,
            changes={name: (old, new) for name, old, new in zip(names, before, after, strict=True) if old != new},
        )
        for case in contact.cases.all():
            record_case_event(
                actor=actor,
                case=case,
                action="case.contact_facts_recorded",
                text=f"Recorded on contact {contact.reference}: " + _said(*after),
                audit_context=audit_context,
                details={"contact": contact.pk},
            )
    return contact
