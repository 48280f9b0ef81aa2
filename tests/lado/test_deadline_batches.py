"""An import's batch (ADR 0036): its cases' and contacts' clocks written together, as each alone would get them.

``cases_deadlines_sync`` and ``contacts_deadlines_sync`` read each relation the clocks look at once for every
record, so a batch of many costs the queries of a batch of two.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.lado.deadline_helpers import NAMES, deadline_rows, phone_contact
from tests.lado.nursery import lara_decides
from threshold.lado.models import Case, Contact, MeetingKind
from threshold.lado.services.case_rules import is_early_years
from threshold.lado.services.deadlines import cases_deadlines_sync, contacts_deadlines_sync
from threshold.lado.services.meetings import meeting_add_action, meeting_record
from threshold.lado.services.monitoring import monitoring_schedule_review
from threshold.timescales.models import Deadline, DeadlineState


def _stored(case: Case) -> dict[tuple[str, str], tuple[object, ...]]:
    return {
        identity: (row.due_on, row.state, row.met_on, row.reason, row.owner_id, row.meeting_id)
        for identity, row in deadline_rows(case).items()
    }


def test_a_batch_of_cases_gets_the_rows_each_case_alone_gets_and_one_query_a_relation_not_a_case(
    persona, ids, northshire
) -> None:
    # The demo world's cases, and twelve more: one with a meeting and its action, one with a monitoring review.
    made = [lara_decides(persona, phone_contact(persona, northshire, name), "tier-2") for name in NAMES]
    meeting = meeting_record(
        actor=persona("lara"),
        case=made[0],
        kind=MeetingKind.STRATEGY,
        held_at=timezone.now(),
        chair_name="Cara Csc",
        chair_agency="Northshire Children's Social Care",
    )
    meeting_add_action(
        actor=persona("lara"), meeting=meeting, description="Interview the assistant.", owner="Pat Police",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    monitoring_schedule_review(actor=persona("lara"), case=made[1], due_on=timezone.localdate())
    cases = [case for case in Case.objects.order_by("pk") if not is_early_years(case)]
    alone = {case.pk: _stored(case) for case in cases}
    assert {kind for rows in alone.values() for kind, _key in rows} >= {
        "evaluation-meeting",
        "delay-review",
        "meeting-action",
        "monitoring-review",
    }
    Deadline.objects.filter(case__in=cases).delete()

    with CaptureQueriesContext(connection) as two:
        cases_deadlines_sync(cases[:2], new=True)
    Deadline.objects.filter(case__in=cases[:2]).delete()
    with CaptureQueriesContext(connection) as all_of_them:
        cases_deadlines_sync(cases, new=True)

    assert {case.pk: _stored(case) for case in cases} == alone
    assert len(cases) > 12
    # Each relation is read once for the batch; the rows go in one insert (more only past SQLite's variables).
    assert len(all_of_them.captured_queries) <= len(two.captured_queries) + 2


def test_a_batch_of_contacts_gets_the_rows_each_contact_alone_gets(persona, northshire) -> None:
    contacts = [phone_contact(persona, northshire, name) for name in NAMES]
    lara_decides(persona, contacts[0], "tier-2")
    alone = {contact.pk: deadline_rows(contact)[("lado-initial-decision", "")].state for contact in contacts}
    Deadline.objects.filter(contact__in=contacts).delete()
    contacts = list(Contact.objects.filter(pk__in=[contact.pk for contact in contacts]).order_by("pk"))

    with CaptureQueriesContext(connection) as captured:
        contacts_deadlines_sync(contacts, new=True)

    assert {contact.pk: deadline_rows(contact)[("lado-initial-decision", "")].state for contact in contacts} == alone
    assert alone[contacts[0].pk] == DeadlineState.MET
    # The local authority, the LADOs allocated, the decisions, one insert.
    assert len(captured.captured_queries) <= 4


def test_a_sync_leaves_nothing_it_read_on_the_case_so_a_later_change_is_seen(persona, ids, northshire) -> None:
    case = lara_decides(persona, phone_contact(persona, northshire), "tier-2")
    cases_deadlines_sync([case])
    meeting_record(
        actor=persona("lara"),
        case=Case.objects.get(pk=case.pk),  # another instance: this one's lists are not refreshed by its sync
        kind=MeetingKind.STRATEGY,
        held_at=timezone.now(),
        chair_name="Cara Csc",
        chair_agency="Northshire Children's Social Care",
    )
    assert len(case.meetings.all()) == 1
    assert case.contact is not None
    assert len(case.contact.decisions.all()) == 1
