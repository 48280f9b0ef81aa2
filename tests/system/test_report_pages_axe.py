"""The report pages no journey reaches, checked with axe: the LADO report's settings and its errors, the period
chooser's errors, a school's own dashboard, and a background export's page once its file is ready (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import User
from threshold.demo import world
from threshold.reports.exports.services import export_job_run, export_job_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_mo_sets_the_small_number_threshold_and_a_wrong_one_is_explained_beside_it(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Mo is on the report's settings
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/reports/lado/settings/")
    axe.check(page)
    # When she enters a threshold the service cannot use
    page.get_by_label("Suppress counts below").fill("1")
    page.get_by_role("button").filter(has_text="Save").click()
    # Then the error summary and the message beside the field say what to do
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#suppress_below-error, .govuk-error-message").first).to_be_visible()
    axe.check(page)
    # And the report's period chooser explains an impossible date the same way
    page.goto(
        f"{live_demo}/reports/lado/?period=dates"
        "&from_day=31&from_month=2&from_year=2026&to_day=1&to_month=3&to_year=20266"
    )
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_text("at most 4 characters")).to_have_count(0)
    axe.check(page)


def test_hana_reads_her_schools_own_dashboard(page: Page, live_demo: str, axe: Accessibility) -> None:
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/reports/school/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check(page)


def test_mos_background_export_page_offers_the_file_once_it_is_written(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)
    job = export_job_start(actor=mo, kind="all-cases", file_format="xlsx", filters={}, rows_total=0)
    export_job_run(job_id=job.pk)
    sign_in_quickly(page, live_demo, "mo")
    page.goto(live_demo + reverse("export_job", args=[job.pk]))
    expect(page.get_by_text("Your spreadsheet is ready")).to_be_visible()
    axe.check(page)
