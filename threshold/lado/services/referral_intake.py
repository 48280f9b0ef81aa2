"""An employer's referral arriving at the LADO service it was made to, as a contact in its inbox (or updating one).

Called inside ``allegations.services.referral_make``: the contact carries what the employer recorded, the service
records the adult as its own person (audited), and a superseding referral updates the contact already made.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from threshold.allegations.models import Referral
from threshold.lado.models import Contact, ContactMethod, ContactSource
from threshold.lado.services.common import (
    record_case_event,
    record_contact_event,
    record_person_event,
)
from threshold.lado.services.contacts import adult_person, member_named_exactly, notify_new_contact
from threshold.lado.services.deadlines import case_deadlines_sync, contact_deadlines_sync
from threshold.lado.services.employer_timeliness import referral_employer_facts
from threshold.people.models import Person


def contact_from_referral(*, referral: Referral) -> Contact:
    """Put an employer's referral in the inbox of the LADO service it was made to (inside ``referral_make``).

    The contact carries what the employer recorded. The local authority
    records the adult as its own person, keeping the employer person's
    account link and email so the adult never sees the contact (subject
    exclusion). A superseding referral updates the contact already made for
    the allegation rather than adding a second one. A referral started
    without its data set arrives too: ``referral.is_complete`` tells the
    LADO it is awaiting the data set.
    """
    allegation = referral.allegation
    local_authority = referral.local_authority
    employer_person = allegation.subject
    values = {
        "referrer_name": referral.referrer_name,
        "referrer_agency": referral.referring_organisation,
        "referrer_contact": referral.referrer_contact,
        "adult_name": referral.adult_name,
        "adult_date_of_birth": referral.adult_date_of_birth,
        "adult_role": referral.adult_role,
        "employer_name": referral.employer_name,
        "summary": referral.summary,
        **referral_employer_facts(referral),
    }
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .filter(allegation=allegation, local_authority=local_authority)
            .order_by("pk")
            .first()
        )
        if contact is None:
            subject = adult_person(
                local_authority=local_authority,
                name=referral.adult_name,
                born=referral.adult_date_of_birth,
                role=referral.adult_role,
                employer=employer_person.employer or allegation.organisation,
                # An adult unknown to the employer's Threshold may still be a member of this service.
                user=employer_person.user
                or member_named_exactly(local_authority=local_authority, name=referral.adult_name),
                email=employer_person.email,
            )
            contact = Contact.objects.create(
                local_authority=local_authority,
                subject=subject,
                employer=employer_person.employer or allegation.organisation,
                allegation=allegation,
                referral=referral,
                received_at=referral.recorded_at,
                method=ContactMethod.THRESHOLD,
                source=ContactSource.THRESHOLD,
                recorded_by=referral.recorded_by,
                **values,
            )
            record_person_event(
                actor=referral.recorded_by, person=subject, action="person.recorded", details={"contact": contact.pk}
            )
            record_contact_event(
                actor=referral.recorded_by,
                contact=contact,
                action="contact.received",
                details={"referral": referral.pk, "allegation": allegation.pk, "complete": referral.is_complete},
            )
            notify_new_contact(contact)
            contact_deadlines_sync(contact)
            return contact
        changes = {
            name: (getattr(contact, name), value) for name, value in values.items() if getattr(contact, name) != value
        }
        for name, value in values.items():
            setattr(contact, name, value)
        contact.referral = referral
        contact.save(update_fields=[*values, "referral"])
        Contact.objects.filter(pk=contact.pk).update(version=F("version") + 1)
        contact.refresh_from_db(fields=["version"])
        # The adult's own record follows the latest referral, keeping its account link.
        # Saved, not updated in bulk: a new name rewrites the match keys (ADR 0018).
        adult = Person.objects.select_for_update().get(pk=contact.subject_id)
        followed = {
            "full_name": referral.adult_name,
            "date_of_birth": referral.adult_date_of_birth,
            "role_title": referral.adult_role,
        }
        moved = [name for name, value in followed.items() if getattr(adult, name) != value]
        for name, value in followed.items():
            setattr(adult, name, value)
        adult.version += 1
        adult.save(update_fields=[*followed, "version"])
        if moved:
            record_person_event(
                actor=referral.recorded_by,
                person=adult,
                action="person.updated",
                changed=moved,
                details={"contact": contact.pk},
            )
        record_contact_event(
            actor=referral.recorded_by,
            contact=contact,
            action="contact.referral_updated",
            changes=changes,
            details={"referral": referral.pk, "supersedes": referral.supersedes_id, "complete": referral.is_complete},
        )
        # Already decided: the case shows the update in its chronology and the LADO decides what it changes.
        for case in contact.cases.all():
            record_case_event(
                actor=referral.recorded_by,
                case=case,
                action="case.referral_updated",
                text=f"The employer updated the referral ({referral.reference}): "
                + (", ".join(name.replace("_", " ") for name in changes) or "no change to the details")
                + ".",
                details={"referral": referral.pk, "contact": contact.pk},
            )
            case_deadlines_sync(case)
        contact_deadlines_sync(contact)
    return contact
