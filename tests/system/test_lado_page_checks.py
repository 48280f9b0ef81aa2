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


def test_lara_saves_a_meeting_mo_changed_meanwhile_and_gets_her_decisions_back_to_check(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    meeting_id = demo_records["meeting_chris"]
    # Given Lara has the meeting's details open
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/meetings/{rid(meeting_id)}/edit/")
    _chair(page)
    page.get_by_label("Decisions").fill("Lara's decisions: a strategy discussion in two weeks.")

    # And Mo saves the meeting in another window before she does
    other = page.context.browser.new_context()  # type: ignore[union-attr]
    mo = other.new_page()
    sign_in_quickly(mo, live_demo, "mo")
    mo.goto(f"{live_demo}/lado/meetings/{rid(meeting_id)}/edit/")
    _chair(mo)
    mo.get_by_label("Decisions").fill("Mo's decisions.")
    mo.get_by_role("button", name="Save the meeting").click()
    expect(mo.get_by_text("Meeting details saved.")).to_be_visible()
    other.close()

    # When Lara saves, nothing of hers is saved, and she is shown both versions with her text still in the form
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Someone else changed this after you opened the form")).to_be_visible()
    differs = page.get_by_role("table", name="What differs")
    expect(differs).to_contain_text("Mo's decisions.")
    expect(differs).to_contain_text("Lara's decisions: a strategy discussion in two weeks.")
    expect(page.get_by_label("Decisions")).to_have_value("Lara's decisions: a strategy discussion in two weeks.")
    axe.check(page)

    # And saving again, having checked, keeps her decisions
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Meeting details saved.")).to_be_visible()


def _chair(page: Page) -> None:
    """Who chaired the demo meeting, which the change form asks for."""
    page.locator("#id_chair_name").fill("Casey Chair")
    page.locator("#id_chair_agency").fill("Northshire children's social care")
