"""The LADO pages no longer journey reaches, each opened as its user meets it and checked with axe.

The big journeys walk the main routes; these are the remaining forms a LADO
or manager opens: search, how the risk is managed, changing a meeting,
sharing a case, the review of delay, and reassignment.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def test_lara_searches_and_opens_the_case_forms_no_journey_reaches(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    case_id = demo_records["case_chris"]
    reference = Case.objects.get(pk=case_id).reference
    # Given Lara, a LADO at Northshire
    sign_in_quickly(page, live_demo, "lara")

    # When she searches by a misspelt name, the case about Chris Coach is found
    page.goto(f"{live_demo}/lado/search/")
    axe.check(page)
    page.get_by_label("Adult's name").fill("Chriss Coach")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    expect(page).to_have_url(f"{live_demo}/lado/search/")  # the name never goes into the address
    axe.check(page)

    # And the forms she opens from the case page are accessible
    for path, heading in (
        (f"/lado/cases/{rid(case_id)}/risk/add/", "How the risk is managed"),
        (f"/lado/meetings/{rid(demo_records['meeting_chris'])}/edit/", "Change the meeting's details"),
        (f"/lado/cases/{rid(case_id)}/share/", "Share this case"),
        (f"/lado/cases/{rid(case_id)}/delay-review/", "Record a review of delay"),
    ):
        page.goto(f"{live_demo}{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        axe.check(page)


def test_mo_opens_the_reassignment_page(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Mo, the LADO manager, on the reassignment page of Lara's case
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/lado/cases/{rid(demo_records['case_chris'])}/reassign/")
    expect(page.get_by_role("heading", name="Reassign the case")).to_be_visible()
    axe.check(page)
