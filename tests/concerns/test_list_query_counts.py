"""Every employer list page and home page costs the same queries on a small world and on one ten times larger.

Issue 15: "No list grows with history". Each page is read by the demo personas who use it (Hana the head, Dev the
DSL, Priya the trust's director, Henry the trust's HR business partner, Tom a member of staff): once with six
synthetic concerns and allegations (and what hangs off them) beside the demo's, once with sixty. The larger world
has more rows than a page holds, so each list shows the GOV.UK pagination there, and its query count is still the
smaller world's: rows come a page at a time, the search and the overdue counts run in the database, and nothing a
row shows is read row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import demo_record_ids
from tests.query_counts import open_counted
from tests.timescales.work_helpers import MONDAY, MONDAY_MORNING
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import AgencyRecord, Allegation, AllegationStatus, Lesson, OutcomeRecord
from threshold.allegations.models.allegation import Employment
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.concerns.models import Concern, ConcernHrShare, ConcernStatus, FurtherAction, LowLevelRecord
from threshold.core.vocabularies import Outcome
from threshold.demo import world
from threshold.notifications.models import Notification, NotificationKind
from threshold.people.models import Person

pytestmark = pytest.mark.django_db

SMALL, LARGE = 6, 60
STATUSES = (ConcernStatus.NEW, ConcernStatus.LOW_LEVEL, ConcernStatus.CLOSED)


@dataclass(frozen=True)
class Page:
    """A page as a persona opens it, and whether it lists the synthetic rows (so the larger world pages it)."""

    persona: str
    name: str
    paged: bool = True


PAGES = (
    Page("hana", "concern_list"),
    Page("hana", "allegation_list"),
    Page("hana", "lessons_learned"),
    Page("hana", "notifications"),
    Page("hana", "home", paged=False),
    Page("dev", "concern_list"),
    Page("dev", "allegation_list"),
    Page("dev", "home", paged=False),
    Page("priya", "concern_list"),
    Page("priya", "allegation_list"),
    Page("priya", "home", paged=False),
    Page("henry", "concern_list"),
    Page("henry", "allegation_list"),
    Page("henry", "notifications"),
    Page("henry", "home", paged=False),
    Page("tom", "concern_my_reports"),
    Page("tom", "notifications"),
    Page("tom", "home", paged=False),
)


@pytest.fixture
def ids(demo_world: None) -> dict[str, int]:
    """The demo records' ids (the demo's own concerns and allegations sit beside the synthetic ones)."""
    return demo_record_ids()


def _grow(people: dict[str, User], start: int, stop: int) -> None:
    """Records ``start`` to ``stop`` at Oakfield: a concern and an allegation about each of as many adults.

    The concerns were shared by Tom with his name and shared with Henry for HR advice; a third are new, a third
    low-level with a further action due (some overdue), a third closed. The allegations are managed by Hana,
    their clocks stored as the services store them (overdue: they came to attention a month ago); every fourth is
    concluded with a DBS referral still to make and a supply worker's outcome to send to the agency. Each has a
    lesson learned, and each persona gets a notification about each.
    """
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    hana, tom, henry = people["hana"], people["tom"], people["henry"]
    for n in range(start, stop):
        person = Person.objects.create(organisation=oakfield, full_name=f"Adult Number{n}")
        concern = Concern.objects.create(
            organisation=oakfield, subject=person, reporter=tom, summary="Synthetic.",
            raised_on=MONDAY - dt.timedelta(days=n), status=STATUSES[n % len(STATUSES)],
        )  # fmt: skip
        if concern.status == ConcernStatus.LOW_LEVEL:
            LowLevelRecord.objects.create(
                concern=concern, further_action=FurtherAction.values[1], action_owner="Hana",
                action_due_on=MONDAY + dt.timedelta(days=n % 7 - 3), updated_by=hana,
            )  # fmt: skip
        ConcernHrShare.objects.create(concern=concern, user=henry, question="Advice?", shared_by=hana)
        concluded = n % 4 == 0
        allegation = Allegation.objects.create(
            organisation=oakfield, subject=person, case_manager=hana, summary="Synthetic.",
            came_to_attention_on=MONDAY - dt.timedelta(days=30 + n),
            status=AllegationStatus.CONCLUDED if concluded else AllegationStatus.OPEN,
            subject_employment=Employment.SUPPLY if concluded else Employment.EMPLOYED,
        )  # fmt: skip
        if concluded:
            OutcomeRecord.objects.create(
                allegation=allegation, report="Synthetic.",
                outcome=Outcome.MALICIOUS if n % 8 else Outcome.SUBSTANTIATED,
                concluded_on=MONDAY - dt.timedelta(days=2), recorded_by=hana,
                assessment={"referrals": {"dbs": {"consider": True, "required": True}}},
                pack="kcsie", pack_version="1", pack_digest="sha256:" + "0" * 64,
            )  # fmt: skip
            AgencyRecord.objects.create(
                allegation=allegation, agency_name="Supply Partners", notified_at=MONDAY_MORNING, recorded_by=hana,
                suspension_discussed="Synthetic.",
            )  # fmt: skip
        Lesson.objects.create(allegation=allegation, organisation=oakfield, text="Synthetic.", recorded_by=hana)
        allegation_deadlines_sync(allegation)
        for key in ("hana", "henry", "tom", "dev", "priya"):
            Notification.objects.create(
                recipient=people[key], kind=NotificationKind.DEADLINE_MISSED, key=f"synthetic:{n}",
                text=f"Deadline missed: {allegation.reference}", reference=allegation.reference,
                url=reverse("allegation_detail", args=[allegation.pk]),
            )  # fmt: skip


def _search(client: Client) -> dict[str, tuple[int, str]]:
    """Hana searches the concerns by name (POSTed), then opens the second page of the results."""
    url = reverse("concern_list")
    client.post(url, {"q": "Adult Number"})
    with CaptureQueriesContext(connection) as posted:
        response = client.post(url, {"q": "Adult Number"})
    assert response.status_code == 200
    html = response.content.decode()
    counts = {"concern_list POST (hana)": (len(posted), html)}
    saved = client.session.get("concern_search")
    if saved:
        counts["concern_list search page 2 (hana)"] = open_counted(client, f"{url}?results={saved['token']}&page=2")
    return counts


def _read(signed_in) -> tuple[dict[str, int], dict[str, str]]:
    counts, html = {}, {}
    clients: dict[str, Client] = {}
    for page in PAGES:
        client = clients.setdefault(page.persona, signed_in(page.persona))
        key = f"{page.name} ({page.persona})"
        counts[key], html[key] = open_counted(client, reverse(page.name))
    for key, (count, text) in _search(clients["hana"]).items():
        counts[key], html[key] = count, text
    return counts, html


def test_every_employer_list_costs_the_same_queries_at_ten_times_the_records_and_pages_them(
    ids, persona, signed_in
) -> None:
    people = {key: persona(key) for key in ("hana", "tom", "henry", "dev", "priya")}
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _grow(people, 0, SMALL)
        small, _ = _read(signed_in)
        _grow(people, SMALL, LARGE)
        large, html = _read(signed_in)

    print({key: (small[key], large[key]) for key in small})
    assert large == small
    paged = [f"{page.name} ({page.persona})" for page in PAGES if page.paged]
    for key in [*paged, "concern_list POST (hana)", "concern_list search page 2 (hana)"]:
        assert 'class="govuk-pagination' in html[key], key
    # What each row shows came from the database in the page's own queries, not row by row.
    assert "overdue</strong>" in html["allegation_list (hana)"]
    home = html["home (hana)"]
    # The follow-up without a clock is named on the allegations panel; the clocked ones are the work panel's.
    for due in ("Concluded allegations still to follow up", "Send the outcome to the agency"):
        assert due in home, due
    assert "overdue</strong>" in home.split('id="work-panel"')[1].split("</section>")[0]
    assert "Showing 51 to" in html["concern_list search page 2 (hana)"]
