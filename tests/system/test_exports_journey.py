"""Journey: the LADO manager filters all cases and takes the filtered list away as a spreadsheet.

Issue 14, "Every list out": every list exports to XLSX and CSV with the filters applied. All cases is the LADO
manager's list (a LADO sees "My cases"), so Mo, Northshire's manager, walks it. The pages of a long export (its
progress, and once expired the page saying so) are checked with axe too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import Organisation, User
from threshold.audit.models import AuditEvent
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.lado.models import Case
from threshold.people.models import Person
from threshold.reports.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_mo_filters_all_cases_and_downloads_the_spreadsheet(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Northshire's Tier 1 case about Chris, and a Tier 2 case about another adult
    chris = Case.objects.get(pk=demo_records["case_chris"])
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    tess = Case.objects.create(
        local_authority=northshire, tier="tier-2", summary="A Tier 2 case for the journey.",
        subject=Person.objects.create(organisation=northshire, full_name="Tess Tutor"), adult_name="Tess Tutor",
    )  # fmt: skip
    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)

    # When Mo opens all cases and filters them to Tier 1
    sign_in_quickly(page, live_demo, "mo")
    page.goto(f"{live_demo}/lado/cases/")
    axe.check(page)
    page.get_by_role("link", name="All cases").click()
    expect(page.get_by_role("heading", name="All cases")).to_be_visible()
    expect(page.get_by_role("link", name=tess.reference)).to_be_visible()
    axe.check(page)
    page.get_by_label("Tier").select_option(label="Tier 1")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=tess.reference)).to_have_count(0)
    expect(page.get_by_role("link", name=chris.reference)).to_be_visible()
    axe.check(page)

    # Then the spreadsheet he downloads holds the filtered rows, in words
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download as spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename == f"all-cases-{timezone.localdate().isoformat()}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.value.path().read_bytes())).worksheets[0]  # a path without .xlsx
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Reference", "Adult", "Tier", "Status", "Overdue", "LADO")
    assert [row[:3] for row in rows[1:]] == [(chris.reference, "Chris Coach", "Tier 1")]
    assert sheet.title == "All cases"

    # And the CSV carries the same filter
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download as CSV").click()
    with open(csv_download.value.path(), encoding="utf-8", newline="") as text:
        assert [row[0] for row in csv.reader(text)] == ["Reference", chris.reference]

    # And each download is one audited export naming the case in it
    exports = AuditEvent.objects.filter(action="records.exported", actor=mo).order_by("sequence")
    assert [(event.details["format"], event.details["ids"]) for event in exports] == [
        ("xlsx", [chris.pk]),
        ("csv", [chris.pk]),
    ]
    assert exports[0].details["filters"] == {"tier": "tier-1"}

    # And a long export's page says how far it has got, and once expired says so
    job = ExportJob.objects.create(requester=mo, kind="all-cases", file_format="xlsx", rows_total=6000)
    page.goto(f"{live_demo}/reports/exports/downloads/{rid(job.pk)}/")
    expect(page.get_by_role("heading", name="Your download")).to_be_visible()
    expect(page.get_by_text("Your spreadsheet of 6,000 rows is waiting to be written.")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="Your download")).to_be_visible()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, expires_at=timezone.now() - dt.timedelta(minutes=1), rows_done=6000
    )
    page.reload()
    expect(page.get_by_role("heading", name="This download has expired")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="All cases").click()
    expect(page.get_by_role("heading", name="All cases")).to_be_visible()
