"""The employer's dashboards (issue 14, "The employer side"): every figure of a hand-built year, counted over what
the reader may see, so a record about the reader is never in it, and every page says so in the same words.

The year is described in ``tests/reports/employer_year.py``.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.employer_year import NOW, TODAY, Year, build_year
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation, AllegationStatus
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.reports.employer.allegation_figures import allegation_tables
from threshold.reports.employer.concern_figures import concern_tables
from threshold.reports.employer.presenters import COUNTED_FROM
from threshold.reports.employer.readers import dashboard_for, token_of
from threshold.reports.periods import Period
from threshold.reports.tables import Table
from threshold.reports.terms import academic_year_period, employer_period

YEAR = academic_year_period(TODAY)
TRUST = "/reports/trust/"
SCHOOL = "/reports/school/"


@pytest.fixture
def year(demo_world: None) -> Iterator[Year]:
    """The hand-built year, with the clock on Wednesday 10 March 2027."""
    with time_machine.travel(NOW, tick=False):
        yield build_year()


def figures_for(persona, key: str, kind: str, period: Period = YEAR, token: str = "") -> dict[str, Table]:
    user = persona(key)
    dashboard = dashboard_for(user, kind, token)  # type: ignore[arg-type]
    tables = concern_tables(user=user, dashboard=dashboard, period=period)
    tables += allegation_tables(user=user, dashboard=dashboard, period=period, today=TODAY)
    return {table.key: table for table in tables}


def counts(table: Table) -> dict[str, Any]:
    """A table's rows as {label: first value}."""
    return {row.label: row.values[0] for row in table.rows}


def text_of(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def events_since(before: int, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before, action=action).order_by("sequence"))


# ---------------------------------------------------------------- the trust's figures, as Priya reads them


def test_priya_sees_the_trusts_concerns_by_decision_school_term_category_and_tier(year: Year, persona) -> None:
    tables = figures_for(persona, "priya", "trust")
    assert counts(tables["concerns_by_decision"]) == {
        "Low-level concern": 6,
        "Allegation (meets the harm threshold)": 1,
        "Appropriate conduct": 1,
        "Not yet decided": 1,
    }
    assert counts(tables["low_level_by_school"]) == {
        world.HILLCREST: 2,
        world.MEADOW_LANE: 0,
        world.OAKFIELD: 4,
    }
    assert counts(tables["low_level_by_term"]) == {
        "Autumn term 2026": 3,
        "Spring term 2027": 3,
        "Summer term 2027": 0,
    }
    assert counts(tables["low_level_by_category"]) == {
        "No breach of the code of conduct": 0,
        "Professional boundaries with children": 2,
        "Inappropriate, sexualised, intimidating or offensive language": 1,
        "Photographs or personal devices": 1,
        "One-to-one contact in a secluded area or behind a closed door": 1,
        "Conduct outside work": 0,
        "Another part of the code of conduct": 0,
        "Not yet recorded": 1,
    }
    tiers = tables["low_level_by_tier"]
    assert [(row.key, row.values[0]) for row in tiers.rows] == [("tier-1", 3), ("tier-2", 3)]
    assert tiers.rows[0].label.startswith("Tier 1: Low level concern incident")
    assert "Counted by the date each concern was raised, 1 September 2026 to 31 August 2027." in (
        tables["concerns_by_decision"].counted_by
    )


def test_priya_sees_two_adults_with_more_than_one_low_level_concern(year: Year, persona) -> None:
    repeat = figures_for(persona, "priya", "trust")["repeat_adults"]
    assert counts(repeat) == {"2 low-level concerns": 1, "3 low-level concerns": 1, "4 or more": 0}
    assert repeat.summary == "2 adults had more than one low-level concern in the period."


def test_priya_sees_the_trusts_allegations_open_overdue_by_outcome_and_how_soon_the_lado_was_told(
    year: Year, persona
) -> None:
    tables = figures_for(persona, "priya", "trust")
    assert counts(tables["allegations_open"]) == {
        "Open, not yet referred to the LADO": 1,
        "Open, referred to the LADO": 2,
    }
    by_school = {row.label: row.values for row in tables["allegations_by_school"].rows}
    assert by_school == {world.HILLCREST: (2, 2), world.MEADOW_LANE: (0, 0), world.OAKFIELD: (2, 1)}
    assert counts(tables["overdue_steps"]) == {"Written confirmation (step 6)": 1, "Investigation report": 2}
    assert counts(tables["allegations_by_outcome"]) == {
        "Substantiated": 1,  # recorded again over "unsubstantiated": the latest outcome stands
        "Malicious": 0,
        "False": 1,  # came to attention last year, concluded this year: counted by the outcome's date
        "Unsubstantiated": 0,
        "Unfounded": 0,  # concluded last year
    }
    timeliness = {row.key: row.values[0] for row in tables["lado_timeliness"].rows}
    assert timeliness == {
        "came_to_attention": 4,
        "informed": 3,
        "not_informed": 1,
        "within_one_working_day": 1,  # Christmas Eve to the Tuesday after the Boxing Day bank holiday
        "within_one_working_day_percent": 33.3,
        "median_days": 5,  # calendar days, of 4 (a referral at 00:30 BST counts on its London day), 5 and 5
    }
    assert tables["lado_timeliness"].chart == "none"


def test_a_period_that_starts_and_ends_mid_term_counts_only_its_days(year: Year, persona) -> None:
    period = employer_period(YEAR.start.replace(month=10, day=1), TODAY.replace(month=2))
    tables = figures_for(persona, "priya", "trust", period)
    assert counts(tables["low_level_by_term"]) == {"Autumn term 2026 (part)": 2, "Spring term 2027 (part)": 2}
    assert counts(tables["concerns_by_decision"])["Low-level concern"] == 4


def test_two_allegations_with_the_same_dates_are_both_timed(year: Year, persona) -> None:
    twin = year.allegations["a3"]
    again = Allegation.objects.create(
        organisation=twin.organisation, subject=twin.subject, summary="The same days.",
        came_to_attention_on=twin.came_to_attention_on, status=AllegationStatus.REFERRED,
    )  # fmt: skip
    for referral in twin.referrals.all():
        referral.pk = None
        referral.allegation = again
        referral.save()
    timeliness = {row.key: row.values[0] for row in figures_for(persona, "priya", "trust")["lado_timeliness"].rows}
    assert timeliness["came_to_attention"] == 5
    assert timeliness["within_one_working_day"] == 2
    assert timeliness["within_one_working_day_percent"] == 50.0


# ---------------------------------------------------------------- subject exclusion


def test_hanas_school_view_leaves_out_the_concern_and_allegation_about_her_and_priyas_counts_them(
    year: Year, persona
) -> None:
    hana = figures_for(persona, "hana", "school")
    assert "low_level_by_school" not in hana
    assert "allegations_by_school" not in hana
    assert counts(hana["concerns_by_decision"])["Low-level concern"] == 3
    assert counts(hana["low_level_by_term"]) == {"Autumn term 2026": 2, "Spring term 2027": 1, "Summer term 2027": 0}
    assert counts(hana["low_level_by_category"])["Inappropriate, sexualised, intimidating or offensive language"] == 0
    assert [(row.key, row.values[0]) for row in hana["low_level_by_tier"].rows] == [("tier-1", 1), ("tier-2", 2)]
    assert counts(hana["repeat_adults"]) == {"2 low-level concerns": 0, "3 low-level concerns": 1, "4 or more": 0}
    assert counts(hana["allegations_open"]) == {
        "Open, not yet referred to the LADO": 0,
        "Open, referred to the LADO": 0,
    }
    assert counts(hana["overdue_steps"]) == {}
    assert counts(hana["allegations_by_outcome"])["Substantiated"] == 1
    timeliness = {row.key: row.values[0] for row in hana["lado_timeliness"].rows}
    assert timeliness["came_to_attention"] == 1
    assert timeliness["within_one_working_day_percent"] == 0.0
    assert timeliness["median_days"] == 4  # calendar days: Friday 2 October to Tuesday 6 October

    priya = figures_for(persona, "priya", "trust")
    assert counts(priya["low_level_by_school"])[world.OAKFIELD] == 4
    assert counts(priya["low_level_by_category"])["Inappropriate, sexualised, intimidating or offensive language"] == 1


def test_dev_reads_oakfield_and_hillcrest_each_and_the_concern_about_hana_is_counted_for_him(
    year: Year, persona
) -> None:
    dev = persona("dev")
    hillcrest = Organisation.objects.get(name=world.HILLCREST)
    oakfield = figures_for(persona, "dev", "school")
    assert dashboard_for(dev, "school").organisation.name == world.HILLCREST  # the first by name
    token = token_of(Organisation.objects.get(name=world.OAKFIELD))
    oakfield = figures_for(persona, "dev", "school", token=token)
    assert counts(oakfield["concerns_by_decision"])["Low-level concern"] == 4
    assert counts(oakfield["allegations_open"])["Open, referred to the LADO"] == 1
    hill = figures_for(persona, "dev", "school", token=token_of(hillcrest))
    assert counts(hill["concerns_by_decision"])["Low-level concern"] == 2


def test_dev_chooses_oakfield_on_the_page_and_an_organisation_not_his_is_refused_beside_the_field(
    year: Year, signed_in
) -> None:
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    token = token_of(oakfield)
    client = signed_in("dev")
    page = text_of(client.get(SCHOOL, {"organisation": token}))
    assert f"{world.OAKFIELD} School dashboard" in page
    assert year.concerns["chris_1"].reference in page
    meadow = Organisation.objects.get(name=world.MEADOW_LANE)
    refused = client.get(SCHOOL, {"organisation": token_of(meadow)})
    assert "Choose one of your organisations" in refused.content.decode()
    assert "Low-level concerns, by term" not in refused.content.decode()


def test_every_dashboard_says_the_same_sentence_about_what_it_counts(year: Year, signed_in) -> None:
    for key, url in (("hana", SCHOOL), ("priya", TRUST), ("dev", SCHOOL)):
        page = text_of(signed_in(key).get(url))
        assert page.count(COUNTED_FROM) == 1, key


# ---------------------------------------------------------------- the page


def test_priyas_dashboard_shows_each_figure_and_the_concerns_she_can_open(year: Year, signed_in) -> None:
    before = AuditEvent.objects.count()
    response = signed_in("priya").get(TRUST)
    assert response.status_code == 200
    page = text_of(response)
    assert "Trust dashboard: Riverside Learning Trust – Threshold" in response.content.decode()
    assert "Figures for the academic year 2026 to 2027 (1 September 2026 to 31 August 2027)." in page
    for title in (
        "Low-level concerns, by school",
        "Low-level concerns, by term",
        "Allegations, by school",
        "Time from coming to attention to informing the LADO",
        "Allegations concluded, by outcome",
    ):
        assert title in page
    assert response.content.decode().count("<svg") == 10  # every figure but the timeliness measures has a chart
    for name in ("chris_1", "chris_2", "chris_3", "sally_1", "sally_2"):
        assert year.concerns[name].reference in page
    assert year.concerns["hana"].reference not in page  # one concern about her: not a pattern
    produced = events_since(before, "report.produced")
    assert [event.details for event in produced] == [
        {
            "report": "employer-trust",
            "organisation": Organisation.objects.get(name=world.RIVERSIDE).pk,
            "from": "2026-09-01",
            "to": "2027-08-31",
            "format": "page",
            "counted_at": "2027-03-10T12:00:00+00:00",
            "counted": "now",
        }
    ]
    listed = events_since(before, "records.listed")
    assert len(listed) == 1
    assert sorted(listed[0].details["ids"]) == sorted(
        year.concerns[name].pk for name in ("chris_1", "chris_2", "chris_3", "sally_1", "sally_2")
    )


def test_hanas_page_lists_only_the_concerns_she_may_open(year: Year, signed_in) -> None:
    page = text_of(signed_in("hana").get(SCHOOL))
    assert "School dashboard" in page
    assert year.concerns["chris_1"].reference in page
    assert year.concerns["sally_1"].reference not in page
    assert year.concerns["hana"].reference not in page


def test_a_period_with_a_missing_or_backwards_date_is_refused_beside_the_field(year: Year, signed_in) -> None:
    client = signed_in("priya")
    query = {"from_day": "1", "from_month": "9", "from_year": "2026", "to_day": "", "to_month": "8", "to_year": "2026"}
    response = client.get(TRUST, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The end of the period must include a day" in page
    assert 'href="#id_to_day"' in page
    assert "<title>Error: Trust dashboard: Riverside Learning Trust – Threshold</title>" in page
    assert "Low-level concerns, by school" not in page
    query["to_day"] = "31"
    page = client.get(TRUST, query).content.decode()
    assert "The end of the period must be the same as or after the start" in page
    # A download with such a period goes back to the chooser, which shows why.
    response = client.get(f"{TRUST}figures.xlsx", query)
    assert response.status_code == 302
    assert response["Location"].startswith(TRUST + "?")


@pytest.mark.parametrize(
    ("start", "end"),
    [("1/9/2027", "31/8/2028"), ("1/1/9999", "2/1/9999"), ("31/12/9999", "31/12/9999")],
    ids=["next year", "the calendar's last year", "its last day"],
)
def test_a_period_starting_after_today_is_refused_beside_the_start(year: Year, signed_in, start: str, end: str) -> None:
    (from_day, from_month, from_year), (to_day, to_month, to_year) = start.split("/"), end.split("/")
    query = {
        "from_day": from_day, "from_month": from_month, "from_year": from_year,
        "to_day": to_day, "to_month": to_month, "to_year": to_year,
    }  # fmt: skip
    for reader, page in (("priya", TRUST), ("hana", SCHOOL)):
        response = signed_in(reader).get(page, query)
        assert response.status_code == 200
        shown = response.content.decode()
        assert "The start of the period must be today or in the past" in shown
        assert 'href="#id_from_day"' in shown
        assert signed_in(reader).get(f"{page}figures.csv", query).status_code == 302


def test_the_chosen_period_is_kept_by_the_print_and_download_links(year: Year, signed_in) -> None:
    query = {
        "from_day": "1",
        "from_month": "1",
        "from_year": "2027",
        "to_day": "30",
        "to_month": "4",
        "to_year": "2027",
    }
    page = signed_in("priya").get(TRUST, query).content.decode()
    assert "Figures for 1 January 2027 to 30 April 2027." in text_of_html(page)
    assert "/reports/trust/figures.xlsx?from_day=1&amp;from_month=1&amp;from_year=2027&amp;to_day=30" in page


def text_of_html(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_print_view_has_the_figures_without_the_chooser_or_the_references(year: Year, signed_in) -> None:
    before = AuditEvent.objects.count()
    response = signed_in("priya").get(f"{TRUST}print/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/work/"' not in page  # no navigation
    assert "Sign out" not in page
    assert "Choose the period" not in page
    assert COUNTED_FROM in page
    assert "Low-level concerns, by term" in page
    assert year.concerns["chris_1"].reference not in page
    assert [event.details["format"] for event in events_since(before, "report.produced")] == ["print"]
    assert not events_since(before, "records.listed")


# ---------------------------------------------------------------- downloads


def test_the_xlsx_has_a_sheet_per_figure_and_is_audited_without_ids(year: Year, signed_in) -> None:
    before = AuditEvent.objects.count()
    response = signed_in("priya").get(f"{TRUST}figures.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="trust-dashboard-2026-09-01-to-2027-08-31.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 12  # what the figures are, then eleven figures
    about = [list(row) for row in workbook["About these figures"].iter_rows(values_only=True)]
    assert ["Counted from", COUNTED_FROM] in about
    by_school = [list(row) for row in workbook["Low-level concerns, by school"].iter_rows(values_only=True)]
    assert by_school == [
        ["School", "Low-level concerns"],
        [world.HILLCREST, 2],
        [world.MEADOW_LANE, 0],
        [world.OAKFIELD, 4],
    ]
    (event,) = events_since(before, "report.produced")
    assert event.details["format"] == "xlsx"
    assert "ids" not in event.details
    assert event.record_id == ""


def test_the_csv_has_a_line_per_figure_row_and_column(year: Year, signed_in) -> None:
    response = signed_in("hana").get(f"{SCHOOL}figures.csv")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == ["Figure", "Counted by", "Row", "Column", "Value", "Counted at"]
    assert {line[5] for line in lines[1:]} == {"2027-03-10T12:00:00+00:00"}  # when its figures were counted
    by_term = {line[2]: line[4] for line in lines[1:] if line[0] == "Low-level concerns, by term"}
    assert by_term == {"Autumn term 2026": "2", "Spring term 2027": "1", "Summer term 2027": "0"}
    assert all(line[1].endswith(COUNTED_FROM) for line in lines[1:])


def test_the_pdf_is_the_print_view(year: Year, signed_in) -> None:
    before = AuditEvent.objects.count()
    response = signed_in("hana").get(f"{SCHOOL}figures.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="school-dashboard-2026-09-01-to-2027-08-31.pdf"'
    assert [event.details["format"] for event in events_since(before, "report.produced")] == ["pdf"]


# ---------------------------------------------------------------- who reads which


@pytest.mark.parametrize("key", ["henry", "tom", "lara", "mo", "gina", "olu", "sid", "ada"])
def test_nobody_else_reads_a_dashboard(key: str, year: Year, signed_in) -> None:
    client = signed_in(key)
    assert client.get(TRUST).status_code == 404
    assert client.get(f"{TRUST}figures.xlsx").status_code == 404
    assert client.get(SCHOOL).status_code == 404


def test_hana_does_not_read_the_trusts_dashboard_and_priya_has_no_school_view(year: Year, signed_in) -> None:
    assert signed_in("hana").get(TRUST).status_code == 404
    assert signed_in("priya").get(SCHOOL).status_code == 404


def test_the_navigation_links_each_reader_to_their_dashboard(year: Year, signed_in) -> None:
    assert 'href="/reports/trust/"' in signed_in("priya").get("/").content.decode()
    assert 'href="/reports/school/"' in signed_in("hana").get("/").content.decode()
    assert "/reports/" not in signed_in("henry").get("/").content.decode()
    assert "/reports/" not in signed_in("tom").get("/").content.decode()


# ---------------------------------------------------------------- counted in the database


def test_the_figures_take_the_same_number_of_queries_however_many_records_there_are(year: Year, persona) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures_for(persona, "priya", "trust")
        return len(captured.captured_queries)

    first = queries()
    build_year_again()
    assert queries() == first


def build_year_again() -> None:
    """The same records again, under new person records (a second year's worth of rows in the same period)."""
    build_year()
