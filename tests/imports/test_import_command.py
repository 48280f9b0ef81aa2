"""Mo, Northshire's LADO manager, brings the service's old log in from the command line: a messy workbook
imported end to end with every count, a dry run that writes nothing, re-runs that change nothing, an undo,
and subject exclusion for the row about Lara. The clock stands at Christmas Eve 2024."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.imports.workbook import ROWS, messy_workbook
from threshold.access import fetch
from threshold.audit.models import AuditEvent
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus
from threshold.lado.models import Case, CaseStatus, Contact, ContactMethod, ContactSource, Decision, Level
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState

CHRISTMAS_EVE = dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC)


@pytest.fixture
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        yield


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "northshire-lado-log.xlsx"
    path.write_bytes(messy_workbook())
    return path


def import_command(path: Path, *options: str) -> dict[str, Any]:
    """``manage.py lado_import`` on ``path`` with ``options``: the JSON summary it prints."""
    out = io.StringIO()
    call_command("lado_import", str(path), *options, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def lado_import(path: Path, *options: str) -> dict[str, Any]:
    return import_command(path, "--authority", "northshire-council", *options)


def as_mo(persona: Any) -> tuple[str, str]:
    return ("--as", persona("mo").email)


def imported(reference: str) -> ImportedRecord:
    return ImportedRecord.objects.select_related("contact", "case").get(source_reference=reference)


def contact_of(reference: str) -> Contact:
    """The contact the row of ``reference`` brought in."""
    contact = imported(reference).contact
    assert contact is not None
    return contact


def counts() -> dict[str, int]:
    return {
        "contacts": Contact.objects.count(),
        "cases": Case.objects.count(),
        "decisions": Decision.objects.count(),
        "people": Person.objects.count(),
        "deadlines": Deadline.objects.count(),
    }


def test_the_messy_log_imports_with_every_count(persona: Any, log: Path, christmas_eve: None) -> None:
    before = counts()
    summary = lado_import(log, *as_mo(persona))
    assert summary["rows"] == 8  # the blank row is skipped; the title and the merged groups are above the header
    assert summary["created"] == {"contacts": 5, "decisions": 5, "cases": 4, "people": 3}
    assert (summary["updated"], summary["unchanged"], summary["duplicates"]) == (0, 0, 1)
    assert summary["rows_with_errors"] == 2
    assert summary["errors"] == [
        {"row": 9, "column": "Date received", "message": "Date received must be a real date, like 27/03/2024"},
        {
            "row": 10,
            "column": "Summary",
            "message": "Summary holds a formula, which Threshold does not run: type the value itself",
        },
    ]
    after = counts()
    assert after["contacts"] - before["contacts"] == 5
    assert after["cases"] - before["cases"] == 4
    assert after["decisions"] - before["decisions"] == 5
    assert after["people"] - before["people"] == 3


def test_historic_dates_stay_historic_and_the_codes_are_translated(
    persona: Any, log: Path, christmas_eve: None
) -> None:
    lado_import(log, *as_mo(persona))
    first = contact_of("NL-001")
    assert first.received_at.date() == dt.date(2019, 3, 4)
    assert first.method == ContactMethod.IMPORTED
    assert first.source == ContactSource.NOT_RECORDED
    decision = first.decisions.get()
    assert (decision.level, decision.recorded_at.date(), decision.recorded_by) == (
        Level.TIER_2,
        dt.date(2019, 3, 5),
        persona("mo"),
    )
    assert decision.pack == ""
    assert "brought in from its earlier records" in decision.rationale
    case = imported("NL-001").case
    assert case is not None
    assert (case.status, case.outcome, case.concluded_on, case.closed_on) == (
        CaseStatus.CLOSED,
        "substantiated",
        dt.date(2019, 6, 28),
        dt.date(2019, 6, 28),
    )
    assert case.abuse_categories == ["physical"]
    assert case.lado == persona("lara")
    assert case.adult_name == "John Smith"  # "SMITH", "john" as people write it
    second = imported("NL-002").case
    assert second is not None
    assert second.tier == Level.TIER_1
    assert second.abuse_categories == ["sexual", "emotional"]
    assert contact_of("NL-002").decisions.get().recorded_at.date() == dt.date(2020, 1, 15)  # serial 43845
    assert contact_of("NL-002").decisions.get().police_advised is True
    assert second.concluded_on == dt.date(2020, 6, 30)
    consultation = contact_of("NL-003").decisions.get()
    assert (consultation.level, consultation.consultation_reason) == (Level.CONSULTATION, "practice_issue")


def test_one_adult_in_three_rows_is_one_person(persona: Any, log: Path, christmas_eve: None) -> None:
    lado_import(log, *as_mo(persona))
    subjects = {contact_of(reference).subject_id for reference in ("NL-001", "NL-002", "NL-007")}
    assert len(subjects) == 1
    assert Contact.objects.filter(subject_id__in=subjects).count() == 3  # the repeat-referral figure counts by subject


def test_each_record_carries_its_source_and_an_event_naming_mo(persona: Any, log: Path, christmas_eve: None) -> None:
    lado_import(log, *as_mo(persona))
    record = imported("NL-007")
    assert (record.file_name, record.sheet, record.row) == ("northshire-lado-log.xlsx", "LADO log", 12)
    event = AuditEvent.objects.get(action="contact.imported", record_id=str(record.contact_id))
    assert event.actor == persona("mo")
    assert event.details["row"] == 12
    assert event.details["import"] == record.run_id
    assert AuditEvent.objects.filter(
        action="case.imported", record_id=str(record.case_id), actor=persona("mo")
    ).exists()
    assert record.case is not None
    assert record.case.chronology.filter(text__contains="northshire-lado-log.xlsx, sheet “LADO log”, row 12").exists()


def test_closed_cases_clocks_are_met_or_missed_not_overdue_today(persona: Any, log: Path, christmas_eve: None) -> None:
    lado_import(log, *as_mo(persona))
    closed = imported("NL-001").case
    rows = Deadline.objects.filter(case=closed)
    assert rows.exists()
    assert not rows.filter(state=DeadlineState.OPEN).exists()
    assert rows.filter(state=DeadlineState.MISSED).exists()  # no meeting is in the log: not shown as done
    assert contact_of("NL-001")  # the contact's clock was met by the decision on 5 March 2019
    assert Deadline.objects.get(contact=contact_of("NL-001")).state == DeadlineState.MET
    still_open = imported("NL-007").case
    assert Deadline.objects.filter(case=still_open, state=DeadlineState.OPEN).exists()


def test_a_dry_run_writes_nothing(persona: Any, log: Path, christmas_eve: None) -> None:
    before = counts()
    summary = lado_import(log, "--dry-run")
    assert summary["dry_run"] is True
    assert summary["created"] == {"contacts": 5, "decisions": 5, "cases": 4, "people": 3}
    assert counts() == before
    assert not ImportedRecord.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == RunStatus.CHECKED
    assert AuditEvent.objects.filter(action="import.checked", actor_label="system:lado_import").exists()


def test_running_the_same_file_again_changes_nothing(persona: Any, log: Path, christmas_eve: None) -> None:
    lado_import(log, *as_mo(persona))
    before = counts()
    events = AuditEvent.objects.filter(record_type__in=("contact", "case")).count()
    again = lado_import(log, *as_mo(persona))
    assert again["created"] == {"contacts": 0, "decisions": 0, "cases": 0, "people": 0}
    assert (again["updated"], again["unchanged"]) == (0, 5)
    assert counts() == before
    assert AuditEvent.objects.filter(record_type__in=("contact", "case")).count() == events


def test_a_corrected_file_adds_the_fixed_row_and_updates_the_changed_one(
    persona: Any, tmp_path: Path, log: Path, christmas_eve: None
) -> None:
    lado_import(log, *as_mo(persona))
    rows: list[list[Any] | None] = [list(row) if row is not None else None for row in ROWS]
    rows[5] = [*ROWS[5][:1], "28/02/2022", *ROWS[5][2:]]  # type: ignore[index]  # NL-004's date fixed
    rows[0] = [*ROWS[0][:13], "Pushed a pupil against a wall in the corridor.", *ROWS[0][14:]]  # type: ignore[index]
    rows[4] = None  # the repeated row removed
    corrected = tmp_path / "corrected.xlsx"
    corrected.write_bytes(messy_workbook(rows))
    summary = lado_import(corrected, *as_mo(persona))
    assert summary["created"]["contacts"] == 1
    assert (summary["updated"], summary["unchanged"], summary["rows_with_errors"]) == (1, 4, 1)
    first = imported("NL-001")
    assert contact_of("NL-001").summary == "Pushed a pupil against a wall in the corridor."
    assert first.case is not None
    assert first.case.summary == "Pushed a pupil against a wall in the corridor."
    assert AuditEvent.objects.filter(action="case.import_updated", record_id=str(first.case_id)).exists()
    assert contact_of("NL-004").received_at.date() == dt.date(2022, 2, 28)


def test_an_import_is_undone_as_a_whole(persona: Any, log: Path, christmas_eve: None) -> None:
    from threshold.imports.services.undo import import_undo

    before = counts()
    lado_import(log, *as_mo(persona))
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    import_undo(actor=persona("mo"), run=run, expected_version=run.version)
    assert counts() == before
    run.refresh_from_db()
    assert run.status == RunStatus.UNDONE
    assert bytes(run.upload) == b""
    assert AuditEvent.objects.filter(action="import.undone", actor=persona("mo")).exists()
    assert AuditEvent.objects.filter(action="contact.imported").count() == 5  # the trail keeps both


def test_an_import_cannot_be_undone_once_lara_has_worked_on_its_records(
    persona: Any, log: Path, christmas_eve: None
) -> None:
    from django.core.exceptions import ValidationError

    from threshold.chronology.services import chronology_add_manual
    from threshold.imports.services.undo import import_undo

    lado_import(log, *as_mo(persona))
    case = imported("NL-007").case
    assert case is not None
    chronology_add_manual(actor=persona("lara"), record=case, text="Rang the school.", occurred_at=CHRISTMAS_EVE)
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    with pytest.raises(ValidationError, match="worked on records"):
        import_undo(actor=persona("mo"), run=run, expected_version=run.version)
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_row_about_lara_is_hidden_from_her_and_not_from_mo(persona: Any, log: Path, christmas_eve: None) -> None:
    lado_import(log, *as_mo(persona))
    about_lara = contact_of("NL-006")
    assert about_lara.subject.user == persona("lara")  # named exactly: linked to her account
    assert not fetch.visible_contacts(persona("lara")).filter(pk=about_lara.pk).exists()
    assert not fetch.visible_cases(persona("lara")).filter(contact_id=about_lara.pk).exists()
    assert fetch.visible_contacts(persona("mo")).filter(pk=about_lara.pk).exists()
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact_of("NL-007").pk).exists()


def test_the_canonical_columns_need_no_mapping(persona: Any, tmp_path: Path, christmas_eve: None) -> None:
    from tests.imports.workbook import csv_file

    header = [
        "chronology_notes",
        "csc_involved",
        "reference",
        "received_on",
        "adult_first_name",
        "adult_last_name",
        "adult_date_of_birth",
        "employer_name",
        "categories",
        "decision",
        "decided_on",
        "outcome",
        "concluded_on",
        "summary",
        "police_involved",
        "dbs_referred_on",
    ]
    path = tmp_path / "canonical.csv"
    path.write_bytes(
        csv_file(
            [
                [
                    "Rang the head on 3 March; strategy discussion held.",
                    "yes",
                    "C-1",
                    "2021-03-01",
                    "Kim",
                    "Park",
                    "1975-01-02",
                    "Hillcrest Academy",
                    "physical;emotional",
                    "tier-2",
                    "2021-03-02",
                    "substantiated",
                    "2021-05-03",
                    "Grabbed a pupil's arm.",
                    "yes",
                    "2021-05-10",
                ]
            ],
            header,
        )
    )
    summary = lado_import(path, *as_mo(persona))
    assert summary["created"] == {"contacts": 1, "decisions": 1, "cases": 1, "people": 1}
    case = imported("C-1").case
    assert case is not None
    assert case.body_referrals.get().referred_on == dt.date(2021, 5, 10)
    assert case.employer is not None
    assert case.employer.name == "Hillcrest Academy"
    # Police and children's social care involved: the lines of investigation the LADO report counts.
    assert set(case.investigations.values_list("kind", flat=True)) == {"criminal", "strategy_discussion"}
    assert case.chronology.filter(text__endswith="Rang the head on 3 March; strategy discussion held.").exists()


def test_a_mapping_file_names_columns_and_translates_values(persona: Any, tmp_path: Path, christmas_eve: None) -> None:
    from tests.imports.workbook import csv_file

    path = tmp_path / "odd.csv"
    path.write_bytes(
        csv_file(
            [["Z9", "01/03/2021", "Kim Park", "Level A", "Pushed a pupil.", "Hit"]],
            ["Our number", "Logged", "Who", "Threshold level", "What happened", "Kind"],
        )
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "reference": "Our number",
                    "received_on": "Logged",
                    "adult_name": "Who",
                    "decision": "Threshold level",
                    "summary": "What happened",
                    "categories": "Kind",
                },
                "values": {"decision": {"Level A": "tier-2"}, "categories": {"Hit": "physical"}},
            }
        )
    )
    summary = lado_import(path, "--mapping", str(mapping), *as_mo(persona))
    assert summary["rows_with_errors"] == 0, summary["errors"]
    case = imported("Z9").case
    assert case is not None
    assert case.abuse_categories == ["physical"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\x00\x01binary", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        (b"", "empty"),
    ],
)
def test_a_file_it_cannot_read_fails_the_command(persona: Any, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        lado_import(path, "--dry-run")
    assert not Contact.objects.filter(method=ContactMethod.IMPORTED).exists()


def test_a_macro_enabled_workbook_is_refused(persona: Any, tmp_path: Path) -> None:
    import zipfile

    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(messy_workbook())) as source, zipfile.ZipFile(target, "w") as macro:
        for item in source.infolist():
            macro.writestr(item, source.read(item.filename))
        macro.writestr("xl/vbaProject.bin", b"\x00" * 64)
    path = tmp_path / "log.xlsm"
    path.write_bytes(target.getvalue())
    with pytest.raises(CommandError, match="macro-enabled"):
        lado_import(path, "--dry-run")


def test_an_import_must_name_its_person(persona: Any, log: Path) -> None:
    with pytest.raises(CommandError, match="--as EMAIL"):
        lado_import(log)
    with pytest.raises(CommandError, match="LADO manager"):
        lado_import(log, "--as", persona("lara").email)  # a LADO, not the service's manager
    assert not ImportedRecord.objects.exists()


def test_a_checked_file_left_for_a_day_is_deleted_by_the_sweep(persona: Any, log: Path) -> None:
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        lado_import(log, "--dry-run")
    run = ImportRun.objects.get()
    assert bytes(run.upload)
    with time_machine.travel(CHRISTMAS_EVE + dt.timedelta(hours=25), tick=False):
        out = io.StringIO()
        call_command("imports_sweep", stdout=out)
    assert out.getvalue().strip() == "1 expired import file deleted."
    run.refresh_from_db()
    assert bytes(run.upload) == b""
    assert run.status == RunStatus.ABANDONED


def test_a_file_with_nothing_to_fix_is_not_kept_after_the_import(
    persona: Any, tmp_path: Path, christmas_eve: None
) -> None:
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(messy_workbook([ROWS[0], ROWS[2]]))
    lado_import(clean, *as_mo(persona))
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    assert bytes(run.upload) == b""


def test_previous_records_and_the_repeat_figure_work_from_the_first_day(
    persona: Any, log: Path, christmas_eve: None
) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world
    from threshold.people.matching import previous_about
    from threshold.reports.lado_report import lado_report
    from threshold.reports.periods import between

    lado_import(log, *as_mo(persona))
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    latest = contact_of("NL-007")
    # Lara opens the newest contact about John Smith: the two before it are his previous records.
    found = previous_about(persona("lara"), local_authority=northshire, name=latest.adult_name,
                           date_of_birth=latest.adult_date_of_birth, exclude_contact=latest.pk)  # fmt: skip
    references = {match.reference for match in found if match.level == "probably"}
    # (a contact that became a case is shown as its case)
    earlier = [imported("NL-001").case, imported("NL-002").case]
    assert {case.reference for case in earlier if case is not None} <= references
    # And the report's "more than one contact" counts him for the years the log covers.
    report = lado_report(user=persona("mo"), authority=northshire,
                         period=between(dt.date(2019, 1, 1), dt.date(2024, 12, 23)))  # fmt: skip
    assert report.figures["repeat_subjects"] >= 1
