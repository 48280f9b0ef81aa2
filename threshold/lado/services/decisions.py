"""The LADO's decision on a contact: consultation, Tier 2 or Tier 1 (protocol, Case Management Model).

The local authority's policy pack advises a level from the facts the LADO
gives, with the criteria that fired and the police and children's social
care advice; the LADO confirms or overrides it with a recorded reason. Every
decision keeps the pack id, version and digest, the facts and the
assessment. Tier 1 and Tier 2 open a LADO case; a consultation records why
"a risk was not identified", and can later be reopened as a referral.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.locking import bump_version
from threshold.lado.models import ConsultationReason, Contact, ContactStatus, Decision, Level
from threshold.lado.selectors import lado_pack
from threshold.lado.services.case_rules import require_decider
from threshold.lado.services.cases import case_open_from_contact
from threshold.lado.services.common import record_contact_event, text
from threshold.lado.services.deadlines import case_deadlines_sync, contact_deadlines_sync
from threshold.lado.services.decision_dataset import manager_from_advice
from threshold.lado.services.employer_link import employer_tell_in_transaction
from threshold.people.models import Person
from threshold.policy import Assessment, FactsError, assess, parse_facts
from threshold.policy.pack import Pack

TIERS = frozenset({Level.TIER_1, Level.TIER_2})


def decision_facts(contact: Contact, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts as the engine reads them: the LADO's answers, dated from when the contact was received.

    ``reported_on`` is "when the referral reached the LADO service" (the
    pack's note): deadlines count from it, so it is never typed in.
    """
    return {**facts, "reported_on": timezone.localdate(contact.received_at).isoformat()}


def decision_advice(contact: Contact, facts: Mapping[str, Any]) -> tuple[Pack, Assessment]:
    """The pack's advice on a contact's facts, without recording anything (the "Assess" button).

    Raises ``ValidationError`` naming the fact when the facts are invalid
    (for example an incident date after the contact was received), or when
    the pack needs a question answered before it advises.
    """
    pack = lado_pack(contact.local_authority)
    try:
        checked = parse_facts(decision_facts(contact, facts))
    except FactsError as error:
        raise ValidationError({error.fact or "facts": _facts_message(error)}) from None
    assessment = assess(pack, checked)
    if not assessment.complete:
        # The pack needs these answered first (emotional abuse or neglect: the Working Together question;
        # criterion 3 alone: the balancing questions). Keyed by the fact, so the form puts each beside its question.
        raise ValidationError({question.items[0]: question.text for question in assessment.needs_answers})
    return pack, assessment


def _facts_message(error: FactsError) -> str:
    if error.fact == "incident_date":
        return "The date of the incident must be on or before the date the contact was received"
    return f"Check this answer: {error.problem}"


def current_decision(contact: Contact) -> Decision | None:
    """The contact's decision now: the latest, which supersedes any earlier one."""
    return contact.decisions.select_related("case", "recorded_by").first()


def _police_and_csc(assessment: Assessment) -> dict[str, bool]:
    return {
        "police_advised": assessment.referrals["police"].required,
        "childrens_social_care_advised": assessment.referrals["childrens_social_care"].required,
    }


def _open_case(*, actor: User, contact: Contact, tier: str, audit_context: AuditContext | None, **decided: Any) -> Any:
    # ``decided``: the decision's facts and who manages the case, which the new case's data set starts from.
    return case_open_from_contact(actor=actor, contact=contact, tier=tier, audit_context=audit_context, **decided)


def contact_decide(
    *,
    actor: User,
    contact: Contact,
    facts: Mapping[str, Any],
    level: str,
    override_reason: str = "",
    consultation_reason: str = "",
    rationale: str = "",
    audit_context: AuditContext | None = None,
    expected_version: int,
) -> Decision:
    """Decide a contact: consultation, Tier 2 or Tier 1, with the pack's advice kept beside the decision.

    The advice is worked out again here from ``facts`` (never taken from the
    page). A level other than the advice needs ``override_reason``. A
    consultation needs ``consultation_reason`` (the protocol's four, or
    another) and ``rationale``: the record that "a risk was not identified".
    Tier 1 and Tier 2 open a LADO case, which the decision links to.
    """
    require_decider(actor, contact)
    pack, assessment = decision_advice(contact, facts)
    errors: dict[str, str] = {}
    if contact.status == ContactStatus.DECIDED:
        errors["level"] = "This contact has already been decided"
    if level not in Level.values:
        errors["level"] = "Choose consultation, Tier 2 or Tier 1"
    elif level != assessment.level and not text(override_reason):
        errors["override_reason"] = "Enter why you decided differently from the advice"
    if level == Level.CONSULTATION:
        if consultation_reason not in ConsultationReason.values:
            errors["consultation_reason"] = "Choose why the definition of an allegation was not met"
        if not text(rationale):
            errors["rationale"] = "Enter why a risk was not identified"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        previous_status = contact.status
        case = (
            _open_case(
                actor=actor,
                contact=contact,
                tier=level,
                audit_context=audit_context,
                facts=facts,
                managed_by=manager_from_advice(assessment.referrals["childrens_social_care"].required),
            )
            if level in TIERS
            else None
        )
        decision = Decision.objects.create(
            contact=contact,
            level=level,
            advised_level=assessment.level,
            override_reason=text(override_reason) if level != assessment.level else "",
            consultation_reason=consultation_reason if level == Level.CONSULTATION else "",
            rationale=text(rationale),
            case=case,
            pack=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=parse_facts(decision_facts(contact, facts)).as_json(),
            assessment=assessment.as_dict(),
            recorded_by=actor,
            **_police_and_csc(assessment),
        )
        contact.status = ContactStatus.DECIDED
        contact.save(update_fields=["status"])
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.decided",
            audit_context=audit_context,
            changes={"status": (previous_status, contact.status)},
            details={
                "decision": decision.pk,
                "level": level,
                "advised_level": assessment.level,
                "overridden": decision.overridden,
                "case": case.pk if case else None,
                "pack": pack.id,
                "pack_version": pack.version,
            },
        )
        contact_deadlines_sync(contact)
        if case is not None:
            # The case's clocks read the decision (its facts, and when the contact was decided).
            case_deadlines_sync(case)
        # The employer's allegation shows the decision; its case manager is told (nothing for a hand-recorded contact).
        employer_tell_in_transaction(actor=actor, contact=contact, event="decision")
    return decision


def _reopen_errors(
    contact: Contact, prompted_by: Contact | None, level: str, reason: str, earlier: Decision | None
) -> dict[str, str]:
    """What stops this consultation being reopened now, by field."""
    errors: dict[str, str] = {}
    if earlier is None or earlier.level != Level.CONSULTATION:
        errors["level"] = "Only a consultation can be reopened as a referral"
    elif level not in TIERS:
        errors["level"] = "Choose Tier 2 or Tier 1"
    if not text(reason):
        errors["reason"] = "Enter why the consultation is reopened as a referral"
    if prompted_by is not None:
        if prompted_by.pk == contact.pk:
            errors["prompted_by"] = "A consultation cannot prompt its own reopening"
        elif prompted_by.status == ContactStatus.DECIDED:
            errors["prompted_by"] = "The later contact has already been decided"
    return errors


def _link_identity(*, actor: User, first: Person, second: Person, audit_context: AuditContext | None) -> None:
    """Record that two Person records are the same adult: each takes the account and email the other carries.

    Subject exclusion matches a record's subject by account or email, so once
    a consultation and a later contact are joined in one case, both records
    must name the adult's account (if either knows it) or neither hides.
    Only blanks are filled; each change is audited (by field name, not value).
    """
    if first.pk == second.pk:
        return
    people = {person.pk: person for person in Person.objects.select_for_update().filter(pk__in=[first.pk, second.pk])}
    first, second = people[first.pk], people[second.pk]
    for target, source in ((first, second), (second, first)):
        values: dict[str, Any] = {}
        if target.user_id is None and source.user_id is not None:
            values["user_id"] = source.user_id
        if not target.email and source.email:
            values["email"] = source.email
        if not values:
            continue
        for name, value in values.items():
            setattr(target, name, value)
        # Saved, not updated in bulk: a new email rewrites the match keys (ADR 0018).
        target.save(update_fields=[name.removesuffix("_id") for name in values])
        audit_record(
            context=context_for(actor, audit_context),
            action="person.identity_linked",
            record_type="person",
            record_id=target.pk,
            organisation=target.organisation,
            details={"fields": sorted(name.removesuffix("_id") for name in values), "same_adult_as": source.pk},
        )


def contact_reopen(
    *,
    actor: User,
    contact: Contact,
    prompted_by: Contact | None,
    level: str,
    reason: str,
    audit_context: AuditContext | None = None,
    expected_version: int,
) -> Decision:
    """Reopen a consultation as a referral (Tier 1 or Tier 2), for example when a second concern arrives.

    With a later contact (``prompted_by``) the case opens from that contact:
    it is the new concern, so the case's clocks count from when it was
    received and it brings its own data set (an employer's referral with its
    children). The consultation gets a decision superseding its own, naming
    the later contact and the case; the later contact is decided into the
    same case. The two records' Person entries are linked as one adult.
    Without a later contact the case opens from the consultation itself.
    The consultation is locked and its decision read again inside the
    transaction, so two LADOs reopening it at once open one case.
    """
    require_decider(actor, contact)
    if prompted_by is not None:
        require_decider(actor, prompted_by)
        if prompted_by.local_authority_id != contact.local_authority_id:
            raise PermissionDenied("The later contact belongs to another LADO service.")
    errors = _reopen_errors(contact, prompted_by, level, reason, current_decision(contact))
    if errors:
        raise ValidationError(errors)
    pack = lado_pack(contact.local_authority)
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        locked = contact
        # The later contact's form did not load its version: hold its row while the decision moves it on.
        later = (
            Contact.objects.select_for_update().select_related("subject").get(pk=prompted_by.pk)
            if prompted_by is not None
            else None
        )
        earlier = current_decision(locked)
        errors = _reopen_errors(locked, later, level, reason, earlier)
        if errors:
            raise ValidationError(errors)
        assert earlier is not None  # for the type checker: checked just above
        if later is not None:
            _link_identity(actor=actor, first=locked.subject, second=later.subject, audit_context=audit_context)
        case = _open_case(actor=actor, contact=later or locked, tier=level, audit_context=audit_context)
        stamp = {"pack": pack.id, "pack_version": pack.version, "pack_digest": pack.digest}
        decision = Decision.objects.create(
            contact=locked,
            supersedes=earlier,
            level=level,
            rationale=text(reason),
            prompted_by=later,
            case=case,
            facts=earlier.facts,
            assessment=earlier.assessment,
            # What the pack said of the police and children's social care on the facts it keeps.
            police_advised=earlier.police_advised,
            childrens_social_care_advised=earlier.childrens_social_care_advised,
            recorded_by=actor,
            **stamp,
        )
        record_contact_event(
            actor=actor,
            contact=locked,
            action="contact.reopened",
            audit_context=audit_context,
            details={
                "decision": decision.pk,
                "supersedes": earlier.pk,
                "level": level,
                "prompted_by": later.pk if later else None,
                "case": case.pk,
            },
        )
        if later is not None:
            bump_version(later, later.version)
            Decision.objects.create(
                contact=later,
                level=level,
                rationale=f"Led to reopening consultation {locked.reference} as a referral: {text(reason)}",
                case=case,
                recorded_by=actor,
                **stamp,
            )
            previous_status = later.status
            later.status = ContactStatus.DECIDED
            later.save(update_fields=["status"])
            record_contact_event(
                actor=actor,
                contact=later,
                action="contact.decided",
                audit_context=audit_context,
                changes={"status": (previous_status, later.status)},
                details={"level": level, "case": case.pk, "reopened": locked.pk},
            )
            contact_deadlines_sync(later)
        contact_deadlines_sync(locked)
        case_deadlines_sync(case)
        # The reopened decision reaches the employer's allegation too, when there is one.
        employer_tell_in_transaction(actor=actor, contact=locked, event="decision")
        if later is not None:
            employer_tell_in_transaction(actor=actor, contact=later, event="decision")
    contact.refresh_from_db()
    return decision
