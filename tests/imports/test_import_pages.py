"""Mo brings the old log in through the pages: upload, columns recognised, codes translated, the dry run, the
import in the background, the rows to fix as a spreadsheet, a saved mapping, and the undo. Lara, a LADO but
not the manager, cannot import, nor open Mo's import."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse

from tests.imports.workbook import messy_workbook
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus, SavedMapping
from threshold.imports.services.mapping import value_choices
from threshold.lado.models import Contact


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC), tick=False):
        yield


def upload(client: Client, content: bytes, name: str = "northshire-lado-log.xlsx", **extra: str) -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("imports"), {"file": file, **extra})


def accept_suggestions(client: Client, run: ImportRun) -> Any:
    """The columns page sent as Threshold suggested, then each value as suggested."""
    data = {"version": run.version, **run.mapping}
    response = client.post(reverse("import_columns", args=[run.pk]), data)
    assert response.status_code == 302, response.content
    run.refresh_from_db()
    values: dict[str, Any] = {"version": run.version}
    for name, found in value_choices(run).items():
        for index, value in enumerate(found):
            values[f"{name}-{index}"] = value.suggested or "-"
    # The check runs as a task once the request commits (the test settings run tasks at once).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("import_values", args=[run.pk]), values)


def test_mo_uploads_the_log_and_the_columns_people_use_are_recognised(signed_in: Any) -> None:
    mo = signed_in("mo")
    response = upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import_columns", args=[run.pk])
    assert run.header_row == 3
    assert run.sheet == "LADO log"
    assert run.mapping["adult_last_name"] == "Surname"
    assert run.mapping["adult_date_of_birth"] == "DOB"
    assert run.mapping["employer_name"] == "Setting"
    assert run.mapping["categories"] == "Category"
    assert run.mapping["concluded_on"] == "Date closed"
    page = mo.get(reverse("import_columns", args=[run.pk])).content.decode()
    assert '<option value="Surname" selected>' in page


def test_the_values_page_suggests_what_each_code_means(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    mo.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **run.mapping})
    run.refresh_from_db()
    suggestions = {
        (name, choice.value): choice.suggested for name, found in value_choices(run).items() for choice in found
    }
    assert suggestions[("decision", "T2")] == "tier-2"
    assert suggestions[("decision", "Tier 1")] == "tier-1"
    assert suggestions[("categories", "Phys")] == "physical"
    assert suggestions[("outcome", "Sub")] == "substantiated"
    page = mo.get(reverse("import_values", args=[run.pk])).content.decode()
    assert "“T2” means" in page


def test_the_dry_run_shows_every_problem_by_row_and_column_and_saves_nothing(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    response = accept_suggestions(mo, run)
    assert response.status_code == 302
    assert response.url == reverse("import_run", args=[run.pk])
    page = mo.get(response.url).content.decode()
    assert "5 contacts, 5 decisions, 4 cases, 3 adults" in page
    assert "Date received must be a real date, like 27/03/2024" in page
    assert "Summary holds a formula, which Threshold does not run" in page
    assert not ImportedRecord.objects.exists()


def test_mo_imports_in_the_background_and_can_undo_it(signed_in: Any, django_capture_on_commit_callbacks: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    accept_suggestions(mo, run)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = mo.post(reverse("import_go", args=[run.pk]), {"version": run.version})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.IMPORTED
    assert run.rows_done == 8
    assert ImportedRecord.objects.filter(run=run).count() == 5
    page = mo.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Brought in" in page
    assert "Undo this import" in page
    confirm = mo.get(reverse("import_undo", args=[run.pk]))
    assert "Every contact, decision and case this import brought in will be removed" in confirm.content.decode()
    run.refresh_from_db()
    mo.post(reverse("import_undo", args=[run.pk]), {"version": run.version})
    run.refresh_from_db()
    assert run.status == RunStatus.UNDONE
    assert not ImportedRecord.objects.exists()


def test_the_rows_to_fix_come_back_as_a_spreadsheet_with_no_formula(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    accept_suggestions(mo, run)
    response = mo.get(reverse("import_problems", args=[run.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Row"
    assert rows[0][-1] == "What to fix"
    assert [row[0] for row in rows[1:]] == [9, 10]
    assert "Date received must be a real date" in rows[1][-1]
    formula_cell = sheet.cell(row=3, column=rows[0].index("Summary") + 1)
    assert formula_cell.data_type == "s"  # the formula comes back as text, never to run


def test_a_saved_mapping_is_used_for_the_next_file(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    accept_suggestions(mo, run)
    mo.post(reverse("import_save_mapping", args=[run.pk]), {"name": "LADO log 2019 to 2024"})
    saved = SavedMapping.objects.get()
    assert saved.mapping == run.mapping
    assert saved.translations["decision"]["t2"] == "tier-2"
    upload(mo, messy_workbook(), saved_mapping=str(saved.pk))
    second = ImportRun.objects.exclude(pk=run.pk).get()
    assert second.translations == saved.translations


def test_a_file_that_is_not_a_spreadsheet_is_refused_beside_the_field(signed_in: Any) -> None:
    response = upload(signed_in("mo"), b"%PDF-1.7\x00 not a spreadsheet", name="log.xlsx")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The file is not a spreadsheet" in page
    assert not ImportRun.objects.exists()


class Received(FileUploadHandler):
    """After the limit's handler: how much of the upload reached the handlers that write it to memory or disk."""

    seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        Received.seen += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def test_a_file_over_the_limit_is_refused_beside_the_field_as_it_arrives(signed_in: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_HANDLERS = ["tests.imports.test_import_pages.Received", *settings.FILE_UPLOAD_HANDLERS]
    Received.seen = 0
    response = upload(signed_in("mo"), b"Reference,Surname\n" + b"C-1,Smith\n" * 200_000)
    assert response.status_code == 400
    assert "The file must be smaller than 1 MB: split it into parts" in response.content.decode()
    assert not ImportRun.objects.exists()
    # Nothing past the limit was written anywhere (the file was 2 MB).
    assert Received.seen <= 1024 * 1024


def test_an_upload_without_the_form_token_is_refused(signed_in: Any) -> None:
    mo = signed_in("mo", Client(enforce_csrf_checks=True))
    assert upload(mo, messy_workbook()).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_mapping_without_the_date_received_is_explained(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    mapping = {name: header for name, header in run.mapping.items() if name != "received_on"}
    response = mo.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **mapping})
    assert response.status_code == 400
    assert "Choose the column that holds the date received" in response.content.decode()


def test_lara_cannot_import_nor_open_mos_import(signed_in: Any) -> None:
    upload(signed_in("mo"), messy_workbook())
    run = ImportRun.objects.get()
    lara = signed_in("lara")
    assert lara.get(reverse("imports")).status_code == 403
    assert lara.get(reverse("import_run", args=[run.pk])).status_code == 404
    assert lara.get(reverse("import_problems", args=[run.pk])).status_code == 404
    assert not Contact.objects.filter(summary__contains="Pushed a pupil").exists()


def test_the_contact_page_says_which_file_and_row_it_came_from(signed_in: Any, persona: Any, tmp_path: Path) -> None:
    path = tmp_path / "northshire-lado-log.xlsx"
    path.write_bytes(messy_workbook())
    call_command("lado_import", str(path), "--authority", "northshire-council", "--as", persona("mo").email,
                 stdout=io.StringIO())  # fmt: skip
    contact = ImportedRecord.objects.get(source_reference="NL-003").contact
    assert contact is not None
    page = signed_in("lara").get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Brought in from" in page
    assert "northshire-lado-log.xlsx, sheet “LADO log”, row 7, reference NL-003" in page


def test_no_page_title_names_the_file(signed_in: Any) -> None:
    import re

    mo = signed_in("mo")
    upload(mo, messy_workbook(), name="John Smith allegation.xlsx")
    run = ImportRun.objects.get()
    for name in ("import_columns", "import_values", "import_run", "import_undo"):
        page = mo.get(reverse(name, args=[run.pk])).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title is not None
        assert "Smith" not in title.group(1), name


def test_a_stopped_import_is_checked_again_from_its_page(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    accept_suggestions(mo, run)
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    page = mo.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Check the file again" in page
    run.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = mo.post(reverse("import_recheck", args=[run.pk]), {"version": run.version})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED


def test_an_undo_without_the_pages_version_undoes_nothing(
    signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    accept_suggestions(mo, run)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        mo.post(reverse("import_go", args=[run.pk]), {"version": run.version})
    response = mo.post(reverse("import_undo", args=[run.pk]), {})
    assert response.status_code == 302
    assert response.url == reverse("import_undo", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.IMPORTED
    assert ImportedRecord.objects.filter(run=run).count() == 5


def test_a_run_waiting_to_be_checked_says_so_and_offers_to_look_again(signed_in: Any) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.CHECK_QUEUED, rows_done=500, rows_total=0)
    page = mo.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Checking the file" in page
    assert "500 rows read" in page
    assert "A large file is checked in the background" in page
    assert "Check again" in page
    assert "Import the rows without problems" not in page


def test_every_value_of_a_coded_column_is_offered_those_threshold_cannot_read_first(signed_in: Any) -> None:
    # Seventy outcomes typed seventy ways, and one Threshold recognises: each can be given its meaning.
    rows = "".join(f"{1 + number % 28}/11/2024,Zephyr,A contact.,Code Q{number}\r\n" for number in range(70))
    rows += "01/12/2024,Zephyr,A contact.,Substantiated\r\n"
    mo = signed_in("mo")
    upload(mo, f"Date received,Surname,Summary,Outcome\r\n{rows}".encode(), name="log.csv")
    run = ImportRun.objects.get()
    assert run.mapping["outcome"] == "Outcome"
    mo.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **run.mapping})
    run.refresh_from_db()
    outcomes = value_choices(run)["outcome"]
    assert len(outcomes) == 71
    assert [choice.value for choice in outcomes][-1] == "Substantiated"  # recognised: after those needing a person
    assert {choice.suggested for choice in outcomes[:70]} == {None}
    page = mo.get(reverse("import_values", args=[run.pk])).content.decode()
    assert "“Code Q69” means" in page


@pytest.mark.parametrize("version", [None, "", "not a number"], ids=["dropped", "blank", "tampered"])
def test_a_columns_form_sent_without_its_version_says_to_open_it_again_and_saves_nothing(
    signed_in: Any, version: str | None
) -> None:
    mo = signed_in("mo")
    upload(mo, messy_workbook())
    run = ImportRun.objects.get()
    before = (run.version, run.status, run.mapping)
    data = {**run.mapping, "adult_last_name": "", **({} if version is None else {"version": version})}
    response = mo.post(reverse("import_columns", args=[run.pk]), data)
    assert response.status_code == 400
    assert "This form was sent without the version of the record it was opened at: open it again" in (
        response.content.decode()
    )
    run.refresh_from_db()
    assert (run.version, run.status, run.mapping) == before


def test_a_column_of_more_values_than_a_coded_column_can_hold_is_sent_back_to_the_columns(signed_in: Any) -> None:
    # A free-text column mapped as the outcome: 150 different values. The page says so instead of asking about
    # each, and the file cannot be checked until the column is mapped again.
    rows = "".join(f"{1 + number % 28}/11/2024,Zephyr,A contact.,Said something {number}\r\n" for number in range(150))
    mo = signed_in("mo")
    upload(mo, f"Date received,Surname,Summary,Outcome\r\n{rows}".encode(), name="log.csv")
    run = ImportRun.objects.get()
    mo.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **run.mapping})
    run.refresh_from_db()
    message = "Outcome holds 150 different values, more than a coded column can: go back to the columns"
    page = mo.get(reverse("import_values", args=[run.pk])).content.decode()
    assert message in page
    assert "“Said something 1” means" not in page
    response = mo.post(reverse("import_values", args=[run.pk]), {"version": run.version})
    assert response.status_code == 400
    assert message in response.content.decode()
    run.refresh_from_db()
    assert run.status != RunStatus.CHECKING
