"""The LADO manager's team view: figures per LADO, what nobody holds, and allocating a contact (audited)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.timescales.work_helpers import MONDAY, MONDAY_MORNING, deadline
from threshold.accounts.models import Organisation
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case, Contact, ContactStatus
from threshold.lado.services.contact_allocation import contact_allocate, contact_candidates
from threshold.people.models import Person
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_deadlines(records: dict[str, int]) -> None:
    Deadline.objects.all().delete()


@pytest.fixture
def northshire(records: dict[str, int]) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


@pytest.fixture
def inbox_contact(records: dict[str, int]) -> Contact:
    """The demo phone contact from a parent, new in the Northshire inbox, held by nobody."""
    return Contact.objects.get(pk=records["contact_inbox"])


def _row(page: str, name: str) -> list[str]:
    """The cells of the team table's row for ``name``, as text."""
    table = page.split('id="team-figures"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == name:
            return cells[1:]
    raise AssertionError(f"No row for {name}")


def test_the_team_view_shows_each_ladOs_open_cases_by_tier_overdue_steps_and_contacts_held(
    records, northshire, inbox_contact, persona, signed_in
) -> None:
    lara = persona("lara")
    case = Case.objects.get(pk=records["case_chris"])
    tier_1 = Case.objects.filter(local_authority=northshire, lado=lara, status="open", tier="tier-1").count()
    tier_2 = Case.objects.filter(local_authority=northshire, lado=lara, status="open", tier="tier-2").count()
    deadline(case, kind="evaluation-meeting", due_on=MONDAY - dt.timedelta(days=1), owner=lara)
    deadline(case, kind="strategy-discussion", due_on=MONDAY - dt.timedelta(days=4), owner=lara)
    deadline(case, kind="monitoring-review", due_on=MONDAY + dt.timedelta(days=1), owner=lara)  # not overdue
    deadline(inbox_contact, kind="lado-initial-decision", due_on=MONDAY - dt.timedelta(days=1))
    held_before = Contact.objects.filter(
        local_authority=northshire, allocated_to=lara, status__in=(ContactStatus.NEW, ContactStatus.ADVISED)
    ).count()
    # Two contacts waiting with Lara: each is counted, not just her name once.
    waiting = [records["contact_chris"], records["contact_consultation"]]
    assert Contact.objects.filter(pk__in=waiting, local_authority=northshire).count() == 2
    Contact.objects.filter(pk__in=waiting).update(allocated_to=lara, status=ContactStatus.ADVISED)

    with time_machine.travel(MONDAY_MORNING, tick=False):
        response = signed_in("mo").get(reverse("lado_team"))

    page = response.content.decode()
    assert response.status_code == 200
    open_cases = tier_1 + tier_2
    assert _row(page, "Lara Lado") == [str(tier_1), str(tier_2), str(open_cases), "2", str(held_before + 2)]
    assert _row(page, "Mo Manager")[:4] == ["0", "0", "0", "0"]
    assert _row(page, "Not allocated")[3] == "1"  # the inbox contact's overdue clock
    unallocated = page.split('id="unallocated-contacts"', 1)[1].split('id="unallocated-cases"', 1)[0]
    assert inbox_contact.reference in unallocated
    assert reverse("contact_allocate", args=[inbox_contact.pk]) in unallocated
    assert "Pip Playworker" not in page  # references only, never the adult's name


def test_showing_the_team_view_writes_one_event_naming_the_records_listed(northshire, inbox_contact, signed_in):
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    signed_in("mo").get(reverse("lado_team"))

    event = AuditEvent.objects.get(sequence__gt=before, action="records.listed")
    assert event.details["list"] == "lado_team"
    assert inbox_contact.pk in event.details["contacts"]


def test_only_lado_managers_see_the_team_view(signed_in) -> None:
    statuses = {
        key: signed_in(key).get(reverse("lado_team")).status_code for key in ("mo", "lara", "sam", "ada", "hana")
    }

    assert statuses == {"mo": 200, "lara": 403, "sam": 403, "ada": 403, "hana": 403}


def test_mo_allocates_an_inbox_contact_to_lara_and_it_is_audited(inbox_contact, persona, signed_in) -> None:
    client = signed_in("mo")
    page = client.get(reverse("contact_allocate", args=[inbox_contact.pk]))
    assert page.status_code == 200
    assert "Nobody holds it yet." in page.content.decode()
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    response = client.post(
        reverse("contact_allocate", args=[inbox_contact.pk]),
        {"lado": persona("lara").pk, "version": inbox_contact.version},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("lado_team")
    inbox_contact.refresh_from_db()
    assert inbox_contact.allocated_to == persona("lara")
    event = AuditEvent.objects.get(sequence__gt=before, action="contact.allocated")
    assert (event.actor, event.record_type, event.record_id) == (persona("mo"), "contact", str(inbox_contact.pk))
    assert event.changes == {"allocated_to": [None, persona("lara").pk]}
    # The inbox now says who holds it.
    inbox = client.get(reverse("lado_inbox")).content.decode()
    assert "Lara Lado" in inbox


def test_allocating_moves_the_contacts_clock_to_the_lado(inbox_contact, persona) -> None:
    deadline(inbox_contact, kind="lado-initial-decision", due_on=MONDAY)
    contact_allocate(
        actor=persona("mo"), contact=inbox_contact, lado=persona("lara"), expected_version=inbox_contact.version
    )

    inbox_contact.refresh_from_db()
    assert inbox_contact.allocated_to == persona("lara")
    rows = Deadline.objects.filter(contact=inbox_contact, kind="lado-initial-decision", state="open")
    assert [row.owner for row in rows] == [persona("lara")]


def test_only_a_manager_allocates_and_never_to_the_contacts_subject(northshire, inbox_contact, persona) -> None:
    with pytest.raises(PermissionDenied):
        contact_allocate(
            actor=persona("lara"), contact=inbox_contact, lado=persona("lara"), expected_version=inbox_contact.version
        )
    namesake = Person.objects.create(organisation=northshire, full_name="Lara Lado")
    about_lara = Contact.objects.create(
        local_authority=northshire, subject=namesake, adult_name="Lara Lado", summary="A parent phoned."
    )
    assert persona("lara") not in contact_candidates(about_lara)
    assert persona("mo") in contact_candidates(about_lara)
    with pytest.raises(ValidationError) as refused:
        contact_allocate(
            actor=persona("mo"), contact=about_lara, lado=persona("lara"), expected_version=about_lara.version
        )
    assert refused.value.message_dict == {"lado": ["Choose a LADO or LADO manager of this local authority"]}
    with pytest.raises(ValidationError):
        contact_allocate(
            actor=persona("mo"), contact=inbox_contact, lado=persona("sam"), expected_version=inbox_contact.version
        )


def test_the_allocate_page_is_not_found_for_anyone_but_the_authoritys_manager(inbox_contact, signed_in) -> None:
    url = reverse("contact_allocate", args=[inbox_contact.pk])

    statuses = {key: signed_in(key).get(url).status_code for key in ("mo", "lara", "sam", "ada", "hana")}

    assert statuses == {"mo": 200, "lara": 404, "sam": 404, "ada": 404, "hana": 404}


def test_the_inbox_offers_managers_an_allocate_link_and_shows_who_holds_each_contact(inbox_contact, signed_in) -> None:
    link = reverse("contact_allocate", args=[inbox_contact.pk])

    assert link in signed_in("mo").get(reverse("lado_inbox")).content.decode()
    lara_inbox = signed_in("lara").get(reverse("lado_inbox")).content.decode()
    assert link not in lara_inbox
    assert "Held by" in lara_inbox
    assert "Not allocated" in lara_inbox


def test_a_stale_allocation_form_gets_the_conflict_notice(inbox_contact, persona, signed_in) -> None:
    stale = inbox_contact.version
    contact_allocate(actor=persona("mo"), contact=inbox_contact, lado=persona("mo"), expected_version=stale)

    response = signed_in("mo").post(
        reverse("contact_allocate", args=[inbox_contact.pk]), {"lado": persona("lara").pk, "version": stale}
    )

    assert response.status_code == 409
    inbox_contact.refresh_from_db()
    assert inbox_contact.allocated_to == persona("mo")


def test_the_manager_reassigns_a_case_from_the_team_view_by_its_reference(records, signed_in) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    typed = case.reference.lower().replace("-", " ")

    response = signed_in("mo").get(reverse("lado_team"), {"reference": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("case_reassign", args=[case.pk])


def test_a_reference_that_is_not_an_open_case_of_the_authority_is_an_error_beside_the_field(records, signed_in) -> None:
    southvale = Case.objects.get(pk=records["case_southvale"])

    response = signed_in("mo").get(reverse("lado_team"), {"reference": southvale.reference})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Team" in page
    assert "Enter the reference of an open case of this local authority" in page
