"""Decision letters for referrers outside Threshold (ADR 0026).

An employer in Threshold sees the LADO's decision on its own allegation (``employer_link``). A referral recorded
by hand (a call or an email from a school, a nursery, a club) has no record in Threshold on the referrer's side,
so the LADO sends a letter: the decision, the level, what the employer should do next in the protocol's words,
and how to reach the LADO service. The letter is generated from the decision, which is never edited, so it is
the same letter whenever it is printed.

The letter names the adult, so it never travels in an email. The LADO prints it (to give or post), or emails
the referrer that a letter is ready: that email names nobody and says nothing of the matter, only the random
contact reference and how to get the letter securely from the LADO service.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.lado.models import Contact, Decision, DecisionLetter, LetterMethod
from threshold.lado.services.case_rules import require_decider
from threshold.lado.services.common import record_contact_event, text
from threshold.lado.services.employer_link import employer_next_steps, level_for_employer

logger = logging.getLogger(__name__)

SUBJECT = "A decision letter from the LADO service is ready"


def letter_decision(contact: Contact) -> Decision | None:
    """The decision a letter states: the contact's current one."""
    return contact.decisions.select_related("recorded_by").first()


def letters_issued(contact: Contact) -> list[DecisionLetter]:
    """The decision letters issued on a contact, newest first."""
    return list(DecisionLetter.objects.filter(contact=contact).select_related("recorded_by"))


def referrer_email(contact: Contact) -> str:
    """The referrer's email address, when the contact recorded one (it may hold a phone number instead)."""
    value = text(contact.referrer_contact)
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def decision_letter_content(contact: Contact, decision: Decision) -> dict[str, Any]:
    """What the letter says, from the record: for the printable page (never for an email)."""
    return {
        "service": f"{contact.local_authority.name} LADO service",
        "reference": contact.reference,
        "dated": timezone.localdate(),
        "to_name": contact.referrer_name,
        "to_agency": contact.referrer_agency or contact.employer_name,
        "received": contact.received_at,
        "adult": contact.adult_name or contact.subject.full_name,
        "role": contact.adult_role,
        "level": level_for_employer(decision),
        "decided": decision.recorded_at,
        "consultation_reason": decision.get_consultation_reason_display() if decision.consultation_reason else "",
        "next_steps": employer_next_steps(decision),
        "lado_name": decision.recorded_by.full_name,
        "lado_email": decision.recorded_by.email,
    }


def decision_letter_issue(
    *,
    actor: User,
    contact: Contact,
    method: str,
    sent_to: str = "",
    audit_context: AuditContext | None = None,
) -> DecisionLetter:
    """Record that the decision letter was printed, or email the referrer (no personal data) that it is ready.

    Only for a decided contact recorded by hand: an employer in Threshold has the decision on its allegation.
    """
    require_decider(actor, contact)
    decision = letter_decision(contact)
    errors: dict[str, str] = {}
    if contact.allegation_id is not None:
        errors["__all__"] = "The employer sees this decision on their allegation in Threshold: no letter is needed"
    elif decision is None:
        errors["__all__"] = "Decide the contact before sending a decision letter"
    if method not in LetterMethod.values:
        errors["method"] = "Choose how the referrer gets the decision letter"
    address = text(sent_to)
    if method == LetterMethod.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            errors["sent_to"] = "Enter the referrer's email address, like name@example.org"
    if errors:
        raise ValidationError(errors)
    assert decision is not None
    with transaction.atomic(durable=True):
        letter = DecisionLetter.objects.create(
            contact=contact,
            decision=decision,
            method=method,
            sent_to=address if method == LetterMethod.EMAIL else "",
            recorded_by=actor,
        )
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.decision_letter_issued",
            audit_context=audit_context,
            details={"letter": letter.pk, "decision": decision.pk, "method": method},
        )
        if method == LetterMethod.EMAIL:
            body = letter_notice_body(contact)
            transaction.on_commit(lambda: _send_notice(letter.pk, address, body))
    return letter


def letter_notice_body(contact: Contact) -> str:
    """The email to the referrer: that a letter is ready and how to get it; no name, nothing of the matter."""
    return (
        f"The {contact.local_authority.name} LADO service has made a decision on the contact you made, "
        f"reference {contact.reference}.\n\n"
        "The decision letter is not attached to this email, to keep it secure. To get it, contact the LADO "
        f"service the way you made your referral, quoting the reference {contact.reference}: the LADO will "
        "send it to you by secure email, post or by hand.\n\n"
        "This email was sent by Threshold for the LADO service. Please do not forward it."
    )


def _send_notice(letter_id: int, address: str, body: str) -> None:
    """Send the "letter is ready" email after the commit; a failure is logged by class, and the LADO prints."""
    try:
        send_mail(SUBJECT, body, None, [address], fail_silently=False)
    except Exception as error:  # a mail server's message may quote the address: keep only the class
        logger.warning("Decision letter notice %s not sent (%s)", letter_id, type(error).__name__)
