"""An employer dashboard's figures are kept for their reader a quarter of an hour too (ADR 0045).

The hand-built school year of ``tests/reports/employer_year.py``, seen on Wednesday 10 March 2027 at noon: Priya
reads Riverside Learning Trust's dashboard, Hana her school's. Between two views a test moves one of the year's
concerns out of it, so a count made afresh differs from the figures kept.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.reports.employer_year import NOW, Year, build_year
from threshold.access.policies import people_hidden_from
from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.demo import world
from threshold.people.models import Person
from threshold.reports.employer.readers import token_of
from threshold.reports.models import CountedReport
from threshold.reports.tables import Row, Table, table_as_json, table_from_json

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
    # Counting writes, so it is a button posting to the page, never a link a checker or a prefetch could follow.
    assert f'<form method="post" action="{TRUST}?' in priya.get(TRUST).content.decode()
    again = priya.post(TRUST)
    assert again.status_code == 303
    shown = words(priya.get(again["Location"]))
    assert "Counted on 10 March 2027 at 12:10pm." in shown
    assert "Success Your figures were counted again." in shown
    counted_csv = priya.get(TRUST + "figures.csv")
    counted = b"".join(counted_csv.streaming_content) if counted_csv.streaming else counted_csv.content
    assert kept != counted
    assert [(each["format"], each["counted"]) for each in produced()] == [
        ("page", "now"),
        ("csv", "kept"),
        ("print", "kept"),
        ("page", "kept"),
        ("count", "now"),
        ("page", "kept"),
        ("csv", "kept"),
    ]
    assert CountedReport.objects.filter(report="employer-trust").count() == 1


def csv_of(client: Any, query: dict[str, str] | None = None) -> str:
    response = client.get(SCHOOL + "figures.csv", query or {})
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_hana_is_never_shown_devs_oakfield_figures_which_count_the_concern_about_her(year: Any, signed_in: Any) -> None:
    oakfield = token_of(Organisation.objects.get(name=world.OAKFIELD))
    devs = csv_of(signed_in("dev"), {"organisation": oakfield})
    hanas = csv_of(signed_in("hana"))
    assert [each["counted"] for each in produced()] == ["now", "now"]
    # The same school, counted for each: Dev's count has the concern about Hana, hers leaves it out.
    assert devs != hanas


def test_dev_switching_between_his_schools_is_shown_each_schools_own_figures(year: Any, signed_in: Any) -> None:
    dev = signed_in("dev")
    oakfield = {"organisation": token_of(Organisation.objects.get(name=world.OAKFIELD))}
    hillcrest = {"organisation": token_of(Organisation.objects.get(name=world.HILLCREST))}
    first = csv_of(dev, oakfield)
    assert csv_of(dev, hillcrest) != first
    assert csv_of(dev, oakfield) == first
    assert [each["counted"] for each in produced()] == ["now", "now", "kept"]
    again = dev.post(f"{SCHOOL}?organisation={oakfield['organisation']}")
    assert again.status_code == 303
    assert f"organisation={oakfield['organisation']}" in again["Location"]
    assert [each["counted"] for each in produced()][-1] == "now"


def test_priya_is_counted_afresh_once_a_person_named_like_her_could_be_the_subject_of_a_concern(
    year: Any, signed_in: Any
) -> None:
    priya = signed_in("priya")
    priya.get(TRUST)
    Person.objects.create(organisation=Organisation.objects.get(name=world.OAKFIELD), full_name="Priya Director")
    priya.get(TRUST)
    assert [each["counted"] for each in produced()] == ["now", "now"]


@pytest.mark.parametrize(("model", "record"), [(Concern, "chris_1"), (Allegation, "a1")], ids=["concern", "allegation"])
def test_hana_is_counted_afresh_once_a_counted_record_is_corrected_to_name_her(
    year: tuple[Year, time_machine.Traveller], signed_in: Any, persona: Any, model: Any, record: str
) -> None:
    built, _clock = year
    hana = signed_in("hana")
    hana.get(SCHOOL)
    # One of Chris's concerns (or allegations) is corrected to name a person record hidden from Hana (one that
    # is, or could be, her): the people hidden from her are the same, but her kept figures count a record now
    # about her.
    counted = built.concerns[record] if model is Concern else built.allegations[record]
    model.objects.filter(pk=counted.pk).update(subject_id=people_hidden_from(scope_for(persona("hana")))[0])
    hana.get(SCHOOL)
    assert [each["counted"] for each in produced()] == ["now", "now"]


def test_a_link_or_a_head_request_never_counts_priyas_figures_again(
    year: tuple[Year, time_machine.Traveller], signed_in: Any
) -> None:
    built, _clock = year
    priya = signed_in("priya")
    priya.get(TRUST)
    move_a_concern_out_of_the_year(built)
    # An old "count again" link, a link checker or a prefetch following it, a HEAD request: the kept figures.
    assert priya.get(TRUST + "?count=again").status_code == 200
    assert priya.head(TRUST + "?count=again").status_code == 200
    assert [(each["format"], each["counted"]) for each in produced()] == [
        ("page", "now"),
        ("page", "kept"),
        ("page", "kept"),
    ]


def test_a_school_leaving_the_trust_counts_the_trusts_figures_afresh(year: Any, signed_in: Any) -> None:
    priya = signed_in("priya")
    priya.get(TRUST)
    Organisation.objects.filter(name=world.MEADOW_LANE).update(trust=None)
    priya.get(TRUST)
    assert [each["counted"] for each in produced()] == ["now", "now"]


def test_after_a_quarter_of_an_hour_the_figures_are_counted_afresh(
    year: tuple[Year, time_machine.Traveller], signed_in: Any
) -> None:
    _, clock = year
    priya = signed_in("priya")
    priya.get(TRUST)
    clock.shift(dt.timedelta(minutes=15))
    assert "Counted on 10 March 2027 at 12:15pm." in words(priya.get(TRUST))
    assert [each["counted"] for each in produced()] == ["now", "now"]


def test_a_table_kept_as_json_is_the_same_table_with_the_same_kinds_of_value() -> None:
    table = Table(
        key="mixed",
        title="Every kind of value",
        counted_by="Counted by nothing.",
        columns=("What", "Count", "Per cent", "Shown"),
        rows=(Row(label="One", values=(3, 33.3, None), key="one"), Row(label="Two", values=(0, 100.0, "fewer than 5"))),
        chart="none",
        summary="A summary.",
        notes=("A note.",),
    )
    again = table_from_json(json.loads(json.dumps(table_as_json(table))))
    assert again == table
    assert [type(value) for value in again.rows[0].values] == [int, float, type(None)]
