"""Journeys through documents and chronologies, each page checked with axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.documents.files import pdf_bytes
from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.core.record_ids import encode as rid

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Investigation notes: witness interviews"


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_hana_uploads_and_downloads_investigation_notes_then_adds_to_and_corrects_the_chronology(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility, tmp_path: Path
) -> None:
    notes = tmp_path / "witness-interviews.pdf"
    notes.write_bytes(pdf_bytes("Witness interviews, PE incident"))
    allegation_page = f"{live_demo}/allegations/{rid(demo_records['allegation_chris'])}/"

    # Given Hana, the case manager, on the allegation about Chris Coach
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation_page)
    axe.check(page)

    # When she uploads her investigation notes without a title first
    page.get_by_role("link", name="Upload a document").click()
    expect(page.get_by_role("heading", name="Upload a document")).to_be_visible()
    axe.check(page)
    page.get_by_label("Upload a file").set_input_files(str(notes))
    page.get_by_role("button", name="Upload document").click()
    # Then she is asked for one, beside the field
    expect(page.get_by_role("alert")).to_contain_text("Enter a title for the document")
    axe.check(page)
    # When she gives it a title and uploads it again
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Upload a file").set_input_files(str(notes))
    page.get_by_role("button", name="Upload document").click()
    # Then she is back on the allegation's documents, with the notes listed
    page.wait_for_url(f"{allegation_page}#documents")
    expect(page.get_by_text("The document was uploaded.")).to_be_visible()
    link = page.get_by_role("link", name=f"{TITLE} (download)")
    expect(link).to_be_visible()
    axe.check(page)

    # When she downloads them, she gets the same file back, named by the allegation's reference (a file's own name
    # often names a person, and a download's name travels)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Allegation ")
    assert download.suggested_filename.startswith(f"{reference}-document-")
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes() == notes.read_bytes()

    # When she adds a note of a phone call to the chronology
    page.get_by_role("link", name="Add an entry to the chronology").click()
    expect(page.get_by_role("heading", name="Add an entry to the chronology")).to_be_visible()
    axe.check(page)
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time it happened").fill("25:00")
    page.get_by_label("What happened").fill("Phoned the LADO. Advised to speak to the police before any investigation.")
    page.get_by_role("button", name="Add entry").click()
    # Then an impossible time is explained
    expect(page.get_by_role("alert")).to_contain_text("Enter the time it happened in the format 2:30pm or 14:30")
    axe.check(page)
    page.get_by_label("Time it happened").fill("10:15am")
    page.get_by_role("button", name="Add entry").click()
    # Then it is in the chronology
    page.wait_for_url(f"{allegation_page}#chronology")
    expect(page.get_by_text("Entry added to the chronology.")).to_be_visible()
    expect(page.get_by_role("cell", name="2 March 2026 at 10:15am", exact=True)).to_be_visible()
    axe.check(page)

    # When she corrects it
    page.get_by_role("link", name="Correct the entry of 2 March 2026 at 10:15am").click()
    expect(page.get_by_role("heading", name="Correct a chronology entry")).to_be_visible()
    expect(page.get_by_text("Phoned the LADO. Advised to speak to the police")).to_be_visible()
    axe.check(page)
    page.get_by_label("Correction").fill("The LADO phoned Hana, not the other way round.")
    page.get_by_role("button", name="Add correction").click()
    # Then the original stays, marked as corrected, with the correction below it
    page.wait_for_url(f"{allegation_page}#chronology")
    chronology = page.locator("#chronology ~ .app-table-container table").first
    expect(chronology).to_contain_text("Phoned the LADO. Advised to speak to the police")
    expect(chronology).to_contain_text("Corrected below")
    expect(chronology).to_contain_text("The LADO phoned Hana, not the other way round.")
    axe.check(page)
