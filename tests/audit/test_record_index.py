"""The record index: "who has looked at this record?" finds lists and searches, and cannot be quietly edited."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from tests.audit import tampering
from tests.audit.conftest import run_audit
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit import selectors
from threshold.audit.context import AuditContext
from threshold.audit.index import index_pending_lists, records_named
from threshold.audit.models import AuditRecordRef
from threshold.audit.services import audit_record
from threshold.audit.verify import verify_chain
from threshold.demo.records import load_demo_records
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


def test_an_event_names_its_record_and_the_ids_its_list_or_search_showed() -> None:
    assert records_named("case", "7", {"ids": [3, 4], "count": 2}) == {("case", "7"), ("case", "3"), ("case", "4")}
    assert records_named("contact", "", {"records": ["consultation:5", "case:9"]}) == {
        ("contact", "5"),
        ("case", "9"),
    }
    assert records_named("lesson", "", {"allegations": [2], "count": True}) == {("allegation", "2")}
    assert records_named("", "", {"query": "chris"}) == set()


def test_a_list_that_showed_a_record_is_on_the_records_audit_page(persona) -> None:
    lara = persona("lara")
    listed = audit_record(
        context=AuditContext.for_user(lara), action="records.listed", record_type="case", details={"ids": [41, 42]}
    )
    searched = audit_record(
        context=AuditContext.for_user(lara),
        action="records.searched",
        record_type="contact",
        details={"records": ["case:42"]},
    )
    viewed = audit_record(context=AuditContext.for_user(lara), action="record.view", record_type="case", record_id=42)
    audit_record(
        context=AuditContext.for_user(lara), action="records.listed", record_type="case", details={"ids": [41]}
    )
    sequences = [event.sequence for event in selectors.record_events(record_type="case", record_id=42)]
    assert sequences == [viewed.sequence, searched.sequence, listed.sequence]


def test_a_persons_access_log_includes_the_lists_and_panels_that_showed_their_records(persona) -> None:
    records = load_demo_records().ids
    chris = Person.objects.get(pk=records["person_la_chris"])
    case_id = records["case_chris"]
    panel = audit_record(
        context=AuditContext.for_user(persona("lara")),
        action="records.listed",
        record_type="case",
        details={"list": "home", "ids": [case_id]},
    )
    log = list(selectors.person_access_log(person=chris))
    assert panel in log


def test_the_orm_and_the_database_refuse_to_change_the_index(persona) -> None:
    audit_record(context=AuditContext.for_user(persona("lara")), action="record.view", record_type="case", record_id=42)
    with pytest.raises(PermissionError):
        AuditRecordRef.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditRecordRef.objects.update(record_id="43")
    with pytest.raises(DatabaseError), transaction.atomic():
        tampering.execute("DELETE FROM audit_auditrecordref")


def test_removing_a_look_from_the_index_is_caught_by_verify(persona) -> None:
    event = audit_record(
        context=AuditContext.for_user(persona("lara")),
        action="records.listed",
        record_type="case",
        details={"ids": [7, 8]},
    )
    assert verify_chain().ok
    assert index_pending_lists() == 1
    assert AuditRecordRef.objects.filter(sequence=event.sequence).count() == 2
    assert verify_chain().ok
    with append_only_triggers_lifted():
        tampering.execute(
            "DELETE FROM audit_auditrecordref WHERE sequence = %s AND record_id = %s", [event.sequence, "8"]
        )
    result = verify_chain()
    assert not result.ok
    assert result.bad_sequence == event.sequence
    assert "record index" in result.reason
    assert run_audit("verify").code == 1


def test_an_index_row_for_an_event_that_does_not_exist_is_caught(persona) -> None:
    audit_record(context=AuditContext.for_user(persona("lara")), action="record.view", record_type="case", record_id=42)
    with append_only_triggers_lifted():
        tampering.execute(
            "INSERT INTO audit_auditrecordref (sequence, record_type, record_id) VALUES (%s, %s, %s)",
            [10**9, "case", "42"],
        )
    result = verify_chain()
    assert not result.ok
    assert result.bad_sequence == 10**9


def test_a_truncation_that_leaves_the_index_behind_is_caught_without_a_checkpoint(persona) -> None:
    for number in range(3):
        audit_record(
            context=AuditContext.for_user(persona("lara")),
            action="record.view",
            record_type="case",
            record_id=number + 1,
        )
    last = audit_record(
        context=AuditContext.for_user(persona("lara")), action="record.view", record_type="case", record_id=9
    )
    with append_only_triggers_lifted():
        tampering.truncate_after(last.sequence - 1, with_index=False)
    result = verify_chain()
    assert not result.ok
    assert result.bad_sequence == last.sequence
