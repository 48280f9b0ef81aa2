"""Contacts into the LADO service: employers' referrals arrive, other contacts are recorded, advice is given."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.allegations.services import ReferralDetails, referral_make
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.errors import ConflictError
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.demo.records import load_demo_records
from threshold.lado.models import Case, Contact, ContactMethod, ContactSource, ContactStatus
from threshold.lado.services.contacts import advice_due, contact_record, contact_record_advice
from threshold.people.models import Person

A_PHONE_CALL: dict[str, Any] = {
    "method": "phone",
    "source": "employer",
    "referrer_name": "Kim Clubmanager",
    "referrer_agency": "Northshire Youth Club",
    "referrer_contact": "01632 960 123",
    "adult_name": "Sol Swimcoach",
    "adult_date_of_birth": dt.date(1992, 4, 1),
    "adult_role": "Swimming coach",
    "employer_name": "Northshire Youth Club",
    "summary": "A coach was seen messaging a young swimmer on social media.",
}


def a_phone_call(**changes: Any) -> dict[str, Any]:
    """A contact by phone from a youth club, received an hour ago."""
    return {**A_PHONE_CALL, "received_at": timezone.now() - dt.timedelta(hours=1), **changes}


@pytest.fixture
def chris_allegation(ids: dict[str, int]) -> Allegation:
    """The demo allegation about Chris Coach at Oakfield, whose contact opened the demo Tier 1 case."""
    return Allegation.objects.get(pk=ids["allegation_chris"])


@pytest.fixture
def nell_allegation(ids: dict[str, int]) -> Allegation:
    """The demo allegation about Nell at Little Acorns nursery (Northshire), managed by Nina."""
    return Allegation.objects.get(pk=ids["allegation_nell"])


def test_an_employers_referral_arrives_in_the_inbox_of_the_local_authority_with_what_the_employer_recorded(
    persona, nell_allegation: Allegation, northshire: Organisation
) -> None:
    referral = referral_make(
        actor=persona("nina"),
        allegation=nell_allegation,
        details={**COMPLETE, "adult_date_of_birth": dt.date(1994, 1, 5)},
    )
    contact = Contact.objects.get(referral=referral)
    assert contact.local_authority == northshire
    assert contact.status == ContactStatus.NEW
    assert (contact.method, contact.source) == (ContactMethod.THRESHOLD, ContactSource.THRESHOLD)
    assert contact.adult_name == "Nell Nurseryworker"
    assert contact.adult_date_of_birth == dt.date(1994, 1, 5)
    assert contact.employer_name == world.LITTLE_ACORNS
    assert contact.referrer_name == "Nina Nursery"
    assert contact.referrer_agency == world.LITTLE_ACORNS
    assert contact.summary == referral.summary
    assert contact.received_at == referral.recorded_at
    assert contact.subject.organisation == northshire
    assert contact.subject.kind == "adult"
    assert contact.subject != nell_allegation.subject
    assert AuditEvent.objects.filter(action="contact.received", record_id=str(contact.pk)).exists()
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()


COMPLETE: ReferralDetails = {
    "adult_role": "Nursery practitioner",
    "came_to_light": "observed",
    "abuse_categories": ["physical"],
    "risk_managed": "restricted",
}


def test_a_superseding_referral_updates_the_same_contact_and_is_audited(persona, nell_allegation: Allegation) -> None:
    first = referral_make(actor=persona("nina"), allegation=nell_allegation)
    contact = Contact.objects.get(referral=first)
    assert first.is_complete is False
    second = referral_make(
        actor=persona("nina"), allegation=nell_allegation, details={**COMPLETE, "summary": "Grabbed a child's arm."}
    )
    assert Contact.objects.filter(allegation=nell_allegation).count() == 1
    contact.refresh_from_db()
    assert contact.referral == second
    assert contact.summary == "Grabbed a child's arm."
    assert contact.version == 2
    event = AuditEvent.objects.get(action="contact.referral_updated", record_id=str(contact.pk))
    assert "summary" in event.excluded_fields  # narrative never enters the trail (threshold.audit.sensitive)


def test_a_referral_updated_after_the_case_opened_shows_in_the_case_chronology(
    persona, chris_allegation: Allegation, chris_case: Case
) -> None:
    referral_make(actor=persona("hana"), allegation=chris_allegation, details={**COMPLETE, "summary": "Red mark."})
    assert Contact.objects.filter(allegation=chris_allegation).count() == 1
    entry = ChronologyEntry.objects.filter(case=chris_case).latest("pk")
    assert entry.text.startswith("The employer updated the referral")
    assert "summary" in entry.text


def test_a_referral_started_without_its_data_set_arrives_marked_as_awaiting_it(
    persona, nell_allegation: Allegation, signed_in
) -> None:
    referral = referral_make(actor=persona("nina"), allegation=nell_allegation)
    contact = Contact.objects.get(referral=referral)
    assert contact.referral is not None
    assert contact.referral.is_complete is False
    page = signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/")
    assert "Awaiting the data set" in page.content.decode()


def test_the_local_authoritys_record_of_the_adult_keeps_their_account_so_they_never_see_the_contact(
    persona, ids: dict[str, int]
) -> None:
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    tom = Person.objects.get(pk=ids["person_tom"])
    allegation = Allegation.objects.create(
        organisation=oakfield, subject=tom, case_manager=persona("hana"), summary="Messages to a pupil."
    )
    contact = Contact.objects.get(referral=referral_make(actor=persona("hana"), allegation=allegation))
    assert contact.subject.user == persona("tom")
    assert contact.subject.email == tom.email


def test_a_contact_about_a_lado_user_is_invisible_to_that_user(persona, northshire: Organisation) -> None:
    contact = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        **a_phone_call(adult_name="Mo Manager", adult_email="MO.MANAGER@northshire.example"),
    )
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()
    assert not fetch.visible_contacts(persona("mo")).filter(pk=contact.pk).exists()
    assert not fetch.visible_contacts(persona("mo"), "change").filter(pk=contact.pk).exists()


def test_lara_records_a_phone_contact_with_who_made_it_and_basic_details_of_the_adult(
    persona, northshire: Organisation
) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    assert contact.status == ContactStatus.NEW
    assert contact.recorded_by == persona("lara")
    assert contact.referrer_agency == "Northshire Youth Club"
    assert contact.subject.organisation == northshire
    assert contact.subject.full_name == "Sol Swimcoach"
    assert contact.reference.startswith("CT-")
    event = AuditEvent.objects.get(action="contact.recorded", record_id=str(contact.pk))
    assert event.actor == persona("lara")


def test_a_member_of_the_public_need_not_give_a_name_but_a_professional_must(persona, northshire: Organisation) -> None:
    public = a_phone_call(source="public", referrer_name="", referrer_agency="")
    assert contact_record(actor=persona("lara"), local_authority=northshire, **public).pk
    with pytest.raises(ValidationError) as error:
        contact_record(
            actor=persona("lara"), local_authority=northshire, **a_phone_call(referrer_name="", referrer_agency="")
        )
    assert set(error.value.message_dict) == {"referrer_name", "referrer_agency"}


def test_a_contact_cannot_be_received_in_the_future_and_nothing_is_saved(persona, northshire: Organisation) -> None:
    before = (Contact.objects.count(), Person.objects.count())
    with pytest.raises(ValidationError) as error:
        contact_record(
            actor=persona("lara"),
            local_authority=northshire,
            **a_phone_call(received_at=timezone.now() + dt.timedelta(hours=2), summary="", method="threshold"),
        )
    assert error.value.message_dict == {
        "received_at": ["The date and time received must be in the past"],
        "method": ["Choose how the contact was made"],
        "summary": ["Enter brief details of the circumstances"],
    }
    assert (Contact.objects.count(), Person.objects.count()) == before


@pytest.mark.parametrize("key", ["ada", "pat", "hana", "sam"])
def test_only_the_lado_service_of_the_local_authority_records_its_contacts(
    persona, northshire: Organisation, key: str
) -> None:
    with pytest.raises(PermissionDenied):
        contact_record(actor=persona(key), local_authority=northshire, **a_phone_call())


def test_advice_given_stops_the_one_working_day_clock(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    contact_record_advice(
        actor=persona("lara"), contact=contact, advice="Speak to the coach; keep a note.", expected_version=1
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ADVISED
    assert contact.advice_given_by == persona("lara")
    assert advice_due(contact).met
    assert not advice_due(contact).overdue
    event = AuditEvent.objects.get(action="contact.advice_recorded", record_id=str(contact.pk))
    assert event.changes["status"] == ["new", "advised"]


def test_advice_needs_its_text_and_cannot_predate_the_contact(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    with pytest.raises(ValidationError) as error:
        contact_record_advice(
            actor=persona("lara"),
            contact=contact,
            expected_version=contact.version,
            advice=" ",
            given_at=contact.received_at - dt.timedelta(hours=1),
        )
    assert set(error.value.message_dict) == {"advice", "given_at"}
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NEW


def test_advice_on_a_form_loaded_before_someone_else_saved_is_a_conflict(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    contact_record_advice(actor=persona("mo"), contact=contact, advice="Mo's advice.", expected_version=1)
    stale = Contact.objects.get(pk=contact.pk)
    with pytest.raises(ConflictError):
        contact_record_advice(actor=persona("lara"), contact=stale, advice="Lara's advice.", expected_version=1)
    assert Contact.objects.get(pk=contact.pk).advice == "Mo's advice."


def test_southvale_cannot_record_advice_on_a_northshire_contact(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, **a_phone_call())
    with pytest.raises(PermissionDenied):
        contact_record_advice(
            actor=persona("sam"), contact=contact, expected_version=contact.version, advice="Not mine to give."
        )


def test_advice_is_due_the_next_working_day_after_weekends_and_bank_holidays(persona, northshire: Organisation) -> None:
    friday = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)
    christmas_eve = dt.datetime(2026, 12, 24, 10, 0, tzinfo=dt.UTC)
    assert advice_due(Contact(received_at=friday), today=dt.date(2026, 11, 23)).due == dt.date(2026, 11, 23)
    assert not advice_due(Contact(received_at=friday), today=dt.date(2026, 11, 23)).overdue
    assert advice_due(Contact(received_at=friday), today=dt.date(2026, 11, 24)).overdue
    assert advice_due(Contact(received_at=christmas_eve)).due == dt.date(2026, 12, 29)


def test_the_demo_world_has_a_northshire_consultation_and_loads_again_without_duplicates(ids: dict[str, int]) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    assert consultation.method == ContactMethod.PHONE
    assert consultation.referrer_agency == "Northshire Youth Club"
    assert consultation.decisions.get().level == "consultation"
    assert Contact.objects.get(pk=ids["contact_chris"]).decisions.get().case_id == ids["case_chris"]
    again = load_demo_records().ids
    assert again == ids
    assert Contact.objects.filter(referrer_agency="Northshire Youth Club").count() == 1
