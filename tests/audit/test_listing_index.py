"""Lists are recorded with one event on the request path, and "who has looked at this record?" still finds them.

ADR 0031: a ``records.listed`` event's record index rows are written after the response, in batches, by the
task worker (``threshold.audit.index.index_pending_lists``); until then a record's audit page reads the list
events after the last mark from the trail itself. ``audit verify`` accepts a list event with no rows yet, and
nothing else.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.audit import tampering
from tests.audit.conftest import run_audit
from tests.audit.tampering import append_only_triggers_lifted
from tests.conftest import demo_record_ids
from threshold.accounts.models import Organisation
from threshold.audit import index, selectors
from threshold.audit.context import AuditContext
from threshold.audit.index import index_pending_lists, indexed_through
from threshold.audit.models import AuditEvent, AuditRecordRef
from threshold.audit.services import audit_home_listed, audit_listed
from threshold.audit.verify import verify_chain
from threshold.demo import world
from threshold.lado.models import Case
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


def _inserts(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().upper().startswith("INSERT")]


def _cases(count: int) -> None:
    """``count`` more open Northshire cases, each about its own adult."""
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    opened = timezone.now() - dt.timedelta(days=1)
    for number in range(count):
        adult = Person.objects.create(organisation=northshire, full_name=f"Adult Number{number}")
        Case.objects.create(
            local_authority=northshire,
            subject=adult,
            adult_name=adult.full_name,
            summary="Synthetic.",
            opened_at=opened,
        )


def _latest_list(actor_key: str, persona) -> AuditEvent:
    return AuditEvent.objects.filter(action="records.listed", actor=persona(actor_key)).latest("sequence")


def test_a_list_event_is_one_insert_however_many_records_it_names(persona) -> None:
    context = AuditContext.for_user(persona("lara"))
    with CaptureQueriesContext(connection) as few:
        audit_listed(context=context, record_type="case", list_name="cases", ids=[1, 2, 3])
    with CaptureQueriesContext(connection) as many:
        audit_listed(context=context, record_type="case", list_name="cases", ids=list(range(1, 601)))
    assert len(_inserts(many)) == len(_inserts(few)) == 1
    assert "audit_auditevent" in _inserts(many)[0]


def test_listing_fifty_cases_writes_no_more_rows_than_listing_a_few(signed_in, persona) -> None:
    mo = signed_in("mo")
    with CaptureQueriesContext(connection) as few:
        assert mo.get(reverse("case_list_all")).status_code == 200
    shown_before = len(_latest_list("mo", persona).details["ids"])
    _cases(60)
    with CaptureQueriesContext(connection) as many:
        assert mo.get(reverse("case_list_all")).status_code == 200
    assert len(_latest_list("mo", persona).details["ids"]) > shown_before
    assert len(_inserts(many)) == len(_inserts(few))
    assert not [sql for sql in _inserts(many) if "audit_auditrecordref" in sql]


def test_who_has_looked_at_a_case_shows_a_list_before_and_after_the_index_catches_up(signed_in, persona) -> None:
    case_id = demo_record_ids()["case_chris"]
    signed_in("lara").get(reverse("case_list"))
    listed = _latest_list("lara", persona)
    assert case_id in listed.details["ids"]
    assert not AuditRecordRef.objects.filter(sequence=listed.sequence).exists()
    page = signed_in("ada").get(reverse("audit_record_events", args=["case", case_id])).content.decode()
    assert "Lara Lado listed cases" in page
    assert listed in selectors.record_events(record_type="case", record_id=case_id)
    assert verify_chain().ok

    assert index_pending_lists() >= 1
    assert AuditRecordRef.objects.filter(sequence=listed.sequence, record_type="case", record_id=str(case_id)).exists()
    assert indexed_through() >= listed.sequence
    assert listed in selectors.record_events(record_type="case", record_id=case_id)
    assert verify_chain().ok
    assert index_pending_lists() == 0


def test_a_persons_access_log_shows_a_list_of_their_case_before_the_index_catches_up(persona) -> None:
    records = demo_record_ids()
    chris = Person.objects.get(pk=records["person_la_chris"])
    panel = audit_listed(
        context=AuditContext.for_user(persona("lara")),
        record_type="case",
        list_name="home_panel",
        ids=[records["case_chris"]],
    )
    assert panel in selectors.person_access_log(person=chris)
    index_pending_lists()
    assert panel in selectors.person_access_log(person=chris)


def test_the_catch_up_is_queued_after_the_commit_once_enough_events_follow_the_mark(
    persona, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(index, "CATCH_UP_AFTER", 3)
    monkeypatch.setattr(index, "_last_asked", {})
    context = AuditContext.for_user(persona("lara"))
    # The tests run tasks at once (django_tasks' immediate backend), so the queued catch-up runs on commit.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        events = [audit_listed(context=context, record_type="case", list_name="cases", ids=[41, 42]) for _ in range(4)]
    assert len(queued) == 1  # asked once, not once per list
    assert AuditRecordRef.objects.filter(sequence__in=[event.sequence for event in events]).count() == 8
    assert indexed_through() >= events[-1].sequence
    assert verify_chain().ok


def test_a_row_slipped_into_a_list_event_not_yet_indexed_is_caught(persona) -> None:
    event = audit_listed(
        context=AuditContext.for_user(persona("lara")), record_type="case", list_name="cases", ids=[7, 8]
    )
    assert verify_chain().ok
    with append_only_triggers_lifted():
        tampering.execute(
            "INSERT INTO audit_auditrecordref (sequence, record_type, record_id) VALUES (%s, %s, %s)",
            [event.sequence, "case", "9"],
        )
    result = verify_chain()
    assert not result.ok
    assert result.bad_sequence == event.sequence
    assert "record index" in result.reason


def test_the_catch_up_leaves_a_list_a_loader_indexed_as_it_wrote_it(persona) -> None:
    event = audit_listed(
        context=AuditContext.for_user(persona("lara")), record_type="case", list_name="cases", ids=[7, 8]
    )
    with append_only_triggers_lifted():
        for record_id in ("7", "8"):
            tampering.execute(
                "INSERT INTO audit_auditrecordref (sequence, record_type, record_id) VALUES (%s, %s, %s)",
                [event.sequence, "case", record_id],
            )
    outcome = run_audit("index_lists")
    assert outcome.out.startswith("Indexed ")
    assert AuditRecordRef.objects.filter(sequence=event.sequence).count() == 2
    assert verify_chain().ok


def test_a_list_event_names_its_list_its_records_and_how_many(persona) -> None:
    context = AuditContext.for_user(persona("lara"))
    work = audit_listed(
        context=context,
        record_type="deadline",
        list_name="my_work",
        records=["case:2", "case:1", "case:2"],
        details={"count": 3},
    )
    assert work.details == {"list": "my_work", "records": ["case:1", "case:2"], "count": 3}
    empty = audit_listed(context=context, record_type="contact", list_name="inbox")
    assert empty.details == {"list": "inbox", "ids": [], "count": 0}
    team = audit_listed(context=context, record_type="", list_name="lado_team", details={"contacts": [1], "cases": [2]})
    assert team.details == {"list": "lado_team", "count": 2, "contacts": [1], "cases": [2]}


def test_a_search_is_indexed_at_once(persona) -> None:
    searched = audit_listed(
        context=AuditContext.for_user(persona("lara")),
        action="records.searched",
        record_type="concern",
        list_name="concerns",
        ids=[5, 6],
        details={"query": "chris"},
    )
    assert searched.action == "records.searched"
    assert AuditRecordRef.objects.filter(sequence=searched.sequence).count() == 2


def test_a_home_panel_naming_its_records_under_a_name_the_index_cannot_read_is_refused(persona) -> None:
    context = AuditContext.for_user(persona("hana"))
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="deadlines"):
        audit_home_listed(context=context, listed={"concerns": [1], "deadlines": [2]})
    assert AuditEvent.objects.count() == before  # nothing written for a list the index would not find
