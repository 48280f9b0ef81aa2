"""Every LADO list page and My work cost the same queries on a small world and on one ten times larger, and page.

Issue 15: "No list grows with history". Each page is read twice by the personas who use it (Lara the LADO, Mo the
manager, Ada the auditor, Pat in the police): once with six synthetic records of every kind beside the demo's,
once with sixty. The larger world has more rows than a page holds, so each list shows the GOV.UK pagination
there, and its query count is still the smaller world's: rows come a page at a time, filters run in the database,
and nothing a row shows is read row by row.
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

from tests.query_counts import open_counted
from tests.timescales.work_helpers import MONDAY, MONDAY_MORNING, deadline
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation, OutcomeRecord
from threshold.demo import world
from threshold.lado.models import (
    Case,
    CaseShare,
    CaseStatus,
    Contact,
    ContactStatus,
    Decision,
    Level,
    Meeting,
    MeetingAction,
    MeetingShare,
)
from threshold.lado.models.contacts import ConsultationReason
from threshold.lado.models.employer import EmployerOutcomeResponse
from threshold.lado.models.meetings import MeetingKind
from threshold.people.models import Person

pytestmark = pytest.mark.django_db

SMALL, LARGE = 6, 60


@dataclass(frozen=True)
class Page:
    """A list page as a persona opens it: its URL name, query string and record (a case's or meeting's page)."""

    persona: str
    name: str
    query: str = ""
    record: str = ""
    # Whether the page lists the synthetic rows, so the larger world pages it.
    paged: bool = True

    def url(self, ids: dict[str, int]) -> str:
        return reverse(self.name, args=[ids[self.record]] if self.record else []) + self.query


PAGES = (
    Page("lara", "lado_inbox"),
    Page("lara", "consultation_list"),
    Page("lara", "case_list"),
    Page("lara", "my_work"),
    Page("lara", "my_work", "?show=everything"),
    Page("lara", "home", paged=False),
    Page("lara", "case_detail", record="case_chris"),
    Page("lara", "meeting_detail", record="meeting_chris"),
    Page("mo", "lado_inbox"),
    Page("mo", "case_list_all"),
    Page("mo", "case_list_all", "?category=physical&overdue=on"),
    Page("mo", "case_list_all", "?status=open&sector=school"),
    # An employer offered in the list on the small world, typed (more employers than a list offers) on the larger.
    Page("mo", "case_list_all", "?employer=Employer+1", paged=False),
    Page("mo", "lado_team"),
    Page("mo", "home", paged=False),
    Page("ada", "lado_inbox"),
    Page("ada", "case_list"),
    Page("pat", "case_list"),
    Page("pat", "home", paged=False),
)


def _north(ids: dict[str, int]) -> tuple[Organisation, Allegation, Contact, Case, Meeting]:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    contact = Contact.objects.get(pk=ids["contact_chris"])
    case = Case.objects.get(pk=ids["case_chris"])
    meeting = Meeting.objects.get(pk=ids["meeting_chris"])
    return northshire, allegation, contact, case, meeting


def _grow(ids: dict[str, int], people: dict[str, User], start: int, stop: int) -> None:
    """Records ``start`` to ``stop`` of every kind the lists show, with what each row shows beside its own fields.

    Contacts waiting in the inbox (some from the employer's allegation, whose outcome the LADO has answered,
    most held by nobody), consultations, Lara's open and concluded cases (with categories, employers and sectors,
    shared with Pat) and open cases nobody holds, the meetings of Chris's case and the actions of its first
    meeting, and the stored deadlines that make contacts and cases overdue and fill My work.
    """
    northshire, allegation, chris_contact, chris_case, chris_meeting = _north(ids)
    lara, mo, pat = people["lara"], people["mo"], people["pat"]
    outcome = OutcomeRecord.objects.filter(allegation=allegation).order_by("-recorded_at", "-pk").first()
    for n in range(start, stop):
        person = Person.objects.create(organisation=northshire, full_name=f"Adult Number{n}")
        from_employer = n % 3 == 0
        contact = Contact.objects.create(
            local_authority=northshire, subject=person, adult_name=person.full_name, summary="Synthetic.",
            status=(ContactStatus.NEW, ContactStatus.ADVISED)[n % 2], allocated_to=None if n % 10 else lara,
            allegation=allegation if from_employer else None,
            referral=chris_contact.referral if from_employer else None, employer_name=f"Employer {n}",
        )  # fmt: skip
        if from_employer and outcome is not None:
            EmployerOutcomeResponse.objects.create(contact=contact, outcome=outcome, agreed=True, recorded_by=lara)
        consultation = Contact.objects.create(
            local_authority=northshire, subject=person, adult_name=person.full_name, summary="Synthetic.",
            status=ContactStatus.DECIDED, employer_name=f"Employer {n}",
        )  # fmt: skip
        Decision.objects.create(
            contact=consultation, level=Level.CONSULTATION, recorded_by=lara,
            consultation_reason=ConsultationReason.PRACTICE_ISSUE, pack="kcsie", pack_version="1", pack_digest="x",
        )  # fmt: skip
        case = Case.objects.create(
            local_authority=northshire, subject=person, contact=contact, adult_name=person.full_name,
            summary="Synthetic.", tier="tier-1", lado=lara,
            status=CaseStatus.OPEN if n % 5 else CaseStatus.CONCLUDED, abuse_categories=["physical", "emotional"],
            employer_name=f"Employer {n}", sector="school",
        )  # fmt: skip
        CaseShare.objects.create(case=case, user=pat, shared_by=lara)
        nobodys = Case.objects.create(
            local_authority=northshire, subject=person, adult_name=person.full_name, summary="Synthetic.",
            tier="tier-2", abuse_categories=["physical"], employer_name=f"Other employer {n}", sector="school",
        )  # fmt: skip
        deadline(nobodys, kind="evaluation-meeting", due_on=MONDAY - dt.timedelta(days=2))
        meeting = Meeting.objects.create(
            case=chris_case, kind=MeetingKind.REVIEW, held_at=MONDAY_MORNING - dt.timedelta(days=n), created_by=lara
        )
        MeetingShare.objects.create(meeting=meeting, user=pat, shared_by=lara)
        MeetingAction.objects.create(
            meeting=chris_meeting, description=f"Action {n}", owner="Lara", due_on=MONDAY - dt.timedelta(days=n % 4)
        )
        late = MONDAY - dt.timedelta(days=1)
        deadline(contact, kind="lado-initial-decision", due_on=late, owner=contact.allocated_to)
        # A step in each group of My work (overdue, today, this week, later), in both worlds.
        for kind, days in (("evaluation-meeting", -1 - n % 3), ("monitoring-review", 0), ("delay-review", 3)):
            deadline(case, kind=kind, due_on=MONDAY + dt.timedelta(days=days), owner=lara)
        deadline(case, kind="resolve-target-one-month", due_on=MONDAY + dt.timedelta(days=20 + n), owner=lara)
        deadline(case, kind="quality-assurance", due_on=MONDAY + dt.timedelta(days=1), owner=mo)


def _search(client: Client) -> dict[str, tuple[int, str]]:
    """Lara searches by employer (POSTed), then opens the second page of the results (by the saved search)."""
    url = reverse("lado_search")
    client.post(url, {"employer": "Employer"})
    with CaptureQueriesContext(connection) as posted:
        response = client.post(url, {"employer": "Employer"})
    assert response.status_code == 200
    second = f"{url}?results={client.session['lado_search']['token']}&page=2"
    return {
        "lado_search POST (lara)": (len(posted), response.content.decode()),
        "lado_search page 2 (lara)": open_counted(client, second),
    }


def _read(signed_in, ids: dict[str, int]) -> tuple[dict[str, int], dict[str, str]]:
    counts, html = {}, {}
    clients: dict[str, Client] = {}
    for page in PAGES:
        client = clients.setdefault(page.persona, signed_in(page.persona))
        key = f"{page.name}{page.query} ({page.persona})"
        counts[key], html[key] = open_counted(client, page.url(ids))
    for key, (count, text) in _search(clients["lara"]).items():
        counts[key], html[key] = count, text
    return counts, html


def test_every_lado_list_costs_the_same_queries_at_ten_times_the_records_and_pages_them(
    ids, persona, signed_in
) -> None:
    people = {key: persona(key) for key in ("lara", "mo", "pat")}
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _grow(ids, people, 0, SMALL)
        small, _ = _read(signed_in, ids)
        _grow(ids, people, SMALL, LARGE)
        large, html = _read(signed_in, ids)

    print({key: (small[key], large[key]) for key in small})
    assert large == small
    paged = [f"{page.name}{page.query} ({page.persona})" for page in PAGES if page.paged]
    for key in [*paged, "lado_search POST (lara)", "lado_search page 2 (lara)"]:
        assert 'class="govuk-pagination' in html[key], key
