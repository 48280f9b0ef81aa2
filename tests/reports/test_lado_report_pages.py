"""The LADO report's pages (issue 14): the report for the LADO manager, the auditor and the LADOs of an authority,
its period chooser, print view, PDF, XLSX and CSV, small-number suppression and the authority's report settings.

The figures are those of the hand-built year (``tests/reports/lado_year.py``): the clock is on 1 May 2026, so
"last financial year" is 2025 to 2026, the year the records were built for. Mo counts 9 contacts in it; Lara 8,
since one is about her.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zlib
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.reports.lado_year import NOW, build_lado_year
from threshold.accounts.middleware import CURRENT_ORGANISATION_KEY
from threshold.accounts.models import Membership, Organisation
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.core.errors import ConflictError
from threshold.demo import world
from threshold.reports.lado_print import lado_report_pdf
from threshold.reports.lado_report import lado_report
from threshold.reports.models import ReportSettings
from threshold.reports.periods import financial_year
from threshold.reports.report_settings import report_settings_save

pytestmark = pytest.mark.django_db

PAGE = "/reports/lado/"
LAST_YEAR = "?period=last_year"
DOWNLOADS = ("lado_report_print", "lado_report_pdf", "lado_report_xlsx", "lado_report_csv")
OUTSIDERS = ("hana", "dev", "tom", "priya", "henry", "nina", "pat", "cara", "olu", "sid", "gina")


@pytest.fixture
def year(persona) -> Iterator[None]:
    """The hand-built year at Northshire, with the clock on 1 May 2026."""
    with time_machine.travel(NOW, tick=False):
        build_lado_year(persona)
        yield


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def text_of(response: Any) -> str:
    """A page's words, without its markup."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def events_since(before: int, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before, action=action).order_by("sequence"))


def pdf_titles(pdf: bytes) -> list[str]:
    """The document's title and its bookmarks (WeasyPrint makes one per heading), from the PDF's object streams."""
    titles = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            continue
        for literal, hexadecimal in re.findall(rb"/Title (?:\(((?:[^()\\]|\\.)*)\)|<([0-9a-f]+)>)", data):
            if hexadecimal:
                titles.append(bytes.fromhex(hexadecimal.decode()).decode("utf-16"))
            else:
                titles.append(literal.decode("latin-1"))
    return titles


def csv_lines(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# ---------------------------------------------------------------- who reads the report


@pytest.mark.parametrize("key", ["mo", "ada", "lara"])
def test_the_lado_manager_the_auditor_and_a_lado_read_their_authoritys_report(year: None, signed_in, key: str) -> None:
    response = signed_in(key).get(PAGE + LAST_YEAR)
    assert response.status_code == 200
    text = text_of(response)
    assert "LADO report: 2025 to 2026 – Threshold" in text
    assert "Northshire Council LADO report" in text
    assert "Figures for the financial year 2025 to 2026 (1 April 2025 to 31 March 2026)." in text
    assert "Compared with the financial year 2024 to 2025 (1 April 2024 to 31 March 2025)." in text
    page = response.content.decode()
    # The contents links to each figure, and each figure has its chart and its table.
    assert '<a class="govuk-link" href="#by_source">Contacts by source</a>' in page
    assert 'id="by_source-heading">Contacts by source</h2>' in page
    assert '<svg class="app-chart"' in page


def test_the_summary_gives_each_headline_figure_and_its_change_from_the_year_before(year: None, signed_in) -> None:
    text = text_of(signed_in("mo").get(PAGE + LAST_YEAR))
    assert "Contacts received 9 Up 6 from 3 in 2024 to 2025" in text
    assert "Referrals meeting the threshold (Tier 1 and Tier 2) 5 Up 3 from 2 in 2024 to 2025" in text
    assert "Cases concluded 4 Up 3 from 1 in 2024 to 2025" in text
    assert "Cases concluded within one month (% of cases concluded) 25% Down 75 percentage points from 100%" in text


def test_lara_never_counts_the_contact_about_herself(year: None, signed_in) -> None:
    text = text_of(signed_in("lara").get(PAGE + LAST_YEAR))
    assert "Contacts received 8 Up 5 from 3 in 2024 to 2025" in text


@pytest.mark.parametrize("key", OUTSIDERS)
def test_everyone_else_gets_the_404_of_a_page_that_is_not_there(demo_world: None, signed_in, key: str) -> None:
    client = signed_in(key)
    assert client.get(PAGE).status_code == 404
    for name in DOWNLOADS:
        assert client.get(reverse(name) + LAST_YEAR).status_code == 404
    assert client.get(reverse("lado_report_settings")).status_code == 404


def test_signing_in_is_required(demo_world: None, client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_reports_link_is_in_the_navigation_of_the_lado_service_only(demo_world: None, signed_in) -> None:
    link = f'href="{PAGE}"'
    for key in ("mo", "ada", "lara"):
        assert link in signed_in(key).get("/").content.decode()
    for key in ("hana", "pat", "sid"):
        assert link not in signed_in(key).get("/").content.decode()


def test_someone_in_two_authorities_reads_the_one_they_are_working_as(year: None, signed_in, persona) -> None:
    southvale = Organisation.objects.get(name=world.SOUTHVALE)
    second = Membership.objects.create(user=persona("mo"), organisation=southvale, role=Role.AUDITOR)
    client = signed_in("mo")
    assert "Northshire Council LADO report" in text_of(client.get(PAGE + LAST_YEAR))
    session = client.session
    session[CURRENT_ORGANISATION_KEY] = second.pk
    session.save()
    text = text_of(client.get(PAGE + LAST_YEAR))
    assert "Southvale" in text
    assert "Contacts received 1 Up 1 from 0" in text  # Southvale's one contact of the year


# ---------------------------------------------------------------- the period


def test_the_report_opens_on_this_financial_year(year: None, signed_in) -> None:
    response = signed_in("mo").get(PAGE)
    text = text_of(response)
    assert "Figures for the financial year 2026 to 2027 (1 April 2026 to 31 March 2027)." in text
    assert "This period has not ended: the figures are those recorded up to 1 May 2026 at midday." in text
    assert 'value="this_year" checked' in response.content.decode()


def test_a_quarter_and_two_dates_are_reports_of_their_own(year: None, signed_in) -> None:
    client = signed_in("mo")
    text = text_of(client.get(PAGE + "?period=quarter&quarter=2025-04-01"))
    assert "Figures for Q1 2025 to 2026 (April to June 2025), 1 April 2025 to 30 June 2025." in text
    assert "Contacts received 3" in text  # C1, K1c and K2c
    dates = "?period=dates&from_day=1&from_month=4&from_year=2025&to_day=31&to_month=3&to_year=2026"
    text = text_of(client.get(PAGE + dates))
    assert "Figures for the financial year 2025 to 2026" in text  # two dates that make a year are that year
    assert "Contacts received 9" in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("period=nonsense", "period", "Choose the period the report covers"),
        ("period=quarter", "quarter", "Choose a quarter"),
        ("period=quarter&quarter=2019-04-01", "quarter", "Choose one of the quarters in the list"),
        ("period=dates", "from", "Enter the start of the period"),
        ("period=dates&from_day=31&from_month=2&from_year=2026", "from", "The start of the period must be a real date"),
        ("period=dates&from_day=1&from_month=4&from_year=2025&to_day=1", "to", "must include a month and a year"),
        (
            "period=dates&from_day=1&from_month=4&from_year=2025&to_day=1&to_month=3&to_year=2025",
            "to",
            "The end of the period must be the same as or after the start",
        ),
        (
            "period=dates&from_day=1&from_month=6&from_year=2026&to_day=1&to_month=7&to_year=2026",
            "from",
            "The start of the period must be today or in the past",
        ),
        (
            "period=dates&from_day=1&from_month=4&from_year=2015&to_day=1&to_month=4&to_year=2026",
            "to",
            "The period must be 5 years or shorter",
        ),
    ],
)
def test_a_wrong_period_is_explained_beside_its_field_and_in_the_error_summary(
    year: None, signed_in, query: str, field: str, message: str
) -> None:
    response = signed_in("mo").get(f"{PAGE}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    assert re.search(r"<title>\s*Error: LADO report – Threshold\s*</title>", page)
    assert "There is a problem" in text
    anchor = {"period": "#id_period", "quarter": "#id_quarter", "from": "#id_from_day", "to": "#id_to_day"}[field]
    assert f'href="{anchor}"' in page  # the summary links to the field
    error_id = {
        "period": "id_period-error",
        "quarter": "id_quarter-error",
        "from": "from-date-error",
        "to": "to-date-error",
    }
    beside = re.search(rf'<p id="{error_id[field]}" class="govuk-error-message">(.*?)</p>', page, re.S)
    assert beside is not None
    assert message in html.unescape(beside.group(1))
    assert "Print or download" not in text  # no figures until the period is a real one


def test_what_is_typed_under_a_choice_not_made_is_not_an_error_and_the_link_kept_is_the_period_alone(
    year: None, signed_in
) -> None:
    client = signed_in("mo")
    response = client.get(PAGE + LAST_YEAR + "&quarter=bad&from_day=99&from_month=&from_year=&to_day=")
    assert response.status_code == 302
    assert response["Location"] == PAGE + LAST_YEAR
    text = text_of(client.get(response["Location"]))
    assert "There is a problem" not in text
    assert "Contacts received 9" in text


def test_a_download_with_a_changed_period_goes_back_to_the_chooser(year: None, signed_in) -> None:
    response = signed_in("mo").get(reverse("lado_report_xlsx") + "?period=dates&from_day=1")
    assert response.status_code == 302
    assert response["Location"].startswith(PAGE + "?")


# ---------------------------------------------------------------- print, PDF, XLSX and CSV


def test_the_print_view_is_the_report_without_navigation_or_the_chooser(year: None, signed_in) -> None:
    response = signed_in("mo").get(reverse("lado_report_print") + LAST_YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    assert "Produced on 1 May 2026; figures counted on 1 May 2026 at midday." in text
    assert "Contacts received 9 Up 6 from 3" in text
    assert 'id="by_category-heading">Referrals by category of abuse</h2>' in page
    assert "govuk-service-navigation" not in page
    assert "Show the report" not in text
    assert "govuk-footer" not in page
    assert f'href="{PAGE}?period=last_year">Back to the report</a>' in page


def test_the_pdf_is_the_print_view_named_by_authority_and_period(year: None, signed_in) -> None:
    response = signed_in("mo").get(reverse("lado_report_pdf") + LAST_YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="lado-report-northshire-council-2025-04-01-to-2026-03-31.pdf"'
    titles = pdf_titles(response.content)
    assert "LADO report: 2025 to 2026 (print) – Threshold" in titles
    assert "LADO report" in titles
    assert "Referrals by category of abuse" in titles


def test_the_command_makes_the_same_pdf_without_a_request(year: None, persona, northshire: Organisation) -> None:
    report = lado_report(user=persona("ada"), authority=northshire, period=financial_year(dt.date(2025, 4, 1)))
    pdf = lado_report_pdf(report)
    assert pdf.startswith(b"%PDF-")
    assert "Timeliness" in pdf_titles(pdf)


def test_the_workbook_has_an_about_sheet_and_a_sheet_per_table(year: None, signed_in, persona, northshire) -> None:
    response = signed_in("mo").get(reverse("lado_report_xlsx") + LAST_YEAR)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'filename="lado-report-northshire-council-2025-04-01-to-2026-03-31.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    report = lado_report(user=persona("mo"), authority=northshire, period=financial_year(dt.date(2025, 4, 1)))
    tables = report.tables()
    assert workbook.sheetnames[0] == "About"
    assert len(workbook.sheetnames) == 1 + len(tables)
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Local authority"] == "Northshire Council"
    assert about["Period"] == "the financial year 2025 to 2026 (1 April 2025 to 31 March 2026)"
    assert about["Date produced"] == "1 May 2026"
    assert "a record about them is never counted" in about["How counted"]
    assert about["Small numbers"] == "Not suppressed: every count is shown."
    sources = workbook["Contacts by source"]
    rows = list(sources.iter_rows(values_only=True))
    assert rows[0] == ("Who made the contact", "2025 to 2026", "2024 to 2025")
    assert ("Police", 2, 1) in rows


def test_the_csv_has_every_figure_as_a_line(year: None, signed_in) -> None:
    response = signed_in("mo").get(reverse("lado_report_csv") + LAST_YEAR)
    assert response["Content-Disposition"] == (
        'attachment; filename="lado-report-northshire-council-2025-04-01-to-2026-03-31.csv"'
    )
    lines = csv_lines(response)
    assert lines[0] == ["Table", "Row", "Column", "Value", "Counted at"]
    # Every line says when its figures were counted (kept figures may be older than the file: ADR 0045).
    counted = "2026-05-01T12:00:00+01:00"  # the clock, in British Summer Time
    assert {line[4] for line in lines[1:]} == {counted}
    assert ["The year at a glance", "Contacts received", "2025 to 2026", "9", counted] in lines
    assert ["The year at a glance", "Contacts received", "2024 to 2025", "3", counted] in lines
    assert ["Referrals by tier", "Tier 1", "2025 to 2026", "2", counted] in lines
    assert len({line[0] for line in lines[1:]}) > 15  # every table, not one


@pytest.mark.parametrize(
    ("name", "output"),
    [
        ("lado_report", "page"),
        ("lado_report_print", "print"),
        ("lado_report_pdf", "pdf"),
        ("lado_report_xlsx", "xlsx"),
        ("lado_report_csv", "csv"),
    ],
)
def test_each_page_and_download_is_audited_as_a_report_produced(
    year: None, signed_in, persona, northshire: Organisation, name: str, output: str
) -> None:
    before = last_sequence()
    response = signed_in("ada").get(reverse(name) + LAST_YEAR)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    (event,) = events_since(before, "report.produced")
    assert event.actor == persona("ada")
    assert event.organisation == northshire
    assert event.record_id == ""
    assert event.details == {
        "report": "lado",
        "authority": northshire.pk,
        "from": "2025-04-01",
        "to": "2026-03-31",
        "format": output,
        "suppress_below": None,
        "counted_at": "2026-05-01T11:00:00+00:00",
        "counted": "now",
    }
    assert events_since(before, "records.listed") == []


def test_a_wrong_period_produces_no_report(year: None, signed_in) -> None:
    before = last_sequence()
    signed_in("mo").get(PAGE + "?period=dates")
    assert events_since(before, "report.produced") == []


# ---------------------------------------------------------------- small numbers


@pytest.fixture
def threshold_five(year: None, persona, northshire: Organisation) -> None:
    """Northshire suppresses counts below 5 in reports that leave the service."""
    report_settings_save(actor=persona("mo"), organisation=northshire, expected_version=1, suppress_below=5)


def test_without_a_threshold_the_page_offers_no_suppression(year: None, signed_in) -> None:
    response = signed_in("mo").get(PAGE + LAST_YEAR + "&suppress=1", follow=True)
    assert response.redirect_chain == [(PAGE + LAST_YEAR, 302)]
    text = text_of(response)
    assert "Suppress counts below" not in text
    assert "Contacts received 9 Up 6 from 3" in text
    assert "fewer than" not in text


def test_suppression_changes_the_page_and_says_so(threshold_five: None, signed_in) -> None:
    client = signed_in("lara")
    plain = text_of(client.get(PAGE + LAST_YEAR))
    assert "Suppress counts below 5 (for reports that leave the service)" in plain
    assert "Referrals meeting the threshold (Tier 1 and Tier 2) 5 Up 3 from 2" in plain
    assert "fewer than 5" not in plain
    suppressed = text_of(client.get(PAGE + LAST_YEAR + "&suppress=1"))
    assert "Counts below 5 are suppressed: each count from 1 to 4 is shown as “fewer than 5”" in suppressed
    assert "Cases concluded fewer than 5 Compared with fewer than 5 in 2024 to 2025" in suppressed
    assert (
        "Referrals meeting the threshold (Tier 1 and Tier 2) 5 Compared with fewer than 5 in 2024 to 2025" in suppressed
    )
    assert "Cases concluded within one month (% of cases concluded) Not available" in suppressed
    assert (
        f'href="{reverse("lado_report_pdf")}?period=last_year&amp;suppress=1"'
        in client.get(PAGE + LAST_YEAR + "&suppress=1").content.decode()
    )


def test_suppression_applies_to_the_downloads_and_their_names(threshold_five: None, signed_in, persona) -> None:
    client = signed_in("mo")
    query = LAST_YEAR + "&suppress=1"
    lines = [line[:4] for line in csv_lines(client.get(reverse("lado_report_csv") + query))]  # before "Counted at"
    assert ["The year at a glance", "Contacts received", "2025 to 2026", "9"] in lines
    assert ["The year at a glance", "Contacts received", "2024 to 2025", "fewer than 5"] in lines
    assert ["Referrals by tier", "Tier 1", "2025 to 2026", "fewer than 5"] in lines
    response = client.get(reverse("lado_report_xlsx") + query)
    assert "-suppressed-below-5.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Small numbers"].startswith("Counts below 5 are suppressed")
    assert ("Police", "fewer than 5", "fewer than 5") in list(
        workbook["Contacts by source"].iter_rows(values_only=True)
    )
    pdf = client.get(reverse("lado_report_pdf") + query)
    assert pdf["Content-Disposition"].endswith('-2025-04-01-to-2026-03-31-suppressed-below-5.pdf"')
    before = last_sequence()
    client.get(reverse("lado_report_print") + query)
    (event,) = events_since(before, "report.produced")
    assert event.details["suppress_below"] == 5


def test_a_rare_role_is_in_no_cell_of_the_suppressed_workbook(threshold_five: None, signed_in) -> None:
    client = signed_in("mo")

    def cells(query: str) -> set[Any]:
        response = client.get(reverse("lado_report_xlsx") + query)
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row}

    assert {"Football coach", "Nursery practitioner"} <= cells(LAST_YEAR)
    suppressed = cells(LAST_YEAR + "&suppress=1")
    assert not {"Football coach", "Nursery practitioner", "Teacher"} & suppressed
    assert "Other roles" in suppressed


# ---------------------------------------------------------------- the report settings


def test_only_the_lado_manager_opens_the_report_settings(demo_world: None, signed_in) -> None:
    assert signed_in("mo").get(reverse("lado_report_settings")).status_code == 200
    assert signed_in("lara").get(reverse("lado_report_settings")).status_code == 404
    assert signed_in("ada").get(reverse("lado_report_settings")).status_code == 404
    assert "Change the report settings" in text_of(signed_in("mo").get(PAGE))
    assert "Change the report settings" not in text_of(signed_in("ada").get(PAGE))


def test_mo_sets_the_threshold_and_the_change_is_audited(demo_world: None, signed_in, persona, northshire) -> None:
    before = last_sequence()
    response = signed_in("mo").post(reverse("lado_report_settings"), {"version": "1", "suppress_below": "10"})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    saved = ReportSettings.objects.get(organisation=northshire)
    assert (saved.suppress_below, saved.version, saved.updated_by) == (10, 2, persona("mo"))
    (event,) = events_since(before, "report_settings.changed")
    assert event.actor == persona("mo")
    assert event.organisation == northshire
    assert event.changes == {"suppress_below": [None, 10]}
    # And blank turns it off again.
    signed_in("mo").post(reverse("lado_report_settings"), {"version": "2", "suppress_below": ""})
    assert ReportSettings.objects.get(organisation=northshire).suppress_below is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ten", "Enter a whole number, like 5, or leave it blank"),
        ("1", "Enter a number from 2 to 100"),
        ("500", "Enter a number from 2 to 100"),
    ],
)
def test_a_wrong_threshold_is_explained_beside_the_field(
    demo_world: None, signed_in, northshire, value: str, message: str
) -> None:
    response = signed_in("mo").post(reverse("lado_report_settings"), {"version": "1", "suppress_below": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_suppress_below"' in page
    assert re.search(rf'<p id="id_suppress_below-error" class="govuk-error-message">.*?{message}', page, re.S)
    assert not ReportSettings.objects.filter(organisation=northshire).exists()


def test_a_stale_settings_form_is_given_back_under_the_conflict_notice(
    demo_world: None, signed_in, persona, northshire
) -> None:
    report_settings_save(actor=persona("mo"), organisation=northshire, expected_version=1, suppress_below=5)
    response = signed_in("mo").post(reverse("lado_report_settings"), {"version": "1", "suppress_below": "10"})
    assert response.status_code == 409
    assert ReportSettings.objects.get(organisation=northshire).suppress_below == 5
    with pytest.raises(ConflictError):
        report_settings_save(actor=persona("mo"), organisation=northshire, expected_version=1, suppress_below=7)


def test_only_the_lado_manager_may_save_the_settings(demo_world: None, persona, northshire) -> None:
    for key in ("lara", "ada", "hana"):
        with pytest.raises(PermissionDenied):
            report_settings_save(actor=persona(key), organisation=northshire, expected_version=1, suppress_below=5)
    assert not ReportSettings.objects.exists()
