"""Lara completes the recording data set of Chris's case; Mo finds it among all cases and reassigns it.

The protocol's "Suggested Recording Data Set" is filled in from the case page,
one heading at a time, without JavaScript needed. Every page is checked with axe.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import fill_date
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def test_lara_completes_the_data_set_and_mo_reassigns_the_case(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    today = dt.date.today()
    case_url = f"{live_demo}/lado/cases/{rid(demo_records['case_chris'])}/"

    # Given Lara, the LADO, opens Chris's case from her cases
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/cases/")
    axe.check(page)
    page.locator(f'a[href="/lado/cases/{rid(demo_records["case_chris"])}/"]').click()
    expect(page.get_by_role("heading", name="Recording data set")).to_be_visible()
    axe.check(page)

    # When she records the adult's details, first with a date of birth in the future
    page.locator("#dataset-adult").get_by_role("link", name="Change").click()
    axe.check(page)
    page.locator("#id_adult_address").fill("1 Synthetic Street, Northshire")
    page.locator("#id_adult_gender").select_option("male")
    fill_date(page, "adult_date_of_birth", today + dt.timedelta(days=3))
    page.get_by_role("button", name="Save the adult's details").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe.check(page)
    fill_date(page, "adult_date_of_birth", dt.date(1990, 6, 21))
    page.get_by_role("button", name="Save the adult's details").click()
    expect(page.get_by_text("Data set saved.")).to_be_visible()

    # And adds the child, the police investigation with the DBS update, and the DBS referral
    page.locator("#dataset-children").get_by_role("link", name="Add a child").click()
    axe.check(page)
    page.locator("#id_full_name").fill("Pupil A")
    page.get_by_role("button", name="Add the child").click()
    expect(page.get_by_text("Child added.")).to_be_visible()

    # And corrects the child's name, then removes a second child she added to the wrong case
    page.get_by_role("link", name="Change child (victim) 1's details").click()
    axe.check(page)
    page.locator("#id_full_name").fill("Pupil Ay")
    page.get_by_role("button", name="Save the child's details").click()
    expect(page.get_by_text("Child's details saved.")).to_be_visible()
    page.locator("#dataset-children").get_by_role("link", name="Add a child").click()
    page.locator("#id_full_name").fill("Pupil X")
    page.get_by_role("button", name="Add the child").click()
    page.get_by_role("link", name="Remove child (victim) 2").click()
    axe.check(page)
    expect(page.get_by_text("Pupil X")).to_be_visible()
    page.get_by_role("button", name="Remove the child").click()
    expect(page.get_by_text("Child removed.")).to_be_visible()
    expect(page.get_by_text("Pupil X")).to_have_count(0)
    page.get_by_role("link", name="Record criminal investigation").click()
    axe.check(page)
    fill_date(page, "referred_on", today)
    page.locator("#id_lead").fill("DC Synthetic")
    page.locator('input[name="outcome"][value="ongoing"]').check()
    page.locator("#id_dbs_information").fill("Intelligence recorded to inform future disclosures.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Investigation recorded.")).to_be_visible()
    page.locator("#dataset-bodies").get_by_role("link", name="Add").click()
    axe.check(page)
    page.locator('input[name="body"][value="dbs"]').check()
    page.locator('input[name="referred"][value="yes"]').check()
    fill_date(page, "referred_on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral recorded.")).to_be_visible()

    # And moves the case to Tier 2 with the reason
    page.locator("#dataset-tier").get_by_role("link", name="Change").click()
    axe.check(page)
    page.locator('input[name="tier"][value="tier-2"]').check()
    page.locator("#id_reason").fill("The school is best placed to manage the matter; the LADO monitors.")
    page.get_by_role("button", name="Change the tier").click()
    expect(page.get_by_text("Tier changed.")).to_be_visible()
    axe.check(page)

    # Then Mo, the LADO manager, finds it among all Tier 2 cases and reassigns it to himself
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/lado/cases/all/?tier=tier-2")
    axe.check(page)
    page.locator(f'a[href="/lado/cases/{rid(demo_records["case_chris"])}/"]').click()
    page.locator("#id_lado").select_option(label="Mo Manager")
    page.locator("#id_reason").fill("Lara is on leave.")
    page.get_by_role("button", name="Reassign the case").click()
    expect(page.get_by_text("Case reassigned.")).to_be_visible()
    axe.check(page)
    page.goto(case_url)
    case = Case.objects.get(pk=demo_records["case_chris"])
    assert (case.tier, case.lado.full_name if case.lado else "") == ("tier-2", "Mo Manager")
    assert case.investigations.get().dbs_information.startswith("Intelligence")
    assert [child.full_name for child in case.children.all()] == ["Pupil Ay"]
