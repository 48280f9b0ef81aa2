"""Journeys through the work lists: the LADO manager allocates an inbox contact; the LADO finds it in My work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.allegations.models import Allegation
from threshold.lado.models import Case, Contact
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db(transaction=True)


def test_mo_allocates_an_inbox_contact_to_lara_who_finds_it_in_her_work(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given the parent's phone call about a nursery assistant, new in Northshire's inbox, its advice clock running
    contact = Contact.objects.get(pk=demo_records["contact_inbox"])
    Deadline.objects.update_or_create(
        record_key=f"contact:{contact.pk}",
        kind="lado-initial-decision",
        key="",
        defaults={
            "contact": contact, "organisation": contact.local_authority, "reference": contact.reference,
            "label": "Advice or initial decision", "due_on": timezone.localdate(), "state": "open",
        },
    )  # fmt: skip

    # When Mo, the LADO manager, opens the team view from his home page
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    axe.check(page)

    # Then the contact is among those nobody holds, and he allocates it to Lara
    page.get_by_role("link", name=f"Allocate contact {contact.reference}").click()
    expect(page.get_by_role("heading", name="Allocate the contact")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Allocate the contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the LADO")
    axe.check(page)
    page.get_by_label("Allocate to").select_option(label="Lara Lado")
    page.get_by_role("button", name="Allocate the contact").click()
    expect(page.get_by_text(f"Contact {contact.reference} allocated to Lara Lado.")).to_be_visible()
    expect(page.get_by_role("link", name=f"Allocate contact {contact.reference}")).to_have_count(0)
    axe.check(page)

    # And a case is reassigned from the team view by its reference
    case = Case.objects.get(pk=demo_records["case_chris"])
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_role("button", name="Reassign the case").click()
    expect(page.get_by_role("heading", name="Reassign the case")).to_be_visible()
    axe.check(page)

    # And the inbox says who holds the contact
    page.goto(f"{live_demo}/lado/inbox/")
    expect(page.get_by_role("row").filter(has_text=contact.reference)).to_contain_text("Lara Lado")

    # When Lara opens My work from her home page
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    page.get_by_role("link", name="See all your work").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    axe.check(page)

    # Then the contact's advice is in her list (due the working day after it came in), linked to the contact
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=contact.reference))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Advice or initial decision")

    # And she can narrow the list to that kind, and look at everything she can see
    page.get_by_label("Kind of step").select_option("lado-initial-decision")
    page.get_by_label("Everything you can see").check()
    page.get_by_role("button", name="Show").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=contact.reference))
    expect(row).to_contain_text("Lara Lado")  # whose it is, now that Mo allocated it
    axe.check(page)


def test_priya_sees_the_overdue_employer_steps_across_the_trusts_schools(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given an overdue step on Oakfield's allegation, which Hana manages
    allegation = Allegation.objects.get(pk=demo_records["allegation_chris"])
    Deadline.objects.update_or_create(
        record_key=f"allegation:{allegation.pk}",
        kind="lado-referral",
        key="",
        defaults={
            "allegation": allegation, "organisation": allegation.organisation, "reference": allegation.reference,
            "label": "Inform the LADO", "due_on": timezone.localdate() - dt.timedelta(days=3), "state": "open",
        },
    )  # fmt: skip

    # When Priya, the trust's director of school, opens the trust's view from her home page
    sign_in_quickly(page, live_demo, "priya")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Overdue across the trust").click()
    expect(page.get_by_role("heading", name="Overdue across the trust")).to_be_visible()
    axe.check(page)

    # Then Oakfield's overdue step is listed under the school, linked to the allegation
    expect(page.get_by_role("heading", name=allegation.organisation.name)).to_be_visible()
    # (beside its other overdue steps: telling the adult, due since the LADO decided)
    rows = page.get_by_role("row").filter(has=page.get_by_role("link", name=allegation.reference))
    expect(rows.filter(has_text="Inform the LADO")).to_have_count(1)


def test_hana_marks_a_step_nobody_recorded_as_not_needed_with_a_reason(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Oakfield's allegation about Chris, whose steps are stored as its services keep them
    allegation = Allegation.objects.get(pk=demo_records["allegation_chris"])
    assert Deadline.objects.filter(allegation=allegation, state="open").exists()

    # When Hana, its case manager, opens it and marks a step as not needed, first without a reason
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/allegations/")
    page.get_by_role("link", name=allegation.reference).first.click()
    page.get_by_role("link", name=re.compile(r"^Mark as not needed")).first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Mark as not needed: "))).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Mark as not needed").click()
    expect(page.get_by_role("link", name="Enter why this is not needed")).to_be_visible()
    axe.check(page)
    page.get_by_label("Why is this not needed?").fill("Agreed with the LADO on the telephone.")
    page.get_by_role("button", name="Mark as not needed").click()

    # Then she is back on the allegation, where the step says why, and the step has left her work
    expect(page.get_by_text("Not needed: Agreed with the LADO on the telephone.")).to_be_visible()
    closed = Deadline.objects.get(allegation=allegation, state="not_needed")
    assert closed.reason == "Agreed with the LADO on the telephone."
    assert closed.closed_by is not None
    assert closed.closed_by.email == "hana.head@oakfield.example"
