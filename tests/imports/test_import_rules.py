"""What an import must never do, each found by a review and reproduced here first: show or change a record about
the person importing, run a formula of any kind, unpack a bomb, allocate a record to the adult it is about,
undo work done in Threshold since, copy the file's values into the audit trail, join different adults into
one person, or link a setting of another authority. Mo imports; Christmas Eve 2024."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from openpyxl.worksheet.formula import ArrayFormula

from tests.imports.test_import_command import as_mo, contact_of, imported, lado_import
from tests.imports.workbook import FIRST, HEADER, LARA, ROWS, messy_workbook
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus
from threshold.imports.services.mapping import import_map
from threshold.lado.services.cases import case_update_dataset


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC), tick=False):
        yield


def row(**changes: Any) -> list[Any]:
    """The first row of the log with some cells changed, by header."""
    cells = list(FIRST)
    for header, value in changes.items():
        cells[HEADER.index(header.replace("_", " "))] = value
    return cells


def write(tmp_path: Path, name: str, rows: list[list[Any] | None]) -> Path:
    path = tmp_path / name
    path.write_bytes(messy_workbook(rows))
    return path


def test_mo_rerunning_a_row_about_himself_neither_learns_nor_changes_it(persona: Any, tmp_path: Path) -> None:
    about_mo = row(Ref="NM-1", Surname="Manager", Forename="Mo", DOB="", LADO="")
    lado_import(write(tmp_path, "first.xlsx", [about_mo]), *as_mo(persona))
    contact = contact_of("NM-1")
    assert contact.subject.user == persona("mo")
    changed = [*about_mo]
    changed[HEADER.index("Outcome")] = "Unfounded"
    again = lado_import(write(tmp_path, "again.xlsx", [changed]), *as_mo(persona))
    assert (again["updated"], again["unchanged"], again["rows_with_errors"]) == (0, 1, 0)
    case = imported("NM-1").case
    assert case is not None
    assert case.outcome == "substantiated"


def test_an_array_formula_is_refused_like_any_other(persona: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write(tmp_path, "array.xlsx", [FIRST])
    book = load_workbook(path)
    book.active.cell(row=4, column=HEADER.index("Summary") + 1).value = ArrayFormula("N4", "=UPPER(M4)")
    book.save(path)
    summary = lado_import(path, "--dry-run")
    assert summary["errors"] == [
        {"row": 4, "column": "Summary", "message": "Summary holds a formula, which Threshold does not run: "
         "type the value itself"}
    ]  # fmt: skip


def test_a_zip_bomb_is_refused_before_it_is_unpacked(persona: Any, tmp_path: Path) -> None:
    target = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(messy_workbook([FIRST]))) as source,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item.filename, source.read(item.filename))
        bomb.writestr("xl/media/padding.bin", b"\0" * (16 * 1024 * 1024))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(target.getvalue())
    with pytest.raises(CommandError, match="too large once unpacked"):
        lado_import(path, "--dry-run")


def test_a_case_about_lara_is_never_allocated_to_her(persona: Any, tmp_path: Path) -> None:
    about_lara = row(Ref="NL-L", Surname="Lado", Forename="Lara", DOB="", LADO=LARA)
    summary = lado_import(write(tmp_path, "lara.xlsx", [about_lara]), *as_mo(persona))
    assert summary["unallocated"] == 1
    case = imported("NL-L").case
    assert case is not None
    assert case.lado is None


def test_a_lado_who_has_left_leaves_the_row_unallocated_not_refused(persona: Any, tmp_path: Path) -> None:
    summary = lado_import(write(tmp_path, "left.xlsx", [row(LADO="gone@northshire.example")]), *as_mo(persona))
    assert (summary["rows_with_errors"], summary["unallocated"], summary["created"]["cases"]) == (0, 1, 1)


def test_a_rerun_leaves_a_record_lara_has_worked_on_to_her(persona: Any, tmp_path: Path) -> None:
    still_open = {"Outcome": "", "Date_closed": ""}
    lado_import(write(tmp_path, "first.xlsx", [row(**still_open)]), *as_mo(persona))
    case = imported("NL-001").case
    assert case is not None
    case_update_dataset(actor=persona("lara"), case=case, dataset={"adult_role": "Head of year"},
                        expected_version=case.version)  # fmt: skip
    corrected = lado_import(write(tmp_path, "corrected.xlsx", [row(Summary="Told better.", **still_open)]),
                            *as_mo(persona))  # fmt: skip
    assert corrected["updated"] == 0
    assert corrected["errors"][0]["message"].startswith("Someone has worked on this record in Threshold")
    case.refresh_from_db()
    assert (case.adult_role, case.summary) == ("Head of year", "Pushed a pupil against a wall.")


def test_an_update_names_the_fields_it_changed_without_their_values(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    lado_import(write(tmp_path, "corrected.xlsx", [row(Setting="Hillcrest Academy", Role="Deputy head")]),
                *as_mo(persona))  # fmt: skip
    event = AuditEvent.objects.get(action="case.import_updated")
    assert event.changes == {}
    assert {"employer_name", "adult_role"} <= set(event.excluded_fields)
    assert "file" not in event.details


def test_a_reference_reused_for_another_adult_is_refused(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    other = row(Surname="Doe", Forename="Jane", DOB="01/01/1990")
    summary = lado_import(write(tmp_path, "2021.xlsx", [other]), *as_mo(persona))
    assert summary["errors"][0]["message"].startswith("This reference was first imported for a different adult")
    assert contact_of("NL-001").adult_name == "John Smith"


def test_a_conclusion_removed_from_the_file_is_refused(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    summary = lado_import(write(tmp_path, "open.xlsx", [row(Outcome="", Date_closed="")]), *as_mo(persona))
    assert summary["errors"][0]["column"] == "Date closed"
    case = imported("NL-001").case
    assert case is not None
    assert case.concluded_on == dt.date(2019, 6, 28)


def test_adults_without_a_latin_name_or_without_a_name_are_never_joined(persona: Any, tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [
        row(Ref="U-1", Surname="王", Forename="伟", DOB=""),
        row(Ref="U-2", Surname="李", Forename="娜", DOB=""),
        row(Ref="U-3", Surname="", Forename="", DOB=""),
        row(Ref="U-4", Surname="", Forename="", DOB=""),
    ]
    summary = lado_import(write(tmp_path, "names.xlsx", rows), *as_mo(persona))
    assert summary["created"]["people"] == 4
    assert len({contact_of(f"U-{n}").subject_id for n in range(1, 5)}) == 4


def test_the_dry_run_counts_an_adult_already_recorded_as_no_new_person(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    later = lado_import(write(tmp_path, "later.xlsx", [row(Ref="NL-900")]), "--dry-run")
    assert later["created"]["people"] == 0
    done = lado_import(write(tmp_path, "later.xlsx", [row(Ref="NL-900")]), *as_mo(persona))
    assert done["created"]["people"] == 0


def test_a_setting_of_another_authority_is_not_linked(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "meadow.xlsx", [row(Setting="Meadow Lane Academy")]), *as_mo(persona))
    case = imported("NL-001").case
    assert case is not None
    assert case.employer is None  # Meadow Lane is Southvale's school
    assert case.employer_name == "Meadow Lane Academy"


def test_an_imported_run_cannot_be_mapped_again(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    with pytest.raises(ValidationError, match="upload the file again"):
        import_map(actor=persona("mo"), run=run, mapping=run.mapping, translations={}, expected_version=run.version)


def test_the_rows_in_the_log_are_still_the_ones_the_other_tests_expect() -> None:
    assert ROWS[0] is FIRST


def test_laras_work_list_shows_her_open_imported_case_and_nothing_of_the_closed_one(
    persona: Any, tmp_path: Path
) -> None:
    from threshold.timescales.selectors import open_deadlines

    still_open = row(Ref="NL-OPEN", Outcome="", Date_closed="")
    lado_import(write(tmp_path, "log.xlsx", [FIRST, still_open]), *as_mo(persona))
    closed, open_case = imported("NL-001").case, imported("NL-OPEN").case
    assert closed is not None
    assert open_case is not None
    work = open_deadlines(persona("lara"), everything=True)
    assert not work.filter(case=closed).exists()
    assert work.filter(case=open_case).exists()


def test_an_import_runs_once_however_often_it_is_asked(persona: Any, tmp_path: Path) -> None:
    from threshold.imports.services.running import import_execute

    lado_import(write(tmp_path, "log.xlsx", [FIRST]), *as_mo(persona))
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    with pytest.raises(ValidationError, match="already being imported"):
        import_execute(run_id=run.pk, recorded_by=persona("mo"))


def test_the_sweep_leaves_a_run_being_imported_and_stops_one_whose_worker_died(persona: Any, tmp_path: Path) -> None:
    from threshold.imports.services.running import import_forget

    lado_import(write(tmp_path, "log.xlsx", [FIRST]), "--dry-run")
    run = ImportRun.objects.get()
    now = dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC)
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, expires_at=now + dt.timedelta(hours=1))
    assert import_forget(now=now) == 0
    run.refresh_from_db()
    assert bytes(run.upload)
    # A day on, still "importing": its worker was stopped. The run stops too (it brought nothing in).
    assert import_forget(now=now + dt.timedelta(hours=2)) == 1
    run.refresh_from_db()
    assert (run.status, bytes(run.upload), run.problems) == (RunStatus.ABANDONED, b"", [])


def test_the_sweep_leaves_a_run_renewed_after_it_was_listed(persona: Any, tmp_path: Path) -> None:
    """The sweep lists the expired runs, then empties each: one queued again in between (its time renewed) keeps
    its file, rather than being emptied and marked abandoned on what the sweep read before."""
    from threshold.imports.services.running import forget_run

    lado_import(write(tmp_path, "log.xlsx", [FIRST]), "--dry-run")
    run = ImportRun.objects.get()
    now = dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC)
    # Listed by the sweep as expired; then Mo asks for it to be imported, which renews its time.
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, expires_at=now + dt.timedelta(hours=1))
    assert forget_run(run_id=run.pk, now=now) is False
    run.refresh_from_db()
    assert (run.status, bool(bytes(run.upload))) == (RunStatus.QUEUED, True)


def test_mos_figures_do_not_tell_him_a_hidden_record_about_him_exists(persona: Any, tmp_path: Path) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world
    from threshold.lado.models import Contact
    from threshold.people.models import Person

    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    about_mo = Person.objects.create(organisation=northshire, full_name="Mo Manager",
                                     date_of_birth=dt.date(1975, 5, 5), user=persona("mo"))  # fmt: skip
    Contact.objects.create(local_authority=northshire, subject=about_mo, summary="Recorded by a colleague.")
    mo_row = row(Ref="NM-2", Surname="Manager", Forename="Mo", DOB="05/05/1975", LADO="")
    stranger = row(Ref="NM-3", Surname="Manager", Forename="Mo", DOB="06/06/1976", LADO="")
    assert lado_import(write(tmp_path, "a.xlsx", [mo_row]), *as_mo(persona), "--dry-run")["created"]["people"] == 1
    assert lado_import(write(tmp_path, "b.xlsx", [stranger]), *as_mo(persona), "--dry-run")["created"]["people"] == 1
    lado_import(write(tmp_path, "a.xlsx", [mo_row]), *as_mo(persona))
    assert contact_of("NM-2").subject_id != about_mo.pk


def test_a_stopped_import_checked_again_brings_the_rest_in_once(persona: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from threshold.imports.services import running
    from threshold.imports.services.writing import Writer

    rows: list[list[Any] | None] = [row(Ref=f"S-{n}") for n in range(5)]
    path = write(tmp_path, "log.xlsx", rows)
    create, calls = Writer.create, {"n": 0}

    def fails_on_the_third(self: Writer, checked: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the worker stopped")
        return create(self, checked)

    monkeypatch.setattr(running, "BATCH_ROWS", 1)
    monkeypatch.setattr(Writer, "create", fails_on_the_third)
    with pytest.raises(RuntimeError):
        lado_import(path, *as_mo(persona))
    run = ImportRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.summary["created"]["contacts"] == 2
    monkeypatch.setattr(Writer, "create", create)
    context = AuditContext.for_user(persona("mo"), run.organisation)
    running.import_check(actor=persona("mo"), run=run, audit_context=context)
    run = running.import_execute(run_id=run.pk, audit_context=context, recorded_by=persona("mo"))
    assert (run.summary["created"]["contacts"], run.summary["unchanged"]) == (3, 2)
    assert ImportedRecord.objects.filter(run=run).count() == 5


def test_a_consultation_corrected_to_a_case_opens_it_with_everything_the_row_says(persona: Any, tmp_path: Path) -> None:
    consultation = row(Ref="C-9", Tier="C", Why_consultation="Practice issue", Category="", Outcome="",
                       Date_closed="", Police="No")  # fmt: skip
    lado_import(write(tmp_path, "first.xlsx", [consultation]), *as_mo(persona))
    corrected = row(Ref="C-9", Tier="T2", Why_consultation="", Outcome="", Date_closed="", Police="Yes")
    summary = lado_import(write(tmp_path, "corrected.xlsx", [corrected]), *as_mo(persona))
    assert summary["updated"] == 1
    case = imported("C-9").case
    assert case is not None
    assert case.investigations.filter(kind="criminal").exists()


def test_the_dry_run_promises_what_the_import_will_refuse(persona: Any, tmp_path: Path) -> None:
    still_open = {"Outcome": "", "Date_closed": ""}
    lado_import(write(tmp_path, "first.xlsx", [row(**still_open)]), *as_mo(persona))
    case = imported("NL-001").case
    assert case is not None
    case_update_dataset(actor=persona("lara"), case=case, dataset={"adult_role": "Head of year"},
                        expected_version=case.version)  # fmt: skip
    dry = lado_import(write(tmp_path, "c.xlsx", [row(Summary="Told better.", **still_open)]), "--dry-run",
                      *as_mo(persona))  # fmt: skip
    assert dry["updated"] == 0
    assert dry["errors"][0]["message"].startswith("Someone has worked on this record in Threshold")


def test_what_only_a_case_keeps_is_a_problem_on_a_consultation(persona: Any, tmp_path: Path) -> None:
    consultation = row(Ref="C-8", Tier="C", Why_consultation="Practice issue", Outcome="", Date_closed="")
    summary = lado_import(write(tmp_path, "c.xlsx", [consultation]), "--dry-run")
    assert summary["errors"] == []
    flagged = row(Ref="C-7", Tier="C", Why_consultation="Practice issue", Outcome="Sub", Date_closed="")
    errors = lado_import(write(tmp_path, "d.xlsx", [flagged]), "--dry-run")["errors"]
    assert errors[0]["message"] == "Outcome is given for a consultation: only a Tier 1 or Tier 2 case has one"


def test_a_check_that_breaks_goes_back_to_mapping_and_says_so(persona: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from threshold.imports.services import common

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(common, "check_row", broken)
    with pytest.raises(RuntimeError):
        lado_import(write(tmp_path, "log.xlsx", [FIRST]), *as_mo(persona), "--dry-run")
    run = ImportRun.objects.get()
    assert run.status == RunStatus.MAPPING
    assert AuditEvent.objects.filter(action="import.stopped", record_id=str(run.pk), actor=persona("mo")).exists()


def test_an_update_moves_the_records_version_on_so_an_open_form_meets_the_conflict(
    persona: Any, tmp_path: Path
) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    contact = contact_of("NL-001")
    opened_at = contact.version
    lado_import(write(tmp_path, "corrected.xlsx", [row(Role="Deputy head")]), *as_mo(persona))
    contact.refresh_from_db()
    assert contact.version == opened_at + 1
    assert contact.adult_role == "Deputy head"
