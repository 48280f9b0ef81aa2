"""Journeys through the LADO inbox: a consultation, and a consultation reopened as a referral; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import fill_date
from threshold.lado.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_lara_records_a_phone_consultation_from_a_youth_club_that_does_not_meet_the_threshold(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Lara, a LADO at Northshire, on her home page
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/")
    expect(page.get_by_role("heading", name="LADO service")).to_be_visible()
    axe.check(page)

    # When a youth club phones and she records the contact from her inbox
    page.get_by_role("link", name="Inbox", exact=True).first.click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Record a contact").click()
    axe.check(page)
    page.get_by_role("button", name="Record the contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the contact was received")
    axe.check(page)
    fill_date(page, "received", dt.date.today())
    page.get_by_label("Time received").fill("00:00")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Who made the contact?").select_option("employer")
    page.get_by_label("Name of the person making the contact").fill("Sky Sessionlead")
    page.get_by_label("Agency", exact=True).fill("Eastside Youth Club")
    page.get_by_label("The adult's full name").fill("Alex Archeryleader")
    page.get_by_label("Role or occupation").fill("Volunteer archery coach")
    page.get_by_label("Employer", exact=True).fill("Eastside Youth Club")
    page.get_by_label("Brief details of the circumstances").fill(
        "A volunteer posted a group photo of the archery session on his own social media account."
    )
    page.get_by_role("button", name="Record the contact").click()

    # Then the contact page shows it with its one-working-day clock
    expect(page.get_by_role("heading", name="The contact")).to_be_visible()
    expect(page.get_by_text("Advice is due by the end of")).to_be_visible()
    axe.check(page)

    # When she records the advice she gave
    page.get_by_role("link", name="Record the advice given").click()
    axe.check(page)
    page.get_by_label("What advice was given").fill("Remove the photo; remind volunteers of the club's policy.")
    page.get_by_role("button", name="Record the advice").click()
    expect(page.get_by_text("Advice recorded.")).to_be_visible()
    axe.check(page)

    # And answers the facts and asks for the pack's advice
    page.get_by_role("button", name="Decide: consultation, Tier 2 or Tier 1").click()
    axe.check(page)
    page.locator("#id_works_with_children").check()
    page.locator("#id_adult_identified").check()
    page.locator("#id_safeguarding_concern-2").check()
    page.locator("#id_practice_issue_only").check()
    page.get_by_role("button", name="Assess").click()

    # Then the advice is a consultation, quoting the protocol
    expect(page.get_by_role("heading", name="The pack's advice: Consultation")).to_be_visible()
    expect(page.get_by_text("more appropriately described as a practice issue").first).to_be_visible()
    axe.check(page)

    # When she records the consultation without saying why a risk was not identified
    page.locator("#id_consultation_reason-4").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why a risk was not identified")
    axe.check(page)
    page.get_by_label("Rationale").fill("A practice issue for the club: a risk was not identified.")
    page.get_by_role("button", name="Record the decision").click()

    # Then the consultation is recorded and stays findable
    expect(page.get_by_text("Decision recorded: consultation.")).to_be_visible()
    expect(page.locator("#decision + dl")).to_contain_text("Consultation")
    axe.check(page)
    page.goto(f"{live_demo}/lado/consultations/")
    expect(page.get_by_role("cell", name="Alex Archeryleader")).to_be_visible()
    axe.check(page)


def test_a_consultation_is_reopened_as_a_referral_when_a_second_concern_about_the_same_adult_arrives(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    consultation = Contact.objects.get(pk=demo_records["contact_consultation"]).reference
    # Given Lara, and the demo consultation about Robin Youthleader from Northshire Youth Club
    sign_in_quickly(page, live_demo, "lara")

    # When the police email a second concern about "Robyn" Youthleader and she records it
    page.goto(f"{live_demo}/lado/contacts/new/")
    axe.check(page)
    fill_date(page, "received", dt.date.today())
    page.get_by_label("Time received").fill("00:00")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Who made the contact?").select_option("police")
    page.get_by_label("Name of the person making the contact").fill("Pat Police")
    page.get_by_label("Agency", exact=True).fill("Northshire Police")
    page.get_by_label("The adult's full name").fill("Robyn Youthleader")
    fill_date(page, "adult_date_of_birth", dt.date(1996, 2, 11))
    page.get_by_label("Employer", exact=True).fill("Northshire Youth Club")
    page.get_by_label("Brief details of the circumstances").fill(
        "A parent told the police the volunteer messages their child late at night."
    )
    page.get_by_role("button", name="Record the contact").click()

    # Then the new contact shows the earlier consultation about the same adult, and why it matched
    previous = page.locator("table").filter(has_text=consultation)
    expect(previous).to_contain_text("Same date of birth")
    expect(previous).to_contain_text("Similar name (Robin Youthleader)")
    axe.check(page)

    # When she reopens the consultation as a referral
    page.get_by_role("link", name=f"Reopen {consultation} as a referral").click()
    expect(page.get_by_role("heading", name="The later contact")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Reopen and open a case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose Tier 2 or Tier 1")
    axe.check(page)
    page.get_by_label("Tier 2").check()
    page.get_by_label("Why the consultation is reopened as a referral").fill(
        "A second concern about the same volunteer: a pattern is emerging."
    )
    page.get_by_role("button", name="Reopen and open a case").click()

    # Then a LADO case opens, showing it came from the reopened consultation
    expect(page.get_by_text(f"Consultation {consultation} reopened as a Tier 2 referral.")).to_be_visible()
    expect(page.get_by_text("Reopened from a consultation")).to_be_visible()
    axe.check(page)
