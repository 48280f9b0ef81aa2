"""What never leaves in a spreadsheet: a record about the reader, and a formula a name could smuggle in."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.reports.exports_helpers import csv_rows, download, last_export, northshire_case, references, xlsx_rows
from threshold.audit.models import AuditEvent
from threshold.lado.models import Case, Contact
from threshold.people.models import Person

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Open me")'


@pytest.fixture
def about_lara(records, persona) -> tuple[Case, Contact]:
    """Northshire's Tier 1 case (allocated to Lara) and its inbox contact, both made to be about Lara herself."""
    case = Case.objects.get(pk=records["case_chris"])
    lara = Person.objects.create(organisation=case.local_authority, full_name="Lara Lado", user=persona("lara"))
    Case.objects.filter(pk=case.pk).update(subject=lara, adult_name="Lara Lado")
    Contact.objects.filter(pk__in=[records["contact_chris"], records["contact_inbox"]]).update(
        subject=lara, adult_name="Lara Lado"
    )
    return Case.objects.get(pk=case.pk), Contact.objects.get(pk=records["contact_inbox"])


def named(event: AuditEvent) -> set[str]:
    """Every record an export's audit event names, as ``kind:id``."""
    return {f"{event.record_type}:{pk}" for pk in event.details.get("ids", [])} | set(event.details.get("records", []))


def test_a_case_and_a_contact_about_lara_are_in_none_of_her_exports_but_in_mos(about_lara, signed_in, persona) -> None:
    case, contact = about_lara
    lara, mo = signed_in("lara"), signed_in("mo")
    for name in ("export_my_cases", "export_lado_inbox", "export_consultations", "export_my_work"):
        query = "show=everything" if name == "export_my_work" else ""
        rows = csv_rows(download(lara, name, "csv", query=query))
        sheet = xlsx_rows(download(lara, name, "xlsx", query=query).getvalue())
        for listed in (references(rows), references(sheet)):
            assert case.reference not in listed, name
            assert contact.reference not in listed, name
        assert not {f"case:{case.pk}", f"contact:{contact.pk}"} & named(last_export(persona("lara"))), name
    assert download(lara, "export_meeting_actions", "csv", case.meetings.get().pk).status_code == 404
    assert case.reference in references(csv_rows(download(mo, "export_all_cases", "csv")))
    assert contact.reference in references(csv_rows(download(mo, "export_lado_inbox", "csv")))
    assert f"case:{case.pk}" in named(last_export(persona("mo"))) or f"contact:{contact.pk}" in named(
        last_export(persona("mo"))
    )


def test_a_name_typed_as_a_formula_stays_text_in_the_workbook_and_the_csv(records, signed_in) -> None:
    case = northshire_case(FORMULA, employer="+SUM(A1:A9)")
    mo = signed_in("mo")
    workbook = openpyxl.load_workbook(io.BytesIO(download(mo, "export_all_cases", "xlsx").getvalue()))
    sheet = workbook.worksheets[0]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == case.reference)
    assert row[1].value == FORMULA
    assert row[1].data_type == "s"  # a string cell: Excel shows it, never runs it
    assert row[6].value == "+SUM(A1:A9)"
    assert row[6].data_type == "s"
    csv_row = next(row for row in csv_rows(download(mo, "export_all_cases", "csv")) if row[0] == case.reference)
    assert csv_row[1] == "'" + FORMULA
    assert csv_row[6] == "'+SUM(A1:A9)"
