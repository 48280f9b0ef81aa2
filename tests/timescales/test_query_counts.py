"""My work, the team view, the trust's view and the home pages cost the same queries on a small and a larger world."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.timescales.work_helpers import MONDAY, MONDAY_MORNING, deadline
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.demo import world
from threshold.lado.models import Case, Contact, ContactStatus
from threshold.people.models import Person
from threshold.timescales.models import Deadline
from threshold.timescales.selectors import entries_of, keys_by_status, open_deadlines

pytestmark = pytest.mark.django_db

PAGES = [
    ("lara", "my_work", ""),
    ("lara", "my_work", "?show=everything"),
    ("lara", "home", ""),
    ("mo", "lado_team", ""),
    ("mo", "home", ""),
    ("mo", "lado_inbox", ""),
    ("priya", "trust_work", ""),
    ("hana", "home", ""),
]


def _counts(signed_in) -> dict[str, int]:
    counts = {}
    for key, name, query in PAGES:
        client: Client = signed_in(key)
        url = reverse(name) + query
        assert client.get(url).status_code == 200  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[f"{name}{query} ({key})"] = len(queries)
    return counts


def _grow(records: dict[str, int], lados: list[User], size: int) -> None:
    """A larger authority: more contacts held and not, open cases per LADO, and their clocks."""
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    for n in range(size):
        person = Person.objects.create(organisation=northshire, full_name=f"Adult Number{n}")
        contact = Contact.objects.create(
            local_authority=northshire, subject=person, adult_name=person.full_name, summary="Synthetic.",
            status=(ContactStatus.NEW, ContactStatus.ADVISED)[n % 2], allocated_to=lados[n % 3] if n % 3 else None,
        )  # fmt: skip
        case = Case.objects.create(
            local_authority=northshire, subject=person, contact=contact, adult_name=person.full_name,
            summary="Synthetic.", tier=("tier-1", "tier-2")[n % 2], lado=lados[n % 3] if n % 4 else None,
        )  # fmt: skip
        owner = lados[n % 3]
        deadline(contact, kind="lado-initial-decision", due_on=MONDAY - dt.timedelta(days=n % 5), owner=owner)
        deadline(case, kind="evaluation-meeting", due_on=MONDAY + dt.timedelta(days=n % 10), owner=owner)
        deadline(case, kind="monitoring-review", due_on=MONDAY + dt.timedelta(days=20 + n), owner=owner)
        deadline(allegation, kind=f"step-{n}", due_on=MONDAY - dt.timedelta(days=1 + n % 3), owner=None)


def test_query_counts_do_not_grow_with_the_data(records, persona, signed_in) -> None:
    Deadline.objects.all().delete()
    lados = [persona("lara"), persona("mo"), persona("lara")]
    case = Case.objects.get(pk=records["case_chris"])
    # The small world: one step each (a list with nothing to show writes no audit event, a fixed difference).
    deadline(case, kind="evaluation-meeting", due_on=MONDAY - dt.timedelta(days=1), owner=persona("lara"))
    deadline(case, kind="quality-assurance", due_on=MONDAY - dt.timedelta(days=1), owner=persona("mo"))
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    deadline(allegation, kind="lado-referral", due_on=MONDAY - dt.timedelta(days=1), owner=persona("hana"))
    # Every list the pages page has a row in both worlds (a paged list with no rows reads one query fewer).
    for kind, days in (("monitoring-review", 0), ("delay-review", 3), ("resolve-target-one-month", 20)):
        deadline(case, kind=kind, due_on=MONDAY + dt.timedelta(days=days), owner=persona("lara"))
    Case.objects.create(
        local_authority=case.local_authority, subject=case.subject, summary="Synthetic, nobody holds it."
    )

    with time_machine.travel(MONDAY_MORNING, tick=False):
        small = _counts(signed_in)
        _grow(records, lados, 30)
        assert Deadline.objects.count() > 100
        large = _counts(signed_in)

    assert large == small


def test_my_work_reads_its_open_steps_once_lightly_and_the_rows_on_its_pages_in_one_more(
    records, signed_in, persona
) -> None:
    client: Client = signed_in("lara")
    url = reverse("my_work")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [query["sql"] for query in queries.captured_queries if 'FROM "timescales_deadline"' in query["sql"]]
    light = [sql for sql in reads if sql.startswith('SELECT "timescales_deadline"."id" AS "pk"')]
    pages = [sql for sql in reads if sql not in light]
    groups = keys_by_status(entries_of(open_deadlines(persona("lara"))), timezone.localdate())
    groups_with_steps = [status for status, keys in groups.items() if keys]
    assert len(groups_with_steps) > 1, "the demo world gives Lara steps in more than one group"
    assert (len(light), len(pages)) == (1, 1)
    # The light read names four columns and builds no record; the pages' read asks for rows by key.
    assert light[0].split(" FROM ")[0].count(",") == 3
    assert '"timescales_deadline"."id" IN (' in pages[0]


def test_laras_home_panel_reads_her_open_steps_once_lightly_and_the_few_it_shows_by_key(records, signed_in) -> None:
    client: Client = signed_in("lara")
    assert client.get(reverse("home")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        home = client.get(reverse("home")).content.decode()
    reads = [query["sql"] for query in queries.captured_queries if 'FROM "timescales_deadline"' in query["sql"]]
    light = [sql for sql in reads if sql.startswith('SELECT "timescales_deadline"."id" AS "pk"')]
    shown = [sql for sql in reads if sql not in light]
    assert "Due soonest" in home or "Overdue" in home
    assert (len(light), len(shown)) == (1, 1)  # the access condition over the open steps once, not once a figure
    assert '"timescales_deadline"."id" IN (' in shown[0]


def test_my_work_narrowed_to_a_kind_reads_every_kind_lara_may_see_for_the_filter(records, signed_in) -> None:
    client: Client = signed_in("lara")
    url = reverse("my_work") + "?kind=evaluation-meeting"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    reads = [query["sql"] for query in queries.captured_queries if 'FROM "timescales_deadline"' in query["sql"]]
    # Hers, then everything she may see (for the filter's kinds), then the rows on the pages.
    assert len([sql for sql in reads if sql.startswith('SELECT "timescales_deadline"."id" AS "pk"')]) == 2
    assert response.status_code == 200
