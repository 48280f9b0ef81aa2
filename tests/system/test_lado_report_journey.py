"""Mo's LADO report (issue 14): "a journey with axe through the report, a chart's table, the XLSX and the PDF".

Mo, Northshire's LADO manager, opens the report from the navigation, chooses last financial year with the keyboard
alone, then the hand-built year (1 April 2025 to 31 March 2026) by its two dates, reads the table beside the chart of
contacts by source, and downloads the workbook and the PDF. The page and its print view are checked with axe. The
server runs on the real clock: the year is chosen by its dates, so the journey checks the same figures whenever it
runs, and the figures expected are counted in the test for that period.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.reports.lado_year import build_lado_year
from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import Organisation, User
from threshold.demo import world
from threshold.reports.lado_pages.presenters import headlines
from threshold.reports.lado_report import lado_report
from threshold.reports.periods import financial_year

pytestmark = pytest.mark.django_db(transaction=True)


def persona(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


def test_mo_chooses_a_year_reads_its_report_and_downloads_it_as_a_workbook_and_a_pdf(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    build_lado_year(persona)
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    last_year = financial_year(financial_year(today).start - dt.timedelta(days=1))
    built_year = financial_year(dt.date(2025, 4, 1))
    expected = lado_report(
        user=persona("mo"), authority=Organisation.objects.get(name=world.NORTHSHIRE), period=built_year
    )
    sources = next(table for table in expected.tables() if table.key == "by_source")

    # Given Mo is signed in, when she opens the report from the navigation
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="LADO report", level=1)).to_be_visible()
    axe.check(page)
    # Then it shows this financial year
    expect(page.get_by_text(f"Figures for the financial year {financial_year(today).label}")).to_be_visible()

    # When she chooses last financial year with the keyboard alone
    this_year = page.get_by_label("This financial year")
    this_year.focus()
    expect(this_year).to_be_focused()
    page.keyboard.press("ArrowDown")
    last_year_radio = page.get_by_label("Last financial year")
    expect(last_year_radio).to_be_focused()
    expect(last_year_radio).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Quarter, if you chose a quarter")).to_be_focused()
    for _box in range(6):  # past the day, month and year of the two dates, which she leaves empty
        page.keyboard.press("Tab")
    expect(page.locator("#id_to_year")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show the report")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/lado/?period=last_year")
    axe.check(page)
    expect(page.get_by_text(f"Figures for the financial year {last_year.label}")).to_be_visible()

    # When she chooses the year the records were built in by its two dates, still with the keyboard alone
    last_year_radio.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Between two dates")).to_be_checked()
    page.keyboard.press("Tab")  # the quarter, left alone
    for value in ("1", "4", "2025", "31", "3", "2026"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show the report")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Figures for the financial year {built_year.label}")).to_be_visible()
    axe.check(page)

    # Then the summary gives last year's contacts and their change from the year before
    contacts = headlines(expected)[0]
    summary = page.locator("#report-summary-heading + p + dl")
    expect(summary).to_contain_text(f"Contacts received {contacts.value}")
    expect(summary).to_contain_text(contacts.change)

    # When she follows the contents to the contacts by source, she reads the table beside its chart
    page.get_by_role("link", name="Contacts by source").click()
    figure = page.locator("section#by_source")
    expect(figure.get_by_role("img", name="Contacts by source")).to_be_visible()
    table = figure.get_by_role("table")
    for row in sources.rows:
        line = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=row.label, exact=True))
        expect(line.get_by_role("cell")).to_have_text([str(value) for value in row.values])

    # When she downloads the workbook, it has the About sheet and a sheet per table
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename == (
        f"lado-report-northshire-council-{built_year.start.isoformat()}-to-{built_year.end.isoformat()}.xlsx"
    )
    with open(xlsx.value.path(), "rb") as handle:  # the saved download has no extension for openpyxl to read
        workbook = openpyxl.load_workbook(handle)
    assert workbook.sheetnames[0] == "About"
    assert len(workbook.sheetnames) == 1 + len(expected.tables())
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Local authority"] == world.NORTHSHIRE

    # And the PDF
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download as PDF").click()
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # And the print view is the report without the service's navigation
    page.get_by_role("link", name="Print this report").click()
    expect(page.get_by_role("heading", name="LADO report", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Reports")).to_have_count(0)
    expect(page.get_by_role("button", name="Show the report")).to_have_count(0)
    axe.check(page)

    # The workbook said when its figures were counted, as the page does (ADR 0045)
    assert str(about["Figures counted"]).startswith(f"{today.day} {today:%B %Y} at ")
    # When she goes back to the report and counts its figures again, they are shown at the period's own address
    page.go_back()
    period_address = page.url.split("#")[0]  # she had followed the contents to a table
    page.get_by_role("button", name="Count the figures again").click()
    expect(page.get_by_role("alert")).to_contain_text("Your figures were counted again.")
    expect(page.get_by_text(re.compile(r"^Counted on .* Your figures are kept for 15 minutes"))).to_be_visible()
    assert page.url == period_address
    expect(page.locator("#report-summary-heading + p + dl")).to_contain_text(f"Contacts received {contacts.value}")
