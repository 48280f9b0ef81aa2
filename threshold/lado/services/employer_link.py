"""Two sides of one matter: the employer's allegation and the LADO's contact agree, and each hears of the other.

When an employer in Threshold refers an allegation, the LADO's contact links to it. From then on:

- the LADO's advice and decision reach the employer's allegation (the level, when, and what the protocol
  asks the employer to do next, never the LADO's own notes), and the case manager is told in the product;
- the employer's outcome reaches the LADO's contact and case, and is "agreed with the LADO" only when the
  LADO agrees (``employer_outcome_agree``): until then it shows "Waiting for the LADO's agreement". The trust's
  policy (section 6, step 7) asks whether no further action "was agreed with the LADO"; the protocol has the
  LADO quality assure the outcome ("The LADO is however available and actively monitors timescales and
  quality assures the outcome"), so the answer is the LADO's, not the employer's say-so.

Notifications and their emails name the record's reference and link to it; never a person or what is alleged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.accounts.roles import Role
from threshold.allegations.duties import latest_outcome
from threshold.allegations.models import Allegation, OutcomeRecord
from threshold.audit.context import AuditContext
from threshold.chronology.services import chronology_record_event
from threshold.core.locking import bump_version
from threshold.jinja2 import govuk_date
from threshold.lado.models import Contact, Decision, EmployerOutcomeResponse, Level
from threshold.lado.services.case_rules import require_decider
from threshold.lado.services.common import record_contact_event, text
from threshold.notifications.models import NotificationKind
from threshold.notifications.recipients import members_in_roles
from threshold.notifications.services import notify_in_transaction
from threshold.people.models import Person
from threshold.policy import UnknownPackError, get_pack

# What the employer does next at each level, in the protocol's words (Case Management Model).
NEXT_STEPS = {
    Level.CONSULTATION: (
        "The referral does not meet the definition of an allegation. Where it is a practice issue, it "
        "\u201cshould be dealt with by the employer\u201d."
    ),
    Level.TIER_2: (
        "\u201cThe employer is best placed to manage the matter to its conclusions. The LADO is however available "
        "and actively monitors timescales and quality assures the outcome.\u201d Send the LADO the outcome when "
        "it is reached."
    ),
    Level.TIER_1: (
        "The referral \u201crequires active management by the LADO and other agencies\u201d: a strategy meeting, or "
        "a meeting convened by the LADO, will be held. Take no further action on the allegation until it is "
        "agreed with the LADO."
    ),
}

WAITING = "Waiting for the LADO's agreement"


@dataclass(frozen=True)
class Agreement:
    """Where the employer's outcome stands with the LADO: waiting, agreed or not agreed (with the reason)."""

    state: str  # "waiting", "agreed" or "not_agreed"
    response: EmployerOutcomeResponse | None

    @property
    def text(self) -> str:
        """The words both sides show: "Agreed with the LADO on 4 December 2026" and the like."""
        if self.response is None:
            return WAITING
        when = govuk_date(self.response.recorded_at)
        if self.response.agreed:
            return f"Agreed with the LADO on {when}"
        return f"Not agreed by the LADO on {when}: {self.response.reason}"


def level_for_employer(decision: Decision, *, employer_tiers: bool = False) -> str:
    """The LADO's decision as an employer reads it: the protocol's own title, said to be the LADO's.

    The two seed documents number their tiers in opposite directions (the trust's "Tier 2: Low Level concern
    incident that does not require a referral to LADO"; the LADO's "Tier 2 referral – The referral does meet the
    definition of an allegation"), so a bare "Tier 2" on the employer's allegation would mislead.
    ``employer_tiers``: the employer's own policy numbers tiers too (so the words say they differ).
    """
    try:
        title = get_pack(f"{decision.pack}@{decision.pack_version}").level(decision.level).title
    except (UnknownPackError, KeyError):  # a decision imported without a pack, or a level the pack lacks
        title = Level(decision.level).label
    if decision.level == Level.CONSULTATION:
        return f"{title}: not an allegation under the LADO's protocol"
    if employer_tiers:
        return f"{title}, under the LADO's protocol (its tiers are not the same as your policy's)"
    return f"{title}, under the LADO's protocol"


def employer_next_steps(decision: Decision) -> list[str]:
    """What the LADO's decision asks the employer to do, from the level and the referrals it advised."""
    steps = [NEXT_STEPS[Level(decision.level)]]
    if decision.police_advised:
        steps.append("The LADO advises a referral to the police.")
    if decision.childrens_social_care_advised:
        steps.append("The LADO advises a referral to children's social care.")
    return steps


def managing_contact(allegation: Allegation) -> Contact | None:
    """The LADO contact that came from this allegation's referral in Threshold (the latest), if any.

    Reached through the allegation the caller fetched through ``threshold.access``.
    """
    return allegation.lado_contacts.select_related("local_authority").order_by("-received_at", "-pk").first()


def outcome_agreement(outcome: OutcomeRecord) -> Agreement:
    """The LADO's answer to this outcome, if given."""
    response = EmployerOutcomeResponse.objects.filter(outcome=outcome).select_related("recorded_by").first()
    if response is None:
        return Agreement("waiting", None)
    return Agreement("agreed" if response.agreed else "not_agreed", response)


def employer_outcome_agree(
    *,
    actor: User,
    contact: Contact,
    outcome: OutcomeRecord,
    agreed: bool | None,
    reason: str = "",
    audit_context: AuditContext | None = None,
    expected_version: int,
) -> EmployerOutcomeResponse:
    """The LADO agrees with the employer's outcome, or does not (with a reason); the employer sees which.

    Only the employer's latest outcome on the allegation this contact came from
    can be answered, once. The case manager is told in the product.
    """
    require_decider(actor, contact)
    errors: dict[str, str] = {}
    if contact.allegation_id is None or outcome.allegation_id != contact.allegation_id:
        errors["__all__"] = "This contact did not come from the employer's allegation in Threshold"
    elif latest_outcome(outcome.allegation) != outcome:
        errors["__all__"] = "The employer has recorded a newer outcome: answer that one"
    elif EmployerOutcomeResponse.objects.filter(outcome=outcome).exists():
        errors["__all__"] = "The LADO has already answered this outcome"
    if agreed is None:
        errors["agreed"] = "Choose whether you agree with the employer's outcome"
    elif not agreed and not text(reason):
        errors["reason"] = "Enter why you do not agree with the employer's outcome"
    if errors:
        raise ValidationError(errors)
    allegation = contact.allegation
    assert allegation is not None  # checked above
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        response = EmployerOutcomeResponse.objects.create(
            contact=contact,
            outcome=outcome,
            agreed=bool(agreed),
            reason="" if agreed else text(reason),
            recorded_by=actor,
        )
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.employer_outcome_agreed" if agreed else "contact.employer_outcome_not_agreed",
            audit_context=audit_context,
            details={"outcome": outcome.pk, "allegation": allegation.pk},
        )
        words = "The LADO agreed the outcome" if agreed else "The LADO did not agree the outcome"
        chronology_record_event(record=allegation, text=f"{words} (contact {contact.reference}).", actor=actor)
        for case in contact.cases.all():
            chronology_record_event(record=case, text=f"{words} the employer recorded.", actor=actor)
        employer_tell_in_transaction(actor=actor, contact=contact, event="agreed" if agreed else "not_agreed")
    return response


# What the employer's case manager is told, by event (no names, no detail: the reference and a link).
EMPLOYER_EVENTS = {
    "advice": "The LADO has given advice on the referral",
    "decision": "The LADO has decided the referral",
    "agreed": "The LADO agreed the outcome",
    "not_agreed": "The LADO did not agree the outcome",
}


def employer_tell_in_transaction(*, actor: User, contact: Contact, event: str) -> int:
    """Tell the case manager of the allegation this contact came from; joins the caller's transaction.

    Nothing for a contact recorded by hand (the employer is outside Threshold: see ``letters``). Once per
    contact, event and record the event is about. Returns how many were told.
    """
    allegation = contact.allegation
    if allegation is None or allegation.case_manager is None:
        return 0
    return _tell(
        actor=actor,
        recipients=[allegation.case_manager],
        kind=NotificationKind.LADO_DECISION,
        text=f"{EMPLOYER_EVENTS[event]}: allegation {allegation.reference}.",
        key=f"lado:{event}:contact:{contact.pk}:v{contact.version}",
        url=reverse("allegation_detail", args=[allegation.pk]) + "#lado-word",
        reference=allegation.reference,
        # The employer's record of the adult; told only while they may still see the allegation (a case manager
        # who has left the employer is still named on it).
        subject=allegation.subject,
        about=allegation,
    )


def lado_tell_outcome_in_transaction(*, actor: User, allegation: Allegation, outcome: OutcomeRecord) -> int:
    """Tell the LADO service that the employer recorded an outcome on an allegation it manages.

    The LADO who holds the contact is told (or who decided it); with neither, or when they may no longer see
    it (they have left the service), the service's LADOs and managers. Joins the caller's transaction; nothing
    when the allegation was not referred in Threshold.
    """
    contact = managing_contact(allegation)
    if contact is None:
        return 0
    decision = contact.decisions.select_related("recorded_by").first()
    holder = contact.allocated_to or (decision.recorded_by if decision else None)
    if holder is not None and not fetch.can(holder, "view", contact):
        holder = None
    recipients = [holder] if holder else members_in_roles(contact.local_authority, [Role.LADO, Role.LADO_MANAGER])
    return _tell(
        actor=actor,
        recipients=recipients,
        kind=NotificationKind.EMPLOYER_OUTCOME,
        text=f"The employer has recorded an outcome to agree: contact {contact.reference}.",
        key=f"employer:outcome:{outcome.pk}",
        url=reverse("contact_detail", args=[contact.pk]) + "#employer-outcome",
        reference=contact.reference,
        # The LADO service's own record of the adult (the employer's may be named otherwise), and only those who
        # may still see the contact: the LADO who decided it may have left the service.
        subject=contact.subject,
        about=contact,
    )


def _tell(
    *,
    actor: User,
    recipients: list[User],
    kind: NotificationKind,
    text: str,
    key: str,
    url: str,
    reference: str,
    subject: Person,
    about: Allegation | Contact,
) -> int:
    """Notify each recipient once (emailed at once to those who want it: the kind is immediate).

    Never the actor, never someone ``subject`` is or could be, never someone who may not see ``about``; only what
    happened, and a link.
    """
    return len(
        notify_in_transaction(
            recipients=[user for user in recipients if user.pk != actor.pk],
            kind=kind,
            text=text,
            key=key,
            url=url,
            reference=reference,
            subject=subject,
            about=about,
        )
    )
