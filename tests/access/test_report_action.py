"""The ``report`` action: who counts the LADO service's contacts and cases for its report, and that counting
opens nothing and never counts a record about the reader."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from threshold.access import fetch
from threshold.access.figures import may_report_on, report_authorities
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.people.models import Person


def northshire() -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def counted(user: User) -> tuple[set[int], set[int]]:
    """The ids of the contacts and cases the user counts."""
    contacts = set(fetch.visible_contacts(user, "report").values_list("pk", flat=True))
    cases = set(fetch.visible_cases(user, "report").values_list("pk", flat=True))
    return contacts, cases


def contact_about(user: User) -> Contact:
    """A Northshire contact whose adult is the user (linked to their account)."""
    person = Person.objects.create(organisation=northshire(), full_name=user.full_name, user=user)
    return Contact.objects.create(local_authority=northshire(), subject=person, summary="About a colleague.")


@pytest.mark.parametrize("key", ["lara", "mo", "ada"])
def test_northshires_lados_manager_and_auditor_count_its_contacts_and_cases(key: str, records, persona: Any) -> None:
    contacts, cases = counted(persona(key))
    assert records["contact_chris"] in contacts
    assert records["case_chris"] in cases
    assert records["contact_southvale"] not in contacts
    assert records["case_southvale"] not in cases
    assert may_report_on(persona(key), northshire())
    assert list(report_authorities(persona(key))) == [northshire()]


def test_ada_counts_what_mo_counts_and_counting_opens_no_record(records, persona: Any) -> None:
    ada, mo = persona("ada"), persona("mo")
    assert counted(ada) == counted(mo)
    for user in (ada, mo):
        with pytest.raises(Http404):
            fetch.access_contact(user, records["contact_chris"], "report")
        with pytest.raises(Http404):
            fetch.access_case(user, records["case_chris"], "report")
    # Counting is not changing: the auditor still changes nothing.
    with pytest.raises(Http404):
        fetch.access_contact(ada, records["contact_chris"], "change")


def test_sam_counts_southvale_only(records, persona: Any) -> None:
    contacts, cases = counted(persona("sam"))
    assert records["contact_southvale"] in contacts
    assert records["case_southvale"] in cases
    assert records["contact_chris"] not in contacts
    assert not may_report_on(persona("sam"), northshire())


@pytest.mark.parametrize("key", ["hana", "dev", "tom", "priya", "henry", "nina", "gina", "pat", "cara", "olu", "sid"])
def test_nobody_outside_a_lado_service_counts_anything(key: str, records, persona: Any) -> None:
    assert counted(persona(key)) == (set(), set())
    assert not may_report_on(persona(key), northshire())
    assert not report_authorities(persona(key)).exists()


def test_lado_business_support_records_contacts_but_is_not_given_the_figures(records, persona: Any) -> None:
    bea = User.objects.create_user(email="bea.support@northshire.example", full_name="Bea Support")
    Membership.objects.create(user=bea, organisation=northshire(), role=Role.LADO_BUSINESS_SUPPORT)
    assert fetch.visible_contacts(bea, "view").filter(pk=records["contact_chris"]).exists()
    assert counted(bea) == (set(), set())
    assert not may_report_on(bea, northshire())


@pytest.mark.parametrize("key", ["lara", "mo", "ada"])
def test_nobody_counts_a_contact_or_case_about_themselves(key: str, records, persona: Any) -> None:
    reader = persona(key)
    contact = contact_about(reader)
    case = Case.objects.create(
        local_authority=northshire(), subject=contact.subject, contact=contact, summary="About a colleague."
    )
    contacts, cases = counted(reader)
    assert contact.pk not in contacts
    assert case.pk not in cases
    colleague = persona("mo" if key != "mo" else "lara")
    assert contact.pk in counted(colleague)[0]
    assert case.pk in counted(colleague)[1]
