"""Journeys through the protected record pages, each page checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.concerns.models import Concern
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case, Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_priya_handles_the_concern_about_hana_that_hana_never_sees(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Hana, the headteacher, signed in
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Concerns", exact=True).click()
    # Then her list shows Oakfield's concerns but not the one about her
    expect(page.get_by_role("heading", name="Concerns")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("3 concerns")
    expect(page.get_by_text("Hana Head")).to_have_count(0)
    axe.check(page)
    # And she can open the allegation about Chris and its documents
    page.goto(f"{live_demo}/allegations/{rid(demo_records['allegation_chris'])}/")
    expect(page.get_by_role("link", name="Investigation notes")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Chris Coach", exact=True).click()
    expect(page.get_by_role("heading", name="Chris Coach", exact=True)).to_be_visible()
    axe.check(page)

    # Given Priya, the trust's director of school
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "priya")
    page.goto(f"{live_demo}/concerns/")
    page.get_by_label("Search by the name of the adult concerned").fill("Hana")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_contain_text("1 concern")
    axe.check(page)
    page.get_by_role("link", name=Concern.objects.get(pk=demo_records["concern_about_hana"]).reference).click()
    expect(page.get_by_text("The trust (the concern is about the headteacher)")).to_be_visible()
    axe.check(page)


def test_tom_sees_only_his_own_report(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    sign_in_quickly(page, live_demo, "tom")
    page.goto(f"{live_demo}/concerns/{rid(demo_records['concern_by_tom'])}/")
    report = Concern.objects.get(pk=demo_records["concern_by_tom"]).reference
    expect(page.get_by_role("heading", name=f"Your report {report}")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_demo}/concerns/{rid(demo_records['concern_about_tom'])}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe.check(page)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_lara_and_pat_see_the_case_each_as_their_role_allows(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    reference = Case.objects.get(pk=demo_records["case_chris"]).reference
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="LADO cases", exact=True).click()
    expect(page.locator("#result-count")).to_have_text("1 case.")
    axe.check(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("link", name="Strategy meeting minutes")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_demo}/lado/contacts/{rid(demo_records['contact_chris'])}/")
    contact = Contact.objects.get(pk=demo_records["contact_chris"]).reference
    expect(page.get_by_role("heading", name=f"Contact {contact}")).to_be_visible()
    axe.check(page)

    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "pat")
    page.goto(f"{live_demo}/lado/meetings/{rid(demo_records['meeting_chris'])}/")
    expect(page.get_by_role("heading", name="Strategy meeting")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("one of its meetings has been shared with you")).to_be_visible()
    expect(page.get_by_role("link", name="Strategy meeting minutes")).to_have_count(0)
    axe.check(page)


def test_ada_finds_out_who_has_looked_at_a_case(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    sign_in_quickly(page, live_demo, "ada")
    page.goto(f"{live_demo}/lado/cases/{rid(demo_records['case_chris'])}/")
    page.get_by_role("link", name="Who has looked at or changed this record").click()
    expect(page.get_by_role("cell", name="Ada Auditor viewed", exact=False).first).to_be_visible()
    axe.check(page)
    page.goto(f"{live_demo}/people/{rid(demo_records['person_la_chris'])}/")
    page.get_by_role("link", name="Who has looked at Chris Coach's records").click()
    expect(page.get_by_role("heading", name="Who has looked at Chris Coach's records")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Audit trail", exact=True).click()
    page.get_by_label("Action").select_option("record.view")
    page.get_by_role("button", name="Filter events").click()
    # In words, the record by its reference (issue 17); the code stays in the CSV.
    expect(page.get_by_role("cell", name=" viewed ", exact=False).first).to_be_visible()
    axe.check(page)
    page.get_by_label("Day").first.fill("31")
    page.get_by_role("button", name="Filter events").click()
    expect(page.get_by_role("alert")).to_contain_text("The start date must include a month and a year")
    axe.check(page)
