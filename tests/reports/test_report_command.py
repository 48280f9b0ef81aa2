"""``manage.py report lado-annual``: the same figures as the page would count, as JSON or a workbook, for a named
person or, with nobody named, over all the authority's records by the ``system:report`` job; audited."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.reports.lado_year import NOW, YEAR_END, YEAR_START, build_lado_year
from threshold.accounts.models import Organisation
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.reports.lado_report import lado_report
from threshold.reports.models import ReportSettings
from threshold.reports.periods import between

ANNUAL = ["report", "lado-annual", "--from", "2025-04-01", "--to", "2026-03-31"]


@pytest.fixture
def year(persona: Any) -> Iterator[None]:
    """The hand-built year, seen on 1 May 2026."""
    with time_machine.travel(NOW, tick=False):
        build_lado_year(persona)
        yield


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_json_has_every_figure_of_the_report_mo_would_see(year: None, persona: Any) -> None:
    printed = json.loads(run(*ANNUAL, "--authority", "northshire-council", "--as", persona("mo").email))
    expected = lado_report(
        user=persona("mo"),
        authority=Organisation.objects.get(name=world.NORTHSHIRE),
        period=between(YEAR_START, YEAR_END),
    )
    assert {key: value for key, value in printed.items() if key not in ("authority", "previous", "suppress_below")} == (
        expected.figures
    )
    assert printed["previous"] == expected.previous
    assert printed["authority"] == "Northshire Council"
    assert printed["suppress_below"] is None
    for key in (
        "contacts", "consultations", "consultations_by_reason", "referrals", "by_tier", "by_source", "by_sector",
        "by_category", "by_outcome", "timeliness", "non_recent", "repeat_subjects", "police_involved",
        "csc_involved", "meetings", "suspended", "dbs_referrals", "tra_referrals", "ofsted_notifications",
        "by_quarter", "by_lado",
    ):  # fmt: skip
        assert key in printed
    assert printed["contacts"] == 9
    assert printed["by_tier"] == {"tier-1": 2, "tier-2": 3, "not_recorded": 0}
    assert printed["timeliness"]["median_days_to_conclusion"] == 130


def test_the_authority_is_found_by_its_name_too_and_lara_is_counted_for_herself(year: None, persona: Any) -> None:
    printed = json.loads(run(*ANNUAL, "--authority", "Northshire Council", "--as", persona("lara").email))
    assert printed["contacts"] == 8


def test_producing_it_is_audited_as_the_person_named(year: None, persona: Any) -> None:
    run(*ANNUAL, "--authority", "northshire-council", "--as", persona("ada").email)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.actor, event.details["format"]) == ("report.produced", persona("ada"), "json")
    assert event.organisation == Organisation.objects.get(name=world.NORTHSHIRE)


def test_the_workbook_has_a_sheet_per_table(year: None, persona: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    run(
        *ANNUAL,
        "--authority",
        "northshire-council",
        "--as",
        persona("mo").email,
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    workbook = openpyxl.load_workbook(target)
    assert "Referrals by tier" in workbook.sheetnames
    sheet = workbook["Referrals by tier"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Tier", "2025 to 2026", "2024 to 2025"],
        ["Tier 1", 2, 1],
        ["Tier 2", 3, 1],
        ["Not recorded", 0, 0],
    ]


def test_the_authoritys_suppression_applies_unless_the_command_says_otherwise(year: None, persona: Any) -> None:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    ReportSettings.objects.create(organisation=northshire, suppress_below=5)
    arguments = [*ANNUAL, "--authority", "northshire-council", "--as", persona("mo").email]
    printed = json.loads(run(*arguments))
    assert printed["suppress_below"] == 5
    assert printed["referrals"] == 5
    assert printed["by_tier"] == {"tier-1": "fewer than 5", "tier-2": "fewer than 5", "not_recorded": 0}
    assert json.loads(run(*arguments, "--suppress-below", "0"))["by_tier"]["tier-1"] == 2


def test_the_suppressed_json_names_no_role_typed_on_too_few_referrals(year: None, persona: Any) -> None:
    arguments = [*ANNUAL, "--authority", "northshire-council", "--as", persona("mo").email]
    exact = run(*arguments)
    assert "football coach" in exact
    printed = run(*arguments, "--suppress-below", "2")
    assert "football coach" not in printed
    assert "nursery practitioner" not in printed
    assert json.loads(printed)["by_role"]["other_roles"] == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--authority", "northshire-council", "--as", "hana.head@oakfield.example"], "may not count"),
        (["--authority", "northshire-council", "--as", "nobody@example.com"], "No active user"),
        (["--authority", "Atlantis", "--as", "mo.manager@northshire.example"], "No single local authority"),
        (
            ["--authority", "northshire-council", "--as", "mo.manager@northshire.example", "--suppress-below", "1"],
            "at least 2",
        ),
    ],
)
def test_the_command_refuses_what_it_cannot_do(arguments: list[str], message: str, year: None) -> None:
    with pytest.raises(CommandError, match=message):
        run(*ANNUAL, *arguments)


def test_with_nobody_named_the_report_job_counts_every_record_of_the_authority(year: None, persona: Any) -> None:
    printed = json.loads(run(*ANNUAL, "--authority", "northshire-council", "--format", "json"))
    # Lara is left out of a count of a record about her; the job reads as nobody, so nobody is left out.
    assert printed["contacts"] == 9
    assert json.loads(run(*ANNUAL, "--authority", "northshire-council", "--as", persona("lara").email))["contacts"] == 8
    assert printed["by_tier"] == {"tier-1": 2, "tier-2": 3, "not_recorded": 0}
    assert printed["timeliness"]["median_days_to_conclusion"] == 130


def test_the_report_jobs_event_names_the_job_and_the_account_that_ran_it(year: None) -> None:
    run(*ANNUAL, "--authority", "northshire-council")
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.actor, event.actor_label) == ("report.produced", None, "system:report")
    assert event.details["operator"]
    assert event.details["from"] == "2025-04-01"


def test_without_dates_the_annual_report_is_the_last_whole_financial_year(year: None, persona: Any) -> None:
    printed = json.loads(run("report", "lado-annual", "--authority", "northshire-council", "--as", persona("mo").email))
    assert printed["period"] == {"from": "2025-04-01", "to": "2026-03-31", "label": "2025 to 2026"}
    quarterly = json.loads(
        run("report", "lado-quarterly", "--authority", "northshire-council", "--as", persona("mo").email)
    )
    assert quarterly["period"]["label"] == "Q4 2025 to 2026 (January to March 2026)"
    assert quarterly["contacts"] == 2
    assert quarterly["previous"]["period"]["label"] == "Q3 2025 to 2026 (October to December 2025)"


def test_the_pdf_is_written_from_the_reports_print_page(year: None, persona: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    arguments = ["--authority", "northshire-council", "--as", persona("mo").email, "--format", "pdf"]
    run(*ANNUAL, *arguments, "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.details["format"] == "pdf"
