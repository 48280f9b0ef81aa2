"""Journeys: Mo, Northshire's LADO manager, brings the service's old log in from a spreadsheet, and Hana,
Oakfield's headteacher, the school's low-level concern log, by keyboard and mouse in a real browser, each page
checked with axe: upload, the columns Threshold recognised, what the codes mean, the dry run with its rows to
fix, the import in the background, and an undo (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.imports.concern_log import concern_log
from tests.imports.workbook import messy_workbook
from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_mo_maps_checks_imports_and_undoes_the_old_log(
    page: Page, live_demo: str, axe: Accessibility, tmp_path
) -> None:
    log = tmp_path / "northshire-lado-log.xlsx"
    log.write_bytes(messy_workbook())

    # Given Mo is on her home page
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Import earlier records").click()
    expect(page.get_by_role("heading", name="Import earlier records", level=1)).to_be_visible()
    axe.check(page)

    # When she uploads nothing, the error says what to do beside the field
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an .xlsx or .csv file to upload")
    axe.check(page)

    # When she uploads the log
    page.get_by_label("Upload a spreadsheet").set_input_files(str(log))
    page.get_by_role("button", name="Upload and continue").click()

    # Then the columns people use are recognised
    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_label("Adult's last name")).to_have_value("Surname")
    expect(page.get_by_label("Date concluded")).to_have_value("Date closed")
    axe.check(page)
    page.get_by_role("button", name="Continue").click()

    # And the codes come with what Threshold thinks they mean
    expect(page.get_by_role("heading", name="What your codes mean")).to_be_visible()
    expect(page.get_by_label("“T2” means")).to_have_value("tier-2")
    expect(page.get_by_label("“Phys” means")).to_have_value("physical")
    axe.check(page)
    page.get_by_role("button", name="Check the file").click()

    # Then the dry run says what it would do, and which rows to fix, and nothing is saved yet
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_text("5 contacts, 5 decisions, 4 cases, 3 adults")).to_be_visible()
    expect(page.get_by_text("Date received must be a real date, like 27/03/2024")).to_be_visible()
    assert not ImportedRecord.objects.exists()
    axe.check(page)
    with page.expect_download() as rows_to_fix:
        page.get_by_role("link", name="Download the rows to fix (.xlsx)").click()
    assert rows_to_fix.value.suggested_filename.startswith("rows-to-fix-")

    # When she imports (by keyboard)
    page.get_by_role("button", name="Import the rows without problems").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    run = ImportRun.objects.get()
    assert run.status == RunStatus.IMPORTED
    assert ImportedRecord.objects.filter(run=run).count() == 5
    axe.check(page)

    # And she undoes it, after being asked
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", name="Undo the import")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("heading", name="Undone", exact=True)).to_be_visible()
    assert not ImportedRecord.objects.exists()
    axe.check(page)


def test_hana_brings_the_schools_concern_log_in(page: Page, live_demo: str, axe: Accessibility, tmp_path) -> None:
    log = tmp_path / "oakfield-concerns.xlsx"
    log.write_bytes(concern_log())

    # Given Hana is on her home page
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Import earlier records").click()
    expect(page.get_by_role("heading", name="Import earlier records", level=1)).to_be_visible()
    axe.check(page)

    # When she uploads the school's log, the low-level concern form's columns are recognised
    page.get_by_label("Upload a spreadsheet").set_input_files(str(log))
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_label("Date the concern was raised")).to_have_value("Date raised")
    expect(page.get_by_label("Low level or allegation")).to_have_value("LLC or allegation")
    axe.check(page)
    page.get_by_role("button", name="Continue").click()

    # And the codes come with what Threshold thinks they mean
    expect(page.get_by_label("“LLC” means")).to_have_value("low_level")
    expect(page.get_by_label("“Chat” means")).to_have_value("conversation")
    axe.check(page)
    page.get_by_role("button", name="Check the file").click()

    # Then the dry run says what it would do; the row about Hana herself is not hers to record
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_text("5 concerns, 2 low-level concern records, 2 allegations")).to_be_visible()
    expect(page.get_by_text("This row is about you, or someone with your name", exact=False)).to_be_visible()
    axe.check(page)

    # When she imports (by keyboard), the concerns are Oakfield's, each saying where it came from
    page.get_by_role("button", name="Import the rows without problems").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    assert ImportRun.objects.get().status == RunStatus.IMPORTED
    axe.check(page)
    concern = ImportedRecord.objects.get(source_reference="LC-02").concern
    assert concern is not None
    page.goto(live_demo + reverse("concern_detail", args=[concern.pk]))
    expect(page.get_by_text("oakfield-concerns.xlsx, sheet “Concerns”, row 6, reference LC-02")).to_be_visible()
    axe.check(page)
