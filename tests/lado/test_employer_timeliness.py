"""The employer's one-working-day duty, visible to the LADO on the contact (KCSIE Part 4; issue 13).

The trust's policy: "The Local Authority Designated Officer(s) should be
informed of all allegations that come to an organisation's attention that
appear to meet the criteria: within one working day". Working days are England
and Wales working days: Christmas Day, the weekend and Boxing Day's substitute
(Monday 28 December 2026) do not count.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.lado.nursery import lara_decides
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.allegations.services import ReferralDetails, referral_make
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.lado.models import Contact
from threshold.lado.services.conclusion import body_questions
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.employer_timeliness import contact_record_employer_facts, employer_timeliness
from threshold.people.models import Person, PersonKind

LONDON = ZoneInfo("Europe/London")
CHRISTMAS_EVE = dt.date(2026, 12, 24)
TUESDAY_29 = dt.datetime(2026, 12, 29, 10, 0, tzinfo=LONDON)
WEDNESDAY_30 = dt.datetime(2026, 12, 30, 10, 0, tzinfo=LONDON)

COMPLETE: ReferralDetails = {
    "adult_role": "Head of Maths",
    "came_to_light": "observed",
    "abuse_categories": ["physical"],
    "risk_managed": "restricted",
}

A_PHONE_CALL: dict[str, Any] = {
    "method": "phone",
    "source": "employer",
    "referrer_name": "Kim Clubmanager",
    "referrer_agency": "Northshire Youth Club",
    "adult_name": "Sol Swimcoach",
    "adult_role": "Swimming coach",
    "employer_name": "Northshire Youth Club",
    "summary": "A coach was seen messaging a young swimmer on social media.",
}


def text_of(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def christmas_eve_allegation(persona, demo_world: None) -> Allegation:
    """Oakfield's allegation about its Head of Maths, which came to Hana's attention on Christmas Eve 2026."""
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    mia = Person.objects.create(
        organisation=oakfield, kind=PersonKind.ADULT, full_name="Mia Mathsteacher", role_title="Head of Maths"
    )
    return Allegation.objects.create(
        organisation=oakfield,
        subject=mia,
        case_manager=persona("hana"),
        summary="Pushed a pupil against a wall in a maths lesson.",
        came_to_attention_on=CHRISTMAS_EVE,
        subject_is_teacher=True,
    )


def hana_refers(persona, allegation: Allegation, when: dt.datetime) -> Contact:
    """Hana refers the allegation to Northshire's LADO at ``when``; the contact it puts in Lara's inbox."""
    with time_machine.travel(when, tick=False):
        referral = referral_make(actor=persona("hana"), allegation=allegation, details=COMPLETE)
    return Contact.objects.get(referral=referral)


def test_hana_referring_on_tuesday_29_december_what_she_learned_on_christmas_eve_is_within_one_working_day(
    persona, christmas_eve_allegation: Allegation
) -> None:
    contact = hana_refers(persona, christmas_eve_allegation, TUESDAY_29)
    assert contact.employer_knew_on == CHRISTMAS_EVE
    duty = employer_timeliness(contact)
    assert duty.referred_on == dt.date(2026, 12, 29)
    assert duty.clock is not None
    # Christmas Day, the weekend and Boxing Day's substitute bank holiday do not count.
    assert duty.clock.due == dt.date(2026, 12, 29)
    assert duty.in_time is True


def test_hana_referring_on_wednesday_30_december_is_late(persona, christmas_eve_allegation: Allegation) -> None:
    contact = hana_refers(persona, christmas_eve_allegation, WEDNESDAY_30)
    duty = employer_timeliness(contact)
    assert duty.in_time is False


def test_lara_sees_on_the_contact_when_the_employer_first_knew_and_that_they_referred_in_time(
    persona, signed_in, christmas_eve_allegation: Allegation
) -> None:
    contact = hana_refers(persona, christmas_eve_allegation, TUESDAY_29)
    with time_machine.travel(TUESDAY_29 + dt.timedelta(hours=1), tick=False):
        text = text_of(signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "The employer's duty to refer" in text
    assert "When the employer first knew of the allegation 24 December 2026" in text
    assert "Referred within one working day Yes: referred on 29 December 2026, due by 29 December 2026" in text


def test_mo_sees_that_a_referral_on_wednesday_30_december_was_late(
    persona, signed_in, christmas_eve_allegation: Allegation
) -> None:
    contact = hana_refers(persona, christmas_eve_allegation, WEDNESDAY_30)
    with time_machine.travel(WEDNESDAY_30 + dt.timedelta(hours=1), tick=False):
        text = text_of(signed_in("mo").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "No: referred on 30 December 2026, it was due by 29 December 2026" in text


def test_a_contact_from_a_referral_records_the_employers_teacher_answer(
    persona, christmas_eve_allegation: Allegation
) -> None:
    contact = hana_refers(persona, christmas_eve_allegation, TUESDAY_29)
    assert contact.subject_is_teacher is True
    assert contact.adult_role == "Head of Maths"


def test_lara_records_by_hand_when_the_employer_first_knew_and_sees_whether_it_was_in_time(
    persona, signed_in, northshire: Organisation
) -> None:
    with time_machine.travel(WEDNESDAY_30, tick=False):
        contact = contact_record(
            actor=persona("lara"),
            local_authority=northshire,
            received_at=WEDNESDAY_30 - dt.timedelta(hours=1),
            employer_knew_on=CHRISTMAS_EVE,
            **A_PHONE_CALL,
        )
        text = text_of(signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert contact.employer_knew_on == CHRISTMAS_EVE
    assert employer_timeliness(contact).in_time is False
    assert "it was due by 29 December 2026" in text


def test_the_contact_form_asks_when_the_employer_first_knew_and_not_known_is_an_answer(signed_in) -> None:
    with time_machine.travel(TUESDAY_29, tick=False):
        client = signed_in("lara")
        form = text_of(client.get("/lado/contacts/new/"))
        page = client.post(
            "/lado/contacts/new/",
            {
                "received_day": "29",
                "received_month": "12",
                "received_year": "2026",
                "received_time": "9am",
                **A_PHONE_CALL,
                "employer_knew_not_known": "on",
            },
        )
        contact = Contact.objects.get(adult_name="Sol Swimcoach")
        text = text_of(client.get(page.url))
    assert "When did the employer first know of the allegation?" in form
    assert page.status_code == 302
    assert contact.employer_knew_on is None
    assert contact.employer_knew_not_known is True
    assert "When the employer first knew of the allegation Not known" in text
    assert "Cannot be said without the date the employer first knew" in text


@pytest.mark.parametrize(
    ("knew", "message"),
    [
        ({"day": "31", "month": "12", "year": "2026"}, "The date the employer first knew must be today or in the past"),
        (
            {"day": "29", "month": "12", "year": "2026"},
            "The date the employer first knew must be on or before the date received",
        ),
    ],
)
def test_a_date_in_the_future_or_after_the_contact_was_received_is_refused_beside_the_field(
    signed_in, knew: dict[str, str], message: str
) -> None:
    with time_machine.travel(WEDNESDAY_30, tick=False):
        page = signed_in("lara").post(
            "/lado/contacts/new/",
            {
                "received_day": "28",
                "received_month": "12",
                "received_year": "2026",
                "received_time": "9am",
                **A_PHONE_CALL,
                **{f"employer_knew_on_{part}": value for part, value in knew.items()},
            },
        )
    assert page.status_code == 200
    content = page.content.decode()
    assert message in text_of(page)
    # Beside the field: the error summary links to the day box, where the message also shows.
    assert 'href="#id_employer_knew_on_day"' in content
    assert 'id="employer_knew_on-date-error"' in content
    assert not Contact.objects.filter(adult_name="Sol Swimcoach").exists()


def test_a_date_and_not_known_together_are_refused(persona, northshire: Organisation) -> None:
    with pytest.raises(ValidationError) as raised, time_machine.travel(WEDNESDAY_30, tick=False):
        contact_record(
            actor=persona("lara"),
            local_authority=northshire,
            received_at=WEDNESDAY_30 - dt.timedelta(hours=1),
            employer_knew_on=CHRISTMAS_EVE,
            employer_knew_not_known=True,
            **A_PHONE_CALL,
        )
    assert "employer_knew_on" in raised.value.message_dict


def test_a_contact_from_a_parent_is_not_measured_against_the_employers_duty(persona, northshire: Organisation) -> None:
    with time_machine.travel(WEDNESDAY_30, tick=False):
        contact = contact_record(
            actor=persona("lara"),
            local_authority=northshire,
            received_at=WEDNESDAY_30 - dt.timedelta(hours=1),
            employer_knew_on=CHRISTMAS_EVE,
            **{**A_PHONE_CALL, "source": "parent"},
        )
    duty = employer_timeliness(contact)
    assert duty.from_employer is False
    assert duty.in_time is None


# ---------------------------------------------------------------- recorded later, or corrected


@pytest.fixture
def sols_contact(persona, northshire: Organisation) -> Contact:
    """Kim's call about Sol, recorded by Lara on Wednesday 30 December without the employer's date."""
    with time_machine.travel(WEDNESDAY_30, tick=False):
        return contact_record(
            actor=persona("lara"),
            local_authority=northshire,
            received_at=WEDNESDAY_30 - dt.timedelta(hours=1),
            **A_PHONE_CALL,
        )


def test_lara_records_the_employers_date_and_the_teacher_answer_after_the_contact_came_in(
    signed_in, sols_contact: Contact
) -> None:
    url = f"/lado/contacts/{rid(sols_contact.pk)}/employer-and-teacher/"
    with time_machine.travel(WEDNESDAY_30 + dt.timedelta(hours=2), tick=False):
        client = signed_in("lara")
        contact_page = text_of(client.get(f"/lado/contacts/{rid(sols_contact.pk)}/"))
        page = client.post(
            url,
            {
                "version": sols_contact.version,
                "employer_knew_on_day": "24",
                "employer_knew_on_month": "12",
                "employer_knew_on_year": "2026",
                "subject_is_teacher": "no",
            },
        )
        after = text_of(client.get(page.url))
    sols_contact.refresh_from_db()
    assert "When the employer first knew of the allegation Not recorded" in contact_page
    assert "Change when the employer first knew, or whether the adult is a teacher" in contact_page
    assert page.status_code == 302
    assert sols_contact.employer_knew_on == CHRISTMAS_EVE
    assert sols_contact.subject_is_teacher is False
    assert "it was due by 29 December 2026" in after
    assert AuditEvent.objects.filter(action="contact.employer_facts_recorded", record_id=str(sols_contact.pk)).exists()


def test_a_form_loaded_before_someone_else_saved_is_refused_with_409(persona, signed_in, sols_contact: Contact) -> None:
    with time_machine.travel(WEDNESDAY_30 + dt.timedelta(hours=2), tick=False):
        contact_record_employer_facts(
            actor=persona("mo"),
            contact=sols_contact,
            employer_knew_on=None,
            employer_knew_not_known=True,
            subject_is_teacher=None,
            expected_version=sols_contact.version,
        )
        page = signed_in("lara").post(
            f"/lado/contacts/{rid(sols_contact.pk)}/employer-and-teacher/",
            {"version": sols_contact.version - 1, "subject_is_teacher": "yes"},
        )
    sols_contact.refresh_from_db()
    assert page.status_code == 409
    assert sols_contact.subject_is_teacher is None
    assert sols_contact.employer_knew_not_known is True


def test_a_date_after_the_contact_was_received_is_refused_beside_the_field(signed_in, sols_contact: Contact) -> None:
    with time_machine.travel(WEDNESDAY_30 + dt.timedelta(hours=2), tick=False):
        page = signed_in("lara").post(
            f"/lado/contacts/{rid(sols_contact.pk)}/employer-and-teacher/",
            {
                "version": sols_contact.version,
                "employer_knew_on_day": "31",
                "employer_knew_on_month": "12",
                "employer_knew_on_year": "2026",
            },
        )
    assert page.status_code == 200
    assert "The date the employer first knew must be today or in the past" in text_of(page)
    assert 'href="#id_employer_knew_on_day"' in page.content.decode()


def test_a_changed_teacher_answer_is_written_to_the_case_chronology_and_the_tra_follows_it(
    persona, sols_contact: Contact
) -> None:
    with time_machine.travel(WEDNESDAY_30 + dt.timedelta(hours=2), tick=False):
        case = lara_decides(persona, sols_contact, "tier-2")
        asked_before = [question.body for question in body_questions(case)]
        sols_contact.refresh_from_db()
        contact_record_employer_facts(
            actor=persona("lara"),
            contact=sols_contact,
            employer_knew_on=None,
            employer_knew_not_known=False,
            subject_is_teacher=True,
            expected_version=sols_contact.version,
        )
        case.refresh_from_db()
        asked_after = [question.body for question in body_questions(case)]
    assert "tra" not in asked_before
    assert "tra" in asked_after
    line = ChronologyEntry.objects.filter(case=case).latest("pk")
    assert line.text.endswith("is the adult a teacher: yes.")
