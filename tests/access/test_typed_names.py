"""Subject exclusion when the adult's name is typed, not linked: a contact about a LADO is hidden from her."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.audit.models import AuditEvent
from threshold.core.demo import NORTHSHIRE
from threshold.lado.models import Contact
from threshold.lado.services.contacts import contact_record

pytestmark = pytest.mark.django_db


def a_call_about(adult_name: str) -> dict[str, Any]:
    """A phone call from a youth club about an adult, with no email address to link them by."""
    return {
        "received_at": timezone.now() - dt.timedelta(hours=1),
        "method": "phone",
        "source": "employer",
        "referrer_name": "Kim Clubmanager",
        "referrer_agency": "Northshire Youth Club",
        "referrer_contact": "01632 960 123",
        "adult_name": adult_name,
        "adult_date_of_birth": dt.date(1988, 3, 2),
        "adult_role": "Volunteer coach",
        "employer_name": "Northshire Youth Club",
        "summary": "A volunteer coach was seen messaging a young swimmer.",
    }


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=NORTHSHIRE)


@pytest.mark.parametrize("typed", ["Lara Lado", "Mrs Lado", "L. Lado"])
def test_a_contact_mo_records_about_lara_by_name_is_hidden_from_lara_everywhere(
    typed: str, persona, signed_in, northshire: Organisation
) -> None:
    contact = contact_record(actor=persona("mo"), local_authority=northshire, data=a_call_about(typed))
    assert contact.subject.user == persona("lara")
    lara = signed_in("lara")
    inbox = lara.get(reverse("lado_inbox"))
    assert inbox.status_code == 200
    link = f'href="{reverse("contact_detail", args=[contact.pk])}"'
    assert link not in inbox.content.decode()
    assert lara.get(reverse("contact_detail", args=[contact.pk])).status_code == 404
    found = lara.post(reverse("lado_search"), {"name": "Lara Lado"})
    assert found.status_code == 200
    assert link not in found.content.decode()
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert f"contact:{contact.pk}" not in searched.details["records"]
    assert not fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()
    # Mo, who recorded it, still sees it, and so does Ada, the local authority's auditor.
    assert fetch.visible_contacts(persona("mo")).filter(pk=contact.pk).exists()
    mo = signed_in("mo")
    assert mo.get(reverse("contact_detail", args=[contact.pk])).status_code == 200
    assert link in mo.get(reverse("lado_inbox")).content.decode()


def test_a_name_that_could_mean_two_members_of_the_service_asks_for_the_full_name(
    persona, northshire: Organisation
) -> None:
    leo = User.objects.create_user(email="leo.lado@northshire.example", full_name="Leo Lado")
    Membership.objects.create(user=leo, organisation=northshire, role="lado")
    with pytest.raises(ValidationError) as error:
        contact_record(actor=persona("mo"), local_authority=northshire, data=a_call_about("L. Lado"))
    assert "give the adult's full name" in error.value.message_dict["adult_name"][0]
    assert not Contact.objects.filter(adult_name="L. Lado").exists()
    contact = contact_record(actor=persona("mo"), local_authority=northshire, data=a_call_about("Leo Lado"))
    assert contact.subject.user == leo


def test_a_name_no_member_of_the_service_has_links_nobody(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("lara"), local_authority=northshire, data=a_call_about("Sol Swimcoach"))
    assert contact.subject.user is None
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()
