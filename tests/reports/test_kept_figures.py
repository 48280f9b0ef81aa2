"""A reader's report figures are kept a quarter of an hour (ADR 0045): the page, print view and downloads agree.

The figures are those of the hand-built year (``tests/reports/lado_year.py``), seen on 1 May 2026 at midday:
"last financial year" is 2025 to 2026, in which Mo counts 9 contacts and Lara 8 (one is about her). Between two
views a test moves one of the year's contacts out of it, so a count made afresh says 8 where kept figures say 9.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.lado_year import NOW, build_lado_year
from threshold.accounts.models import Organisation
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.people.models import Person, SubjectClearance
from threshold.reports.kept import KEPT_FOR
from threshold.reports.lado_report import lado_report
from threshold.reports.lado_report import report as report_module
from threshold.reports.models import CountedReport
from threshold.reports.periods import financial_year

pytestmark = pytest.mark.django_db

LAST_YEAR = financial_year(dt.date(2025, 4, 1))
PAGE = reverse("lado_report") + "?period=last_year"


@pytest.fixture
def year(persona: Any) -> Iterator[time_machine.Traveller]:
    """The hand-built year at Northshire, with the clock stopped on 1 May 2026 at midday (London)."""
    with time_machine.travel(NOW, tick=False) as clock:
        build_lado_year(persona)
        yield clock


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def contacts_counted(persona: Any, key: str, northshire: Organisation, **options: Any) -> int:
    report = lado_report(user=persona(key), authority=northshire, period=LAST_YEAR, **options)
    return int(report.figures["contacts"])


def a_contact_of_the_year(northshire: Organisation) -> Contact:
    """Quentin Zephyr's contact, received on 5 May 2025."""
    contacts = Contact.objects.filter(local_authority=northshire, subject__full_name="Quentin Zephyr")
    return contacts.get(received_at__date=dt.date(2025, 5, 5))


def move_a_contact_out_of_the_year(northshire: Organisation) -> None:
    """A change a fresh count sees: one of the year's contacts received a year earlier instead."""
    contact = a_contact_of_the_year(northshire)
    Contact.objects.filter(pk=contact.pk).update(received_at=contact.received_at - dt.timedelta(days=400))


def words(response: Any) -> str:
    """A page's words, without its markup."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def produced_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="report.produced").order_by("sequence"))


def last_produced() -> dict[str, Any]:
    event = AuditEvent.objects.filter(action="report.produced").order_by("-sequence").first()
    assert event is not None
    return event.details


def test_mo_sees_the_figures_he_counted_again_for_a_quarter_of_an_hour(
    year: time_machine.Traveller, persona: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    counted_at = last_produced()["counted_at"]
    move_a_contact_out_of_the_year(northshire)
    year.shift(KEPT_FOR - dt.timedelta(seconds=1))
    assert contacts_counted(persona, "mo", northshire, output="pdf") == 9
    assert last_produced() | {"format": "pdf"} == last_produced()
    assert last_produced()["counted"] == "kept"
    assert last_produced()["counted_at"] == counted_at
    year.shift(dt.timedelta(seconds=1))
    assert contacts_counted(persona, "mo", northshire) == 8
    assert last_produced()["counted"] == "now"


def test_counting_again_replaces_mos_kept_figures(persona: Any, year: Any, northshire: Organisation) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    move_a_contact_out_of_the_year(northshire)
    assert contacts_counted(persona, "mo", northshire, count_again=True) == 8
    assert contacts_counted(persona, "mo", northshire) == 8
    assert CountedReport.objects.filter(reader=persona("mo")).count() == 1


def test_kept_figures_are_the_readers_own_lara_never_sees_mos(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    # Mo's figures count the contact about Lara; hers are counted for her, and leave it out.
    assert contacts_counted(persona, "lara", northshire) == 8
    assert last_produced()["counted"] == "now"
    assert contacts_counted(persona, "mo", northshire) == 9
    assert last_produced()["counted"] == "kept"


def test_mo_is_counted_afresh_once_a_counted_record_could_be_about_him(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    contact = a_contact_of_the_year(northshire)
    namesake = Person.objects.create(organisation=northshire, full_name="Mo Manager")
    Contact.objects.filter(pk=contact.pk).update(subject=namesake)
    # Rule 2 now hides that contact from Mo: his kept figures, which count it, are not shown again.
    assert contacts_counted(persona, "mo", northshire) == 8
    assert last_produced()["counted"] == "now"


def test_lara_is_counted_afresh_once_a_counted_record_is_corrected_to_name_her(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "lara", northshire) == 8  # C7, about her, is never counted for her
    lara_herself = Contact.objects.get(local_authority=northshire, subject__user=persona("lara")).subject
    # Quentin Zephyr's contact is corrected to name the person record linked to her account: the people hidden from
    # her are the same, but her kept figures count a record that is now about her, so they are not shown again.
    Contact.objects.filter(pk=a_contact_of_the_year(northshire).pk).update(subject=lara_herself)
    assert contacts_counted(persona, "lara", northshire) == 7
    assert last_produced()["counted"] == "now"


def test_lara_is_counted_afresh_once_a_counted_case_is_corrected_to_name_her(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    contacts_counted(persona, "lara", northshire)
    lara_herself = Contact.objects.get(local_authority=northshire, subject__user=persona("lara")).subject
    Case.objects.filter(pk=Case.objects.filter(local_authority=northshire).earliest("pk").pk).update(
        subject=lara_herself
    )
    contacts_counted(persona, "lara", northshire)
    assert last_produced()["counted"] == "now"


def test_a_change_of_reach_counts_afresh(persona: Any, year: Any, northshire: Organisation) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    mo = persona("mo")
    mo.memberships.filter(organisation=northshire).update(role="lado")
    assert contacts_counted(persona, "mo", northshire) == 9
    assert last_produced()["counted"] == "now"


def test_kept_figures_make_the_same_tables_as_figures_counted_afresh(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    counted = lado_report(user=persona("mo"), authority=northshire, period=LAST_YEAR)
    kept = lado_report(user=persona("mo"), authority=northshire, period=LAST_YEAR, suppress_below=3)
    assert last_produced()["counted"] == "kept"
    assert kept.suppressed(None).tables() == counted.tables()
    assert kept.suppressed(3).as_json() == counted.suppressed(3).as_json()


def test_another_period_is_counted_for_itself(persona: Any, year: Any, northshire: Organisation) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    this_year = lado_report(user=persona("mo"), authority=northshire, period=financial_year(dt.date(2026, 4, 1)))
    assert last_produced()["counted"] == "now"
    assert this_year.figures["period"]["label"] == "2026 to 2027"


def test_figures_past_their_time_are_removed_when_others_are_kept(
    persona: Any, year: time_machine.Traveller, northshire: Organisation
) -> None:
    contacts_counted(persona, "lara", northshire)
    year.shift(KEPT_FOR + dt.timedelta(minutes=1))
    contacts_counted(persona, "mo", northshire)
    assert list(CountedReport.objects.values_list("reader", flat=True)) == [persona("mo").pk]


@pytest.mark.parametrize(("key", "contacts", "budget"), [("mo", 27, 14), ("lara", 24, 16)])
def test_kept_figures_take_a_few_queries_however_many_records(
    persona: Any, northshire: Organisation, key: str, contacts: int, budget: int
) -> None:
    with time_machine.travel(NOW, tick=False):
        build_lado_year(persona)
        lado_report(user=persona(key), authority=northshire, period=LAST_YEAR)
        with CaptureQueriesContext(connection) as small:
            lado_report(user=persona(key), authority=northshire, period=LAST_YEAR)
        build_lado_year(persona, copies=2)
        lado_report(user=persona(key), authority=northshire, period=LAST_YEAR, count_again=True)
        with CaptureQueriesContext(connection) as large:
            report = lado_report(user=persona(key), authority=northshire, period=LAST_YEAR)
    assert report.figures["contacts"] == contacts
    # Outside a request nothing is remembered: the account, its memberships (for each question asked of its
    # scope), its addresses, rule 2's people, the kept figures, and the audit event; for Lara, from whom rule 2
    # hides people, which contacts and which cases are about them (two queries, however many there are).
    assert len(large.captured_queries) == len(small.captured_queries) <= budget


def test_the_page_says_when_its_figures_were_counted_and_counts_them_again_on_request(
    year: time_machine.Traveller, signed_in: Any, northshire: Organisation
) -> None:
    mo = signed_in("mo")
    assert "Contacts received 9 " in words(mo.get(PAGE))
    move_a_contact_out_of_the_year(northshire)
    year.shift(dt.timedelta(minutes=5))
    page = words(mo.get(PAGE))
    assert "Contacts received 9 " in page
    assert "Counted on 1 May 2026 at midday." in page
    assert "Your figures are kept for 15 minutes" in page
    # Counting writes, so it is a button that posts to the period's own page, never a link.
    assert '<form method="post" action="/reports/lado/?period=last_year" novalidate>' in mo.get(PAGE).content.decode()
    # The print view shows the figures the page showed, and says when they were counted.
    printed = words(mo.get(reverse("lado_report_print") + "?period=last_year"))
    assert "figures counted on 1 May 2026 at midday." in printed
    assert "Contacts received 9 " in printed
    again = mo.post(PAGE)
    assert (again.status_code, again["Location"]) == (303, PAGE)
    assert last_produced()["format"] == "count"
    assert last_produced()["counted"] == "now"
    recounted = words(mo.get(PAGE))
    assert "Success Your figures were counted again." in recounted  # the banner a screen reader announces
    assert "Counted on 1 May 2026 at 12:05pm." in recounted
    assert "Contacts received 8 " in recounted
    assert last_produced()["counted"] == "kept"
    assert "counted again" not in words(mo.get(PAGE))  # said once


def test_count_again_from_the_chooser_counts_the_period_chosen_and_shows_it_at_its_own_link(
    year: time_machine.Traveller, signed_in: Any, northshire: Organisation
) -> None:
    mo = signed_in("mo")
    mo.get(PAGE)
    move_a_contact_out_of_the_year(northshire)
    response = mo.post(PAGE + "&quarter=&from_day=")
    assert (response.status_code, response["Location"]) == (303, PAGE)
    assert "Contacts received 8 " in words(mo.get(response["Location"]))


def test_counting_again_needs_the_pages_own_form_a_forged_one_is_refused(
    year: time_machine.Traveller, signed_in: Any, northshire: Organisation
) -> None:
    mo = signed_in("mo", Client(enforce_csrf_checks=True))
    page = mo.get(PAGE).content.decode()
    move_a_contact_out_of_the_year(northshire)
    # A form on another site, without the page's CSRF token, counts nothing.
    assert mo.post(PAGE).status_code == 403
    assert [event.details["counted"] for event in produced_events()] == ["now"]
    # The page's own form carries its CSRF token and a one-time submission token.
    form = page[page.index('<form method="post" action="/reports/lado/?period=last_year"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]+)"', form))
    assert set(fields) == {"csrfmiddlewaretoken", "submission"}
    assert mo.post(PAGE, fields).status_code == 303
    assert "Contacts received 8 " in words(mo.get(PAGE))


def test_a_link_never_counts_mos_figures_again_only_his_button_does(
    year: time_machine.Traveller, signed_in: Any, northshire: Organisation
) -> None:
    mo = signed_in("mo")
    mo.get(PAGE)
    move_a_contact_out_of_the_year(northshire)
    # An old link that asked to count again, a link checker following it, a prefetch or a HEAD request: shown as
    # kept, and nothing counted.
    old_link = mo.get(PAGE + "&count=again")
    assert (old_link.status_code, old_link["Location"]) == (302, PAGE)
    assert mo.head(PAGE + "&count=again").status_code == 302
    assert mo.head(PAGE).status_code == 200
    assert "Contacts received 9 " in words(mo.get(PAGE))
    assert [event.details["counted"] for event in produced_events()] == ["now", "kept", "kept"]


def run_report_command(*arguments: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "report", "lado-annual", "--from", "2025-04-01", "--to", "2026-03-31", "--authority", "northshire-council",
        *arguments, stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return dict(json.loads(out.getvalue()))


def test_the_command_counts_afresh_and_keeps_what_it_counted_for_the_person_named(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    move_a_contact_out_of_the_year(northshire)
    assert run_report_command("--as", persona("mo").email)["contacts"] == 8
    assert last_produced()["counted"] == "now"
    assert contacts_counted(persona, "mo", northshire) == 8
    assert last_produced()["counted"] == "kept"


def test_the_report_job_keeps_no_figures(persona: Any, year: Any) -> None:
    assert run_report_command()["contacts"] == 9
    assert not CountedReport.objects.exists()


def test_mo_is_counted_afresh_once_an_adult_counted_is_renamed_to_a_name_that_could_be_his(
    persona: Any, year: Any, northshire: Organisation
) -> None:
    assert contacts_counted(persona, "mo", northshire) == 9
    adult = a_contact_of_the_year(northshire).subject
    assert adult is not None
    adult.full_name = "Mo Manager"
    adult.save()
    # Quentin Zephyr's two contacts of the year are now hidden from Mo.
    assert contacts_counted(persona, "mo", northshire) == 7
    assert last_produced()["counted"] == "now"


def test_a_clearance_lifting_a_possible_match_counts_afresh(persona: Any, year: Any, northshire: Organisation) -> None:
    adult = a_contact_of_the_year(northshire).subject
    assert adult is not None
    adult.full_name = "Mo Manager"
    adult.save()
    assert contacts_counted(persona, "mo", northshire) == 7
    SubjectClearance.objects.create(person=adult, user=persona("mo"), cleared_by=persona("lara"), reason="Not Mo.")
    assert contacts_counted(persona, "mo", northshire) == 9
    assert last_produced()["counted"] == "now"


def test_figures_are_kept_under_the_rules_they_were_counted_under(
    persona: Any, year: Any, northshire: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record that becomes about Mo while his figures are counted: they are kept under the rules they counted by."""
    adult = a_contact_of_the_year(northshire).subject
    assert adult is not None
    counting = report_module.count_figures

    def counted_while_the_adult_is_renamed(*arguments: Any, **named: Any) -> dict[str, Any]:
        figures = counting(*arguments, **named)
        adult.full_name = "Mo Manager"
        adult.save()
        return figures

    monkeypatch.setattr(report_module, "count_figures", counted_while_the_adult_is_renamed)
    assert run_report_command("--as", persona("mo").email)["contacts"] == 9
    monkeypatch.setattr(report_module, "count_figures", counting)
    # Kept under the key read before counting: now that the adult could be Mo, his figures are counted afresh.
    assert contacts_counted(persona, "mo", northshire) == 7
    assert last_produced()["counted"] == "now"
