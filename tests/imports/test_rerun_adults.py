"""A re-run that changes who a row's adult is, or adds history to its case: the person record follows, or the row
is refused; what it adds is audited; and an import with a record about Mo is not his to undo (rule 2).

Rule 2 reads the person record a contact or concern is about, not the name the contact also keeps: a contact
corrected to name Lara, left with its old person record, stayed in front of her. Mo imports; Christmas Eve 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.imports.concern_log import concern_log, log_row
from tests.imports.test_import_command import as_mo, contact_of, import_command, imported, lado_import
from tests.imports.test_import_rules import row, write
from tests.imports.workbook import FIRST
from threshold.access import fetch
from threshold.audit.models import AuditEvent
from threshold.imports.models import ImportedRecord, ImportRun
from threshold.imports.services.running import import_forget
from threshold.imports.services.undo import import_undo
from threshold.lado.models import Contact, Decision
from threshold.lado.services.cases import case_update_dataset


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC), tick=False):
        yield


# Two rows about one adult with no date of birth: one person record, made by the first row, shared.
B1 = row(Ref="B-1", Surname="Brown", Forename="Lara", DOB="", LADO="")
B2 = row(Ref="B-2", Surname="Brown", Forename="Lara", DOB="", LADO="", Date_received="2020-01-10",
         Date_decided="2020-01-10", Date_closed="2020-06-30")  # fmt: skip


def test_a_name_corrected_on_a_row_whose_adult_other_rows_share_is_refused_and_changes_nothing(
    persona: Any, tmp_path: Path
) -> None:
    lado_import(write(tmp_path, "first.xlsx", [B1, B2]), *as_mo(persona))
    assert contact_of("B-1").subject_id == contact_of("B-2").subject_id
    # The corrected log says B-1 was about Lara Lado, a LADO of the service ("Lara" in common: the same adult).
    corrected = row(Ref="B-1", Surname="Lado", Forename="Lara", DOB="", LADO="")
    summary = lado_import(write(tmp_path, "corrected.xlsx", [corrected, B2]), *as_mo(persona))
    assert summary["updated"] == 0
    assert summary["errors"][0]["message"] == (
        "Adult's last name has changed since it was imported, and other records are about the same adult: correct "
        "the adult in Threshold"
    )
    assert contact_of("B-1").adult_name == "Lara Brown"


def test_a_row_whose_adult_is_its_own_corrected_to_name_lara_is_hidden_from_her(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [B1]), *as_mo(persona))
    contact = contact_of("B-1")
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()
    corrected = row(Ref="B-1", Surname="Lado", Forename="Lara", DOB="", LADO="")
    assert lado_import(write(tmp_path, "corrected.xlsx", [corrected]), *as_mo(persona))["updated"] == 1
    contact = contact_of("B-1")
    assert (contact.adult_name, contact.subject.full_name) == ("Lara Lado", "Lara Lado")
    assert not fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()


def test_a_rerun_that_only_adds_a_decision_and_an_investigation_is_audited(persona: Any, tmp_path: Path) -> None:
    lado_import(write(tmp_path, "first.xlsx", [FIRST]), *as_mo(persona))
    record = imported("NL-001")
    assert record.case is not None
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None
    assert lado_import(write(tmp_path, "corrected.xlsx", [row(Police="Yes")]), *as_mo(persona))["updated"] == 1
    assert Decision.objects.filter(contact=record.contact).count() == 2
    assert record.case.investigations.filter(kind="criminal").exists()
    event = AuditEvent.objects.get(pk__gt=last.pk, action="case.import_updated", record_id=str(record.case_id))
    assert event.details["added"] == ["decision", "investigation"]
    assert event.actor_id == persona("mo").pk


def test_mo_may_not_undo_an_import_that_brought_in_a_record_about_him(
    persona: Any, signed_in: Any, tmp_path: Path
) -> None:
    about_mo = row(Ref="NM-1", Surname="Manager", Forename="Mo", DOB="", LADO="", Outcome="", Date_closed="")
    lado_import(write(tmp_path, "log.xlsx", [FIRST, about_mo]), *as_mo(persona))
    contact = contact_of("NM-1")
    assert not fetch.visible_contacts(persona("mo"), "change").filter(pk=contact.pk).exists()
    run = ImportRun.objects.get()
    with pytest.raises(ValidationError, match="records you may not change"):
        import_undo(actor=persona("mo"), run=run, expected_version=run.version)
    assert Contact.objects.filter(pk=contact.pk).exists()
    # His import's page says so from the start, and does not change when Lara works on the case about him.
    mo = signed_in("mo")
    page = mo.get(reverse("import_run", args=[run.pk])).content.decode()
    case = imported("NM-1").case
    assert case is not None
    case_update_dataset(actor=persona("lara"), case=case, dataset={"adult_role": "Head of service"},
                        expected_version=case.version)  # fmt: skip
    after = mo.get(reverse("import_run", args=[run.pk])).content.decode()
    for shown in (page, after):
        assert "This import brought in records you may not change" in shown
        assert "Someone has worked on records" not in shown


def test_an_undone_imports_problems_quoting_its_cells_go_with_its_file(persona: Any, tmp_path: Path) -> None:
    quoted = row(Ref="Q-1", Outcome="Sub - Jane Doe admitted it")  # free text in a coded column
    lado_import(write(tmp_path, "log.xlsx", [FIRST, quoted]), *as_mo(persona))
    run = ImportRun.objects.get()
    assert "Jane Doe" in str(run.problems)
    import_undo(actor=persona("mo"), run=run, expected_version=run.version)
    run.refresh_from_db()
    assert (bytes(run.upload), run.problems) == (b"", [])
    import_forget(now=dt.datetime(2024, 12, 26, 10, tzinfo=dt.UTC))
    run.refresh_from_db()
    assert run.problems == []


def dev_imports(persona: Any, tmp_path: Path, name: str, rows: list[Any]) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(concern_log(rows))
    return import_command(path, "--setting", "oakfield-primary-school", "--as", persona("dev").email)


def concern_of(reference: str) -> Any:
    return ImportedRecord.objects.select_related("concern").get(source_reference=reference).concern


def test_a_setting_row_renamed_when_other_concerns_share_its_person_is_refused(persona: Any, tmp_path: Path) -> None:
    first, second = (
        log_row(Ref="X-1", Name="Hana Brown"),
        log_row(Ref="X-2", Name="Hana Brown", Date_raised="2022-09-10"),
    )
    dev_imports(persona, tmp_path, "first.xlsx", [first, second])
    # Dev's corrected log: X-1 was about Hana Head, the headteacher ("Hana" in common: the same adult).
    summary = dev_imports(persona, tmp_path, "corrected.xlsx", [log_row(Ref="X-1", Name="Hana Head"), second])
    assert summary["updated"] == 0
    assert "other records are about the same person" in summary["errors"][0]["message"]
    assert concern_of("X-1").subject.full_name == "Hana Brown"


def test_a_setting_row_renamed_to_one_that_could_be_the_heads_is_refused(persona: Any, tmp_path: Path) -> None:
    dev_imports(persona, tmp_path, "first.xlsx", [log_row(Ref="X-1", Name="Hana Brown")])
    summary = dev_imports(persona, tmp_path, "corrected.xlsx", [log_row(Ref="X-1", Name="Hana Head")])
    assert summary["updated"] == 0
    assert "could be about the headteacher or manager" in summary["errors"][0]["message"]
    concern = concern_of("X-1")
    assert not concern.routed_to_trust
    assert concern.subject.full_name == "Hana Brown"
