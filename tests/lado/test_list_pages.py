"""The LADO lists a page at a time: filters kept from page to page, exports of the whole list, the audited rows.

Issue 15: "page-size pagination (GOV.UK pagination component) on every list ... filters in SQL ... employer
choices from a bounded query". Each list shows ``PAGE_SIZE`` rows and the links to the others; the spreadsheets
still hold every row the filters choose; the audit event names the rows the page showed.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.reports.exports_helpers import csv_rows, download, references
from tests.timescales.work_helpers import MONDAY, MONDAY_MORNING, deadline
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import OutcomeRecord
from threshold.audit.models import AuditEvent
from threshold.core.pagination import PAGE_SIZE
from threshold.demo import world
from threshold.lado.list_selectors import advice_overdue
from threshold.lado.models import Case, CaseStatus, Contact, ContactStatus, Meeting
from threshold.lado.models.employer import EmployerOutcomeResponse
from threshold.lado.models.meetings import MeetingKind
from threshold.lado.presenters.employer import employer_outcome_section, employer_outcome_tag, listed_outcome_tag
from threshold.lado.selectors import advice_due
from threshold.people.models import Person
from threshold.timescales.models import Deadline
from threshold.timescales.views.work import WORK_PAGE_SIZE

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# More than a page of each list, and a few on the next.
MANY = PAGE_SIZE + 5


def _northshire() -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def _adult(n: int) -> Person:
    return Person.objects.create(organisation=_northshire(), full_name=f"Adult Number{n}")


def _cases(count: int, *, lado: User | None = None, **fields: object) -> list[Case]:
    """``count`` open Northshire cases, the newest last, each about its own adult."""
    opened = timezone.now() - dt.timedelta(days=count + 1)
    return [
        Case.objects.create(
            local_authority=_northshire(),
            subject=_adult(n),
            adult_name=f"Adult Number{n}",
            summary="Synthetic.",
            lado=lado,
            opened_at=opened + dt.timedelta(days=n),
            **fields,
        )
        for n in range(count)
    ]


def _contacts(count: int, **fields: object) -> list[Contact]:
    """``count`` new Northshire contacts nobody holds, the newest last."""
    received = timezone.now() - dt.timedelta(hours=count + 1)
    return [
        Contact.objects.create(
            local_authority=_northshire(),
            subject=_adult(n),
            adult_name=f"Adult Number{n}",
            summary="Synthetic.",
            received_at=received + dt.timedelta(hours=n),
            **fields,
        )
        for n in range(count)
    ]


def _links(html: str) -> list[str]:
    """The hrefs of the GOV.UK pagination's links on a page."""
    navigation = html.split('class="govuk-pagination', 1)[1].split("</nav>", 1)[0]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', navigation)]


def _last_listed(actor: User) -> AuditEvent:
    return AuditEvent.objects.filter(action="records.listed", actor=actor).latest("sequence")


def test_all_cases_keeps_its_filters_from_page_to_page_and_exports_every_filtered_case(persona, signed_in) -> None:
    sexual = _cases(MANY, abuse_categories=["sexual", "physical"])
    _cases(3, abuse_categories=["neglect"])
    mo = signed_in("mo")

    first = mo.get(reverse("case_list_all"), {"category": "sexual"}).content.decode()
    assert f"Showing 1 to {PAGE_SIZE} of {MANY} cases." in first
    assert "?category=sexual&page=2" in _links(first)
    # Open cases newest first: the page shows the newest fifty, and the audit event names exactly those.
    assert set(_last_listed(persona("mo")).details["ids"]) == {case.pk for case in sexual[-PAGE_SIZE:]}

    second = mo.get(reverse("case_list_all"), {"category": "sexual", "page": "2"}).content.decode()
    assert f"Showing {PAGE_SIZE + 1} to {MANY} of {MANY} cases." in second
    assert set(_last_listed(persona("mo")).details["ids"]) == {case.pk for case in sexual[: MANY - PAGE_SIZE]}
    # The export link carries the filters, not the page, and the spreadsheet holds every case they choose.
    export = re.search(r'href="([^"]+\.csv[^"]*)"', second)
    assert export is not None
    assert "page=" not in export.group(1)
    rows = csv_rows(mo.get(export.group(1).replace("&amp;", "&")))
    assert references(rows) == {case.reference for case in sexual}


def test_all_cases_lists_open_then_concluded_then_closed_cases_each_newest_first(persona, signed_in) -> None:
    closed, concluded, open_ = (
        _cases(2, status=CaseStatus.CLOSED),
        _cases(2, status=CaseStatus.CONCLUDED),
        _cases(2),
    )
    page = signed_in("mo").get(reverse("case_list_all")).content.decode()
    mine = closed + concluded + open_
    shown = sorted(mine, key=lambda case: page.index(case.reference))
    assert shown == [case for group in (open_, concluded, closed) for case in reversed(group)]


def test_the_case_statuses_sort_backwards_in_the_lists_order_so_the_index_serves_it() -> None:
    # ``list_selectors.LIST_ORDER`` sorts by the status's value, descending: a new status must fit that order.
    assert sorted(CaseStatus.values, reverse=True) == [CaseStatus.OPEN, CaseStatus.CONCLUDED, CaseStatus.CLOSED]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's query plan; PostgreSQL plans by its statistics"
)
def test_mo_counting_cases_of_one_category_reads_an_index_not_every_case(persona, signed_in) -> None:
    _cases(3, abuse_categories=["sexual"])
    with CaptureQueriesContext(connection) as queries:
        signed_in("mo").get(reverse("case_list_all"), {"category": "sexual"})
    count = next(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "sexual" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {count}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX lado_case_la_categories" in plan


def test_the_employer_filter_is_typed_once_there_are_more_employers_than_a_list_offers(
    persona, signed_in, monkeypatch
) -> None:
    oak = _cases(2, employer_name="Oakfield Primary School") + _cases(1, employer_name="Oak Tree Nursery")
    _cases(1, employer_name="Riverside Academy")
    mo = signed_in("mo")
    listed = mo.get(reverse("case_list_all")).content.decode()
    assert '<option value="Oak Tree Nursery">' in listed

    monkeypatch.setattr("threshold.lado.list_selectors.EMPLOYER_CHOICES", 2)
    typed = mo.get(reverse("case_list_all"), {"employer": "oak"}).content.decode()
    # The employer filter is now a text input holding what was typed (the GOV.UK macro spaces its attributes).
    typed_input = r'<input\s+class="govuk-input" id="filter-employer" name="employer" type="text"[^>]*value="oak"'
    assert re.search(typed_input, typed)
    shown = {case.reference for case in Case.objects.filter(reference__in=re.findall(r"LADO-[0-9A-Z-]+", typed))}
    assert shown == {case.reference for case in oak}
    assert _last_listed(persona("mo")).details["filters"] == {"employer_contains": "oak"}
    exported = csv_rows(download(mo, "export_all_cases", "csv", query="employer=oak"))
    assert references(exported) == {case.reference for case in oak}


def test_the_team_view_pages_its_two_lists_each_by_its_own_parameter(persona, signed_in) -> None:
    contacts = _contacts(MANY)
    cases = _cases(MANY)
    team = signed_in("mo").get(reverse("lado_team"), {"cases_page": "2"}).content.decode()
    # Oldest first: page 2 of the cases holds the newest five; the contacts stay on their first page.
    assert all(case.reference in team for case in cases[PAGE_SIZE:])
    assert cases[0].reference not in team
    assert contacts[0].reference in team
    assert contacts[-1].reference not in team
    assert 'aria-label="Pages of contacts nobody holds"' in team
    assert 'aria-label="Pages of open cases nobody holds"' in team
    assert "?cases_page=2&contacts_page=2" in team.replace("&amp;", "&")
    event = _last_listed(persona("mo"))
    assert set(event.details["cases"]) == {case.pk for case in cases[PAGE_SIZE:]}
    assert set(event.details["contacts"]) >= {contact.pk for contact in contacts[: PAGE_SIZE - 5]}


def test_search_results_are_paged_without_a_name_in_any_address(persona, signed_in) -> None:
    found = _contacts(MANY, employer_name="Lantern Lane Primary")
    lara = signed_in("lara")
    first = lara.post(reverse("lado_search"), {"employer": "Lantern Lane Primary"}).content.decode()
    assert f"{MANY} records found" in first
    links = _links(first)
    assert links
    assert all(re.fullmatch(r"\?results=[\w-]+(&page=\d+)?", link) for link in links)
    assert "Lantern" not in " ".join(links)
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert len(searched.details["records"]) == PAGE_SIZE
    assert searched.details["count"] == MANY

    second = lara.get(reverse("lado_search") + links[-1]).content.decode()
    assert f"Showing {PAGE_SIZE + 1} to {MANY} of {MANY} records." in second
    assert 'value="Lantern Lane Primary"' in second  # the form shows the search it pages
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert len(searched.details["records"]) == MANY - PAGE_SIZE
    shown = {f"contact:{contact.pk}" for contact in found}
    assert set(searched.details["records"]) <= shown

    # Another session, or an older search, is not reached by its token: the empty form.
    stale = signed_in("lara", Client()).get(reverse("lado_search") + links[-1]).content.decode()
    assert "records found" not in stale


def test_the_home_panels_overdue_count_agrees_with_each_contacts_clock_over_weekends_and_bank_holidays() -> None:
    # Christmas 2026 falls on a Friday: Boxing Day's holiday moves to Monday 28 December.
    start = dt.datetime(2026, 12, 17, 9, 0, tzinfo=LONDON)
    received = [start + dt.timedelta(hours=7 * n) for n in range(60)]
    for day in (dt.date(2026, 12, 21) + dt.timedelta(days=n) for n in range(17)):
        condition = advice_overdue(day)
        for at in received:
            contact = Contact(received_at=at, advice_given_at=None)
            late = at < condition.children[1][1]  # type: ignore[index]  # a (lookup, value) pair
            assert late == advice_due(contact, day).overdue, (day, at)


def test_lara_sees_the_same_overdue_count_on_her_home_page_as_the_inbox_tags(signed_in) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _contacts(4)
        Contact.objects.filter(status=ContactStatus.NEW).update(received_at=timezone.now() - dt.timedelta(days=6))
        inbox = signed_in("lara").get(reverse("lado_inbox")).content.decode()
        home = signed_in("lara").get(reverse("home")).content.decode()
    tags = inbox.count('govuk-tag--red">Overdue</strong>')
    assert tags >= 4
    assert f"{tags} overdue</strong>" in home


def test_an_inbox_row_reads_the_employers_outcome_as_the_contact_page_does(ids, persona) -> None:
    contact = Contact.objects.get(pk=ids["contact_chris"])
    listed = lambda: Contact.objects.filter(pk=contact.pk).prefetch_related(  # noqa: E731
        "allegation__outcomes__lado_responses"
    )[0]
    on_its_page = lambda: employer_outcome_tag(employer_outcome_section(contact, may_decide=False))  # noqa: E731
    outcome = OutcomeRecord.objects.filter(allegation=contact.allegation).order_by("-recorded_at", "-pk").first()
    if outcome is None:
        assert listed_outcome_tag(listed()) == on_its_page() == ""
        return
    assert listed_outcome_tag(listed()) == on_its_page()
    EmployerOutcomeResponse.objects.create(contact=contact, outcome=outcome, agreed=False, recorded_by=persona("lara"))
    assert listed_outcome_tag(listed()) == on_its_page() == "Employer's outcome not agreed"


def test_my_work_pages_each_group_by_its_own_parameter_and_audits_what_it_shows(ids, persona, signed_in) -> None:
    Deadline.objects.all().delete()
    lara = persona("lara")
    cases = _cases(MANY, lado=lara)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for n, case in enumerate(cases):
            deadline(case, kind="evaluation-meeting", due_on=MONDAY - dt.timedelta(days=1 + n), owner=lara)
            deadline(case, kind="monitoring-review", due_on=MONDAY + dt.timedelta(days=30 + n), owner=lara)
        page = signed_in("lara").get(reverse("my_work"), {"overdue_page": "2", "kind": ""}).content.decode()
    size = WORK_PAGE_SIZE  # My work shows 25 of each group a page
    assert f"Showing {size + 1} to {2 * size} of {MANY} steps." in page  # the overdue steps' second page
    assert f"Showing 1 to {size} of {MANY} steps." in page  # those due later, on their first
    assert "?overdue_page=2&kind=&later_page=2" in page.replace("&amp;", "&")
    assert 'aria-label="Pages of overdue steps"' in page
    assert 'aria-label="Pages of steps due later"' in page
    event = AuditEvent.objects.filter(action="records.listed", actor=lara, details__list="my_work").latest("sequence")
    # Overdue steps run oldest first, so their second page holds cases 29 down to 5; those due later run soonest
    # first, so their first page holds cases 0 to 24. The event names each record once, and counts the steps.
    assert event.details["count"] == 2 * size
    assert set(event.details["records"]) == {f"case:{case.pk}" for case in cases[:30]}


def test_the_case_page_pages_its_meetings_and_the_printed_file_holds_them_all(ids, persona, signed_in) -> None:
    case = Case.objects.get(pk=ids["case_chris"])
    for n in range(MANY):
        Meeting.objects.create(
            case=case,
            kind=MeetingKind.REVIEW,
            held_at=timezone.now() - dt.timedelta(days=n),
            created_by=persona("lara"),
        )
    meetings = Meeting.objects.filter(case=case).count()
    page = signed_in("lara").get(reverse("case_detail", args=[case.pk])).content.decode()
    assert f"Showing 1 to {PAGE_SIZE} of {meetings} meetings." in page
    assert 'aria-label="Pages of meetings"' in page
    printed = signed_in("lara").get(reverse("case_print", args=[case.pk])).content.decode()
    assert printed.count(reverse("meeting_detail", args=[Meeting.objects.filter(case=case).latest("pk").pk])) >= 1
    assert "govuk-pagination" not in printed
    assert case.status == CaseStatus.OPEN
