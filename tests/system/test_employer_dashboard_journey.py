"""Priya, the trust's director of school, reads the trust's dashboard, a chart's table, and downloads the figures.

Issue 14, "The employer side": a trust dashboard for directors of school, with the same charts, tables, exports
and print view as the LADO's report. Every page is checked with axe, the error page of the period chooser too.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.reports.employer_year import build_year
from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.demo import world
from threshold.reports.employer.presenters import COUNTED_FROM

pytestmark = pytest.mark.django_db(transaction=True)


def test_priya_reads_the_trusts_figures_a_charts_table_and_downloads_them(
    page: Page, live_demo: str, axe: Accessibility, tmp_path: Path
) -> None:
    # Given a year of concerns and allegations at the trust's schools
    year = build_year()

    # When Priya opens the dashboard from the navigation
    sign_in_quickly(page, live_demo, "priya")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Trust dashboard", level=1)).to_be_visible()
    expect(page.get_by_text(COUNTED_FROM)).to_be_visible()
    axe.check(page)

    # And chooses the academic year from September 2026, leaving out the year it ends
    page.get_by_role("group", name="From").get_by_label("Day").fill("1")
    page.get_by_role("group", name="From").get_by_label("Month").fill("9")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    page.get_by_role("group", name="To").get_by_label("Day").fill("31")
    page.get_by_role("group", name="To").get_by_label("Month").fill("8")
    page.get_by_role("group", name="To").get_by_label("Year").fill("")
    page.get_by_role("button", name="Show the figures").click()

    # Then she is told what is missing, beside the field
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end of the period must include a year")
    expect(page.locator("#to-date-error")).to_contain_text("The end of the period must include a year")
    axe.check(page)
    page.get_by_role("group", name="To").get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_text("Figures for the academic year 2026 to 2027")).to_be_visible()
    axe.check(page)

    # And she reads the table beside the chart of low-level concerns by school
    figure = page.locator("section#low_level_by_school")
    expect(figure.get_by_role("img", name="Low-level concerns, by school")).to_be_visible()
    oakfield = figure.get_by_role("row").filter(has=page.get_by_role("rowheader", name=world.OAKFIELD))
    expect(oakfield.get_by_role("cell")).to_have_text("4")
    hillcrest = figure.get_by_role("row").filter(has=page.get_by_role("rowheader", name=world.HILLCREST))
    expect(hillcrest.get_by_role("cell")).to_have_text("2")

    # And the concerns of the adults with more than one are references she can open
    expect(page.get_by_role("link", name=year.concerns["sally_2"].reference)).to_be_visible()

    # When she downloads the figures as a spreadsheet
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    # Then the workbook has the same table on a sheet of its own
    assert saved.name == "trust-dashboard-2026-09-01-to-2027-08-31.xlsx"
    workbook = openpyxl.load_workbook(saved)
    rows = [list(row) for row in workbook["Low-level concerns, by school"].iter_rows(values_only=True)]
    assert [world.OAKFIELD, 4] in rows
    assert [world.HILLCREST, 2] in rows

    # And the print view has the figures without the navigation
    page.get_by_role("link", name="Print these figures").click()
    expect(page.get_by_role("heading", name="Trust dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_have_count(0)
    axe.check(page)
