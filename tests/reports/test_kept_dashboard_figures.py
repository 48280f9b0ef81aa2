"""An employer dashboard's figures are kept for their reader a quarter of an hour too (ADR 0045).

The hand-built school year of ``tests/reports/employer_year.py``, seen on Wednesday 10 March 2027 at noon: Priya
reads Riverside Learning Trust's dashboard, Hana her school's. Between two views a test moves one of the year's
concerns out of it, so a count made afresh differs from the figures kept.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.reports.employer_year import NOW, Year, build_year
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.reports.models import CountedReport

pytestmark = pytest.mark.django_db

TRUST = "/reports/trust/"
SCHOOL = "/reports/school/"


@pytest.fixture
def year(demo_world: None) -> Iterator[tuple[Year, time_machine.Traveller]]:
    """The hand-built year, with the clock stopped on Wednesday 10 March 2027 at noon."""
    with time_machine.travel(NOW, tick=False) as clock:
        yield build_year(), clock


def produced() -> list[dict[str, Any]]:
    return [event.details for event in AuditEvent.objects.filter(action="report.produced").order_by("sequence")]


def words(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def move_a_concern_out_of_the_year(year: Year) -> None:
    """A change a fresh count sees: one of Chris's concerns raised a year earlier instead."""
    Concern.objects.filter(pk=year.concerns["chris_1"].pk).update(raised_on=dt.date(2025, 3, 1))


def test_priyas_print_view_and_downloads_show_the_figures_her_page_showed_until_she_counts_again(
    year: tuple[Year, time_machine.Traveller], signed_in: Any
) -> None:
    built, clock = year
    priya = signed_in("priya")
    page = words(priya.get(TRUST))
    assert "Counted on 10 March 2027 at midday." in page
    assert "Your figures are kept for 15 minutes" in page
    move_a_concern_out_of_the_year(built)
    clock.shift(dt.timedelta(minutes=10))
    kept_csv = priya.get(TRUST + "figures.csv")
    kept = b"".join(kept_csv.streaming_content) if kept_csv.streaming else kept_csv.content
    assert "figures counted on 10 March 2027 at midday." in words(priya.get(TRUST + "print/"))
    again = priya.get(TRUST + "?count=again")
    assert again.status_code == 303
    assert "count=again" not in again["Location"]
    assert "Counted on 10 March 2027 at 12:10pm." in words(priya.get(again["Location"]))
    counted_csv = priya.get(TRUST + "figures.csv")
    counted = b"".join(counted_csv.streaming_content) if counted_csv.streaming else counted_csv.content
    assert kept != counted
    assert [(each["format"], each["counted"]) for each in produced()] == [
        ("page", "now"),
        ("csv", "kept"),
        ("print", "kept"),
        ("count", "now"),
        ("page", "kept"),
        ("csv", "kept"),
    ]
    assert CountedReport.objects.filter(report="employer-trust").count() == 1


def test_hanas_school_figures_are_her_own_not_priyas(year: Any, signed_in: Any) -> None:
    signed_in("priya").get(TRUST)
    signed_in("hana").get(SCHOOL)
    assert [(each["report"], each["counted"]) for each in produced()] == [
        ("employer-trust", "now"),
        ("employer-school", "now"),
    ]
    assert CountedReport.objects.filter(report="employer-school").count() == 1


def test_after_a_quarter_of_an_hour_the_figures_are_counted_afresh(
    year: tuple[Year, time_machine.Traveller], signed_in: Any
) -> None:
    _, clock = year
    priya = signed_in("priya")
    priya.get(TRUST)
    clock.shift(dt.timedelta(minutes=15))
    assert "Counted on 10 March 2027 at 12:15pm." in words(priya.get(TRUST))
    assert [each["counted"] for each in produced()] == ["now", "now"]
