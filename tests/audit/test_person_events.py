"""The LADO service's own record of an adult is case data: recorded or renamed, it has its own event (field names).

Before, a person record made by a phone contact, an employer's referral arriving, a superseding referral's new
name or a case's data set renamed it, and the person's audit page showed nothing.
"""

from __future__ import annotations

import pytest

from tests.lado.test_contacts import COMPLETE, a_phone_call
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.allegations.services import ReferralDetails, referral_make
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.lado.services.cases import case_update_dataset
from threshold.lado.services.contacts import contact_record

pytestmark = pytest.mark.django_db


def events_of(person_id: int, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(record_type="person", record_id=str(person_id), action=action))


def test_the_person_record_laras_phone_contact_makes_is_recorded_by_her(persona, records) -> None:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    (event,) = events_of(contact.subject_id, "person.recorded")
    assert (event.actor, event.organisation, event.details["contact"]) == (persona("lara"), northshire, contact.pk)


def test_a_referral_arriving_records_the_services_person_and_a_new_name_updates_it_by_field(persona, ids) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    contact = Contact.objects.get(referral=referral_make(actor=persona("nina"), allegation=allegation))
    assert events_of(contact.subject_id, "person.recorded")
    renamed: ReferralDetails = {**COMPLETE, "adult_name": "Nell Nurseryworker-Smith"}
    referral_make(actor=persona("nina"), allegation=allegation, details=renamed)
    (updated,) = events_of(contact.subject_id, "person.updated")
    assert "full_name" in updated.excluded_fields
    assert "Smith" not in str(updated.changes)


def test_a_case_renamed_on_its_data_set_page_updates_its_person_by_field(persona, records) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    case_update_dataset(
        actor=persona("lara"), case=case, dataset={"adult_name": "Christopher Coach"}, expected_version=case.version
    )
    (updated,) = events_of(case.subject_id, "person.updated")
    assert (updated.actor, updated.excluded_fields, updated.details["case"]) == (
        persona("lara"),
        ["full_name"],
        case.pk,
    )
