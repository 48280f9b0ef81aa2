"""The LADO referral with its recording data set: started in one step, completed from the referral page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.allegations.facts import checked_facts, concern_part_of
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    Employment,
    Referral,
    ReferralChild,
    Step,
    StepRecord,
)
from threshold.allegations.services.common import _record, _required, _text, pack_for, require_change
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.allegations.services.hr import hr_tell_in_transaction
from threshold.audit.context import AuditContext
from threshold.core.locking import hold
from threshold.core.vocabularies import AbuseCategory, CameToLight
from threshold.policy import assess, non_recent


class ReferralConflict(Exception):
    """Someone else sent a referral since the referral form was loaded."""

    def __init__(self, current: Referral | None) -> None:
        super().__init__("A referral was made since you loaded the form.")
        self.current = current


def referral_local_authority(allegation: Allegation) -> Organisation | None:
    """The local authority whose LADO receives the referral: the setting's, or for a trust record the school's."""
    organisation = allegation.organisation
    if organisation.local_authority_id:
        return organisation.local_authority
    employer = allegation.subject.employer
    if employer is not None and employer.local_authority_id:
        return employer.local_authority
    return None


def referral_initial(*, actor: User, allegation: Allegation) -> dict[str, Any]:
    """The referral data set as far as the allegation and the person already tell it."""
    subject = allegation.subject
    latest = allegation.referrals.first()
    if latest is not None:
        fields = [f.name for f in Referral._meta.concrete_fields if f.name not in _REFERRAL_META]
        initial = {name: getattr(latest, name) for name in fields}
        initial["abuse_categories"] = list(latest.abuse_categories)
        return initial
    concern = allegation.concern
    details = concern_part_of(allegation, "details")
    triage = concern_part_of(allegation, "triage")
    triage_facts = triage.facts if triage is not None and isinstance(triage.facts, dict) else {}
    return {
        "came_to_light": details.how_arose if details is not None and details.how_arose in CameToLight.values else "",
        "abuse_categories": [c for c in triage_facts.get("abuse_categories") or [] if c in AbuseCategory.values],
        # When the incident happened, if triage was told (non-recent allegations).
        "incident_date": dt.date.fromisoformat(given)
        if isinstance(given := triage_facts.get("incident_date"), str)
        else None,
        "adult_name": subject.full_name,
        "adult_date_of_birth": subject.date_of_birth,
        "adult_role": subject.role_title or (details.subject_role if details is not None else ""),
        "employer_name": (subject.employer or allegation.organisation).name,
        "agency_name": allegation.agency.name if allegation.agency else "",
        "referring_organisation": allegation.organisation.name,
        "referrer_name": actor.full_name,
        "referrer_contact": actor.email,
        "summary": (concern.summary if concern else allegation.summary) or allegation.summary,
    }


_REFERRAL_META = {
    "id",
    "allegation",
    "local_authority",
    "supersedes",
    "recorded_at",
    "recorded_by",
    "non_recent",
    "pack",
    "pack_version",
    "pack_digest",
    "facts",
    "assessment",
}

REFERRAL_REQUIRED = {
    "adult_name": "Enter the adult's name",
    "adult_role": "Enter the adult's role or occupation",
    "employer_name": "Enter the employing organisation",
    "referring_organisation": "Enter the referring organisation",
    "referrer_name": "Enter the referrer's name",
    "came_to_light": "Choose how the allegation came to light",
    "abuse_categories": "Choose at least one category of abuse",
    "summary": "Enter a summary of the allegation",
    "risk_managed": "Choose how the risk has been managed so far",
}


class ReferralDetails(TypedDict, total=False):
    """The recording data set a referral carries: every item may be sent, the service checks the required ones."""

    adult_name: str
    adult_address: str
    adult_date_of_birth: dt.date | None
    adult_gender: str
    adult_ethnicity: str
    adult_role: str
    employer_name: str
    agency_name: str
    referring_organisation: str
    referrer_name: str
    referrer_contact: str
    came_to_light: str
    abuse_categories: list[str]
    incident_date: dt.date | None
    summary: str
    risk_managed: str
    police_involved: bool
    childrens_social_care_involved: bool


class ChildOnReferral(TypedDict, total=False):
    """One child (victim) named on a referral; the name is required."""

    full_name: str
    address: str
    gender: str
    ethnicity: str
    date_of_birth: dt.date | None


def referral_make(
    *,
    actor: User,
    allegation: Allegation,
    audit_context: AuditContext | None = None,
    details: ReferralDetails | None = None,
    children: Sequence[ChildOnReferral] = (),
    expected_previous: int | str | None = "any",
) -> Referral:
    """Refer the allegation to the LADO, in a transaction of its own (``referral_make_in_transaction`` says how)."""
    with transaction.atomic(durable=True):
        return referral_make_in_transaction(
            actor=actor,
            allegation=allegation,
            audit_context=audit_context,
            details=details,
            children=children,
            expected_previous=expected_previous,
        )


def referral_errors(
    allegation: Allegation, *, agency_name: str | None, incident_date: dt.date | None
) -> dict[str, str]:
    """The referral's rules beyond each field alone; the service refuses them, and the form says them at once.

    A supply worker's agency (``agency_name``; None when not asked), and an incident on or before the day the
    allegation came to attention.
    """
    errors: dict[str, str] = {}
    if agency_name is not None and allegation.subject_employment == Employment.SUPPLY and not _text(agency_name):
        errors["agency_name"] = "Enter the agency that supplies the adult"
    if incident_date and incident_date > allegation.attention_date():
        errors["incident_date"] = "The date of the incident must be on or before the date it came to attention"
    return errors


def referral_make_in_transaction(
    *,
    actor: User,
    allegation: Allegation,
    audit_context: AuditContext | None = None,
    details: ReferralDetails | None = None,
    children: Sequence[ChildOnReferral] = (),
    expected_previous: int | str | None = "any",
) -> Referral:
    """Refer the allegation to the LADO of the setting's local authority, with the recording data set.

    Without ``details`` (a pattern review or triage escalating in one step)
    the referral carries what the allegation and the person already say; the
    case manager completes it on the referral page, which calls this again
    with ``details`` (every field of the data set; the required ones checked)
    and supersedes the first. Either way the organisation's policy pack
    assesses the facts and the referral keeps the pack, facts and result.

    ``expected_previous`` is the id of the referral the form was loaded
    with (None: none yet); if another referral has been made since, the
    form is stale and ``ReferralConflict`` is raised with the current one.

    This joins the caller's transaction: a service that refers as part of its
    own change (a pattern review's escalation) calls it; anyone else calls
    ``referral_make``.
    """
    require_change(actor=actor, allegation=allegation)
    local_authority = referral_local_authority(allegation)
    if local_authority is None:
        raise ValidationError({"local_authority": "The setting has no local authority area, so no LADO to refer to"})
    data = dict(referral_initial(actor=actor, allegation=allegation))
    complete = details is not None
    if details is not None:
        data.update(details)
        errors = _required(data, REFERRAL_REQUIRED)
        errors |= referral_errors(allegation, agency_name=data.get("agency_name"), incident_date=None)
    else:
        errors = _required(data, {key: REFERRAL_REQUIRED[key] for key in ("adult_name", "employer_name", "summary")})
    categories = [value for value in data.get("abuse_categories") or [] if value in AbuseCategory.values]
    incident_date = data.get("incident_date")
    errors |= referral_errors(allegation, agency_name=None, incident_date=incident_date)
    cleaned_children = []
    for index, child in enumerate(children):
        if not _text(child.get("full_name")):
            errors[f"child_{index}_full_name"] = "Enter the child's name"
        cleaned_children.append(child)
    if errors:
        raise ValidationError(errors)
    pack = pack_for(allegation)
    facts = checked_facts(
        allegation,
        abuse_categories=categories or None,
        incident_date=incident_date.isoformat() if incident_date else None,
    )
    assessment = assess(pack, facts)
    with transaction.atomic():
        # Held, and read as it is now: an outcome recorded a moment ago must not be turned back into "referred".
        status_now = hold(allegation).status
        previous = allegation.referrals.first()
        if expected_previous != "any" and (previous.pk if previous else None) != expected_previous:
            raise ReferralConflict(previous)
        referral = Referral.objects.create(
            allegation=allegation,
            local_authority=local_authority,
            supersedes=previous,
            recorded_by=actor,
            adult_name=_text(data.get("adult_name")),
            adult_address=_text(data.get("adult_address")),
            adult_date_of_birth=data.get("adult_date_of_birth"),
            adult_gender=_text(data.get("adult_gender")),
            adult_ethnicity=_text(data.get("adult_ethnicity")),
            adult_role=_text(data.get("adult_role")),
            employer_name=_text(data.get("employer_name")),
            agency_name=_text(data.get("agency_name")),
            referring_organisation=_text(data.get("referring_organisation")),
            referrer_name=_text(data.get("referrer_name")),
            referrer_contact=_text(data.get("referrer_contact")),
            came_to_light=_text(data.get("came_to_light")),
            abuse_categories=categories,
            incident_date=incident_date,
            non_recent=non_recent(pack, facts),
            summary=_text(data.get("summary")),
            risk_managed=_text(data.get("risk_managed")),
            police_involved=bool(data.get("police_involved")),
            childrens_social_care_involved=bool(data.get("childrens_social_care_involved")),
            pack=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=facts.as_json(),
            assessment=assessment.as_dict(),
            is_complete=complete,
        )
        for child in cleaned_children:
            ReferralChild.objects.create(
                referral=referral,
                full_name=_text(child.get("full_name")),
                address=_text(child.get("address")),
                date_of_birth=child.get("date_of_birth"),
                gender=_text(child.get("gender")),
                ethnicity=_text(child.get("ethnicity")),
            )
        # The referral arrives in the LADO service's inbox in the same transaction (issue 6).
        # Imported here: the LADO services import the access module, which imports this app's models.
        from threshold.lado.services.referral_intake import contact_from_referral

        contact_from_referral(referral=referral)
        if status_now == AllegationStatus.OPEN:
            Allegation.objects.filter(pk=allegation.pk).update(status=AllegationStatus.REFERRED)
            allegation.status = AllegationStatus.REFERRED
        if complete:
            # Only a referral with the data set completes step 2; a started one waits for it.
            StepRecord.objects.create(
                allegation=allegation,
                step=Step.DISCUSS_WITH_LADO,
                done_on=timezone.localdate(),
                decision=(
                    f"Referral {'updated' if previous else 'made'} to the LADO of {local_authority.name}"
                    f" (referral {referral.reference})."
                ),
                recorded_by=actor,
            )
        if complete:
            text = f"{'Updated referral' if previous else 'Referred'} to the LADO of {local_authority.name}."
        else:
            text = f"Referral to the LADO of {local_authority.name} started: the data set is to be completed."
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.referred",
            text=text,
            audit_context=audit_context,
            record_id=referral.pk,
            details={
                "local_authority": local_authority.pk,
                "supersedes": previous.pk if previous else None,
                "complete": complete,
            },
        )
        allegation_deadlines_sync(allegation)
        # Step 1: "advise L.E.A.D. HR that a referral has been made" (once; emailed after commit).
        hr_tell_in_transaction(actor=actor, allegation=allegation, event="referral")
    return referral
