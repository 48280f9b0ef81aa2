"""An import's batch reads ahead what its rows look up (ADR 0037): earlier adults and earlier imports, one query each.

Mo brings in a second log naming adults a first log brought in: each row joins the person recorded before,
and each batch (the dry run's and the import's) finds them all with one read, whether it names two or eight.
A row that renames an adult is seen by the later rows of its batch, and a re-run finds its earlier imports
with one read a batch.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.imports.test_import_command import as_mo, contact_of, lado_import

HEADER = "reference,received_on,adult_first_name,adult_last_name,adult_date_of_birth,employer_name,summary"
SURNAMES = ["Ashdown", "Birch", "Carraway", "Dunmore", "Elswick", "Fenwick", "Garside", "Holloway"]
# A read of the authority's adults by name and date of birth: what finding an earlier adult costs.
ADULTS_BY_NAME = re.compile(r'FROM "people_person".*"full_name"', re.DOTALL)


def log(tmp_path: Path, name: str, prefix: str, surnames: list[str]) -> Path:
    """A log of one consultation a row, each about a different adult (born on a different day)."""
    lines = [HEADER] + [
        f"{prefix}-{number},2024-03-0{1 + number % 5},Robin,{surname},{dt.date(1980, 1, 1 + number)},Oakfield Primary,"
        "Concern raised about conduct at a club"
        for number, surname in enumerate(surnames)
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def reads_of_adults(tmp_path: Path, persona: Any, surnames: list[str]) -> int:
    """Import a first log naming ``surnames``, then a second naming them again; the second's reads of adults."""
    lado_import(log(tmp_path, f"first-{len(surnames)}.csv", f"A{len(surnames)}", surnames), *as_mo(persona))
    with CaptureQueriesContext(connection) as captured:
        summary = lado_import(
            log(tmp_path, f"second-{len(surnames)}.csv", f"B{len(surnames)}", surnames), *as_mo(persona)
        )
    assert summary["created"]["contacts"] == len(surnames), summary["errors"]
    assert summary["created"]["people"] == 0
    for number in range(len(surnames)):
        first, second = contact_of(f"A{len(surnames)}-{number}"), contact_of(f"B{len(surnames)}-{number}")
        assert second.subject_id == first.subject_id, "a row naming an adult recorded before joins that person"
    return sum(1 for query in captured.captured_queries if ADULTS_BY_NAME.search(query["sql"]))


def test_a_batch_finds_the_adults_recorded_before_in_one_read_however_many_it_names(
    persona: Any, tmp_path: Path
) -> None:
    two = reads_of_adults(tmp_path, persona, SURNAMES[:2])
    eight = reads_of_adults(tmp_path, persona, [f"{surname}-Lee" for surname in SURNAMES])

    # One read in the dry run the command starts with, one in the import: none a row.
    assert two == eight == 2


def test_a_row_renaming_an_adult_is_seen_by_the_later_rows_of_its_batch(persona: Any, tmp_path: Path) -> None:
    lado_import(log(tmp_path, "first.csv", "R", ["Ashdown"]), *as_mo(persona))
    renamed = contact_of("R-0").subject_id
    corrected = log(tmp_path, "corrected.csv", "R", ["Ashburn"])
    # The corrected log spells the adult "Ashburn", and a new row about someone else named as the old spelling.
    later = "N-1,2024-03-02,Robin,Ashdown,1980-01-01,Oakfield Primary,Concern raised about conduct at a club\n"
    corrected.write_text(corrected.read_text(encoding="utf-8") + later, encoding="utf-8")

    summary = lado_import(corrected, *as_mo(persona))

    assert summary["updated"] == 1
    assert contact_of("R-0").subject_id == renamed
    assert contact_of("N-1").subject_id != renamed, "nobody is named Ashdown any more: a new person"


EARLIER_IMPORTS = re.compile(r'FROM "imports_importedrecord".*"source_key" IN', re.DOTALL)


def test_a_rerun_finds_what_it_brought_in_before_with_one_read_a_batch(persona: Any, tmp_path: Path) -> None:
    reads = []
    for surnames in (SURNAMES[:2], SURNAMES):
        path = log(tmp_path, f"log-{len(surnames)}.csv", f"E{len(surnames)}", surnames)
        lado_import(path, *as_mo(persona))
        with CaptureQueriesContext(connection) as captured:
            summary = lado_import(path, *as_mo(persona))
        assert summary["unchanged"] == len(surnames)
        reads.append(sum(1 for query in captured.captured_queries if EARLIER_IMPORTS.search(query["sql"])))

    # One read in the dry run, one inside the import's batch: none a row.
    assert reads == [2, 2]


def test_a_dry_run_and_an_import_leave_no_ledger_open(persona: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from threshold.imports import ledger

    opened: list[ledger.Ledger] = []
    original = ledger.Ledger.__init__

    def recorded(self: ledger.Ledger) -> None:
        original(self)
        opened.append(self)

    monkeypatch.setattr(ledger.Ledger, "__init__", recorded)

    summary = lado_import(log(tmp_path, "log.csv", "L", SURNAMES[:3]), *as_mo(persona))

    assert summary["created"]["contacts"] == 3
    # The dry run's and the import's: each reference's first row, and the adults each pass met.
    assert len(opened) == 4
    for each in opened:
        with pytest.raises(sqlite3.ProgrammingError):  # closed: its file is gone with it
            each.get("rows", "L-0")
