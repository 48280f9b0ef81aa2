"""Tampering through raw SQL is caught by ``audit verify``, which names the first bad event.

Each test plays an attacker with DBA rights: the append-only triggers are
lifted, the table is changed directly, and then the auditor runs the check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory

from tests.audit import tampering
from tests.audit.conftest import TRAIL_LENGTH, run_audit
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit import verify
from threshold.audit.chain import GENESIS_HASH, canonical_ip
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record
from threshold.audit.verify import Checkpoint, checkpoint_current, verify_chain

pytestmark = pytest.mark.django_db


def assert_caught(
    *,
    at: int,
    reason: str,
    row_id: int | None = None,
    verified: int | None = None,
    checkpoint: Checkpoint | None = None,
) -> None:
    """``audit verify`` exits 1 with one line naming event ``at``, and so does ``verify_chain``.

    ``verified`` is how many events verified before it: ``at - 1`` unless events were removed.
    """
    result = verify_chain(checkpoint=checkpoint)
    assert not result.ok
    assert result.bad_sequence == at
    assert result.count == (at - 1 if verified is None else verified)
    assert reason in result.reason
    if row_id is not None:
        assert result.bad_id == row_id
    if checkpoint is None:
        outcome = run_audit("verify")
        assert outcome.code == 1
        assert outcome.out == ""
        assert outcome.err.strip() == result.describe()
        assert f"FAILED at event {at}" in outcome.err
        assert outcome.err.count("\n") == 1


def test_an_untouched_trail_verifies(trail: list[AuditEvent]) -> None:
    outcome = run_audit("verify")
    assert (outcome.code, outcome.out, outcome.err) == (0, f"Verified {TRAIL_LENGTH} audit events.\n", "")


def test_an_empty_trail_verifies(db: None) -> None:
    assert run_audit("verify").out == "Verified 0 audit events.\n"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "case.closed"),
        ("actor_label", "user:999"),
        ("actor_id", None),
        ("organisation_id", None),
        ("record_type", "concerns.concern"),
        ("record_id", "99999"),
        ("request_id", "0000000000"),
        ("source_ip", "198.51.100.1"),
        ("changes", {"status": ["open", "open"]}),
        ("excluded_fields", []),
        ("details", {"note": "nothing happened"}),
        ("occurred_at", dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)),
    ],
)
def test_editing_any_recorded_field_is_detected(trail: list[AuditEvent], column: str, value: Any) -> None:
    # Event 8 was written by Lara with a request, changes and excluded fields.
    with append_only_triggers_lifted():
        tampering.edit(8, column, value)
    assert_caught(at=8, reason="content of event 8 does not match its hash", row_id=trail[7].pk)


def test_editing_a_stored_hash_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(11, "content_hash", "f" * 64)
    assert_caught(at=11, reason="content of event 11 does not match its hash")


def test_editing_a_link_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(9, "previous_hash", trail[2].content_hash)
    assert_caught(at=9, reason="event 9 does not link to event 8")


def test_a_first_event_that_does_not_start_from_the_genesis_hash_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(1, "previous_hash", "1" * 64)
    assert_caught(at=1, reason="event 1 does not start the chain")


def test_deleting_a_row_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.delete(7)
    assert_caught(at=8, reason="sequence jumps from 6 to 8: events missing or inserted", row_id=trail[7].pk, verified=6)


def test_deleting_the_first_row_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.delete(1)
    assert_caught(at=2, reason="the trail starts at event 2, not event 1", verified=0)


def test_deleting_a_row_and_closing_the_gap_is_detected(trail: list[AuditEvent]) -> None:
    # The attacker renumbers everything after the hole, so the sequence is whole again.
    with append_only_triggers_lifted():
        tampering.delete(7)
        tampering.shift_down_after(7)
    assert_caught(at=7, reason="event 7 does not link to event 6")


@pytest.mark.parametrize("hasher", [tampering.plain_sha256, tampering.wrong_key_hmac])
def test_inserting_a_row_is_detected(trail: list[AuditEvent], hasher: tampering.Hasher) -> None:
    with append_only_triggers_lifted():
        tampering.insert_forged(8, copy_of=3, hasher=hasher)
    forged = AuditEvent.objects.get(sequence=8)
    assert forged.previous_hash == trail[6].content_hash  # it links to event 7 as a real one would
    assert_caught(at=8, reason="content of event 8 does not match its hash", row_id=forged.pk)


def test_appending_a_forged_row_at_the_end_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.insert_forged(TRAIL_LENGTH + 1, copy_of=5, hasher=tampering.wrong_key_hmac)
    assert_caught(at=TRAIL_LENGTH + 1, reason=f"content of event {TRAIL_LENGTH + 1} does not match its hash")


def test_reordering_rows_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.swap(5, 9)
    # Event 9, now in fifth place, still carries event 8's hash as its link.
    assert_caught(at=5, reason="event 5 does not link to event 4", row_id=trail[8].pk)


def test_reordering_rows_and_relinking_them_is_detected(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.swap(5, 9)
        tampering.rehash_from(5, tampering.wrong_key_hmac)
    assert_caught(at=5, reason="content of event 5 does not match its hash", row_id=trail[8].pk)


@pytest.mark.parametrize("hasher", [tampering.plain_sha256, tampering.wrong_key_hmac])
def test_editing_a_row_and_rehashing_everything_after_it_is_detected(
    trail: list[AuditEvent], hasher: tampering.Hasher
) -> None:
    with append_only_triggers_lifted():
        tampering.edit(12, "action", "case.viewed")
        tampering.rehash_from(12, hasher)
    last = AuditEvent.objects.get(sequence=TRAIL_LENGTH)
    assert last.previous_hash == AuditEvent.objects.get(sequence=TRAIL_LENGTH - 1).content_hash  # links look fine
    assert_caught(at=12, reason="content of event 12 does not match its hash")


def test_only_the_chain_key_makes_a_rehashed_trail_verify(trail: list[AuditEvent]) -> None:
    # The control for the test above: the attacker's method is sound, so the
    # key (which is not in the database) is the only thing that stops it.
    with append_only_triggers_lifted():
        tampering.edit(12, "action", "case.viewed")
        tampering.rehash_from(12, tampering.real_key_hmac)
    assert verify_chain().ok


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_an_earlier_checkpoint(trail: list[AuditEvent]) -> None:
    checkpoint = checkpoint_current()
    with append_only_triggers_lifted():
        tampering.edit(12, "action", "case.viewed")
        tampering.rehash_from(12, tampering.real_key_hmac)
    assert_caught(
        at=TRAIL_LENGTH,
        reason=f"event {TRAIL_LENGTH} no longer has the hash recorded by the checkpoint",
        checkpoint=checkpoint,
    )


def test_truncation_leaves_a_valid_chain_but_is_caught_by_a_checkpoint(trail: list[AuditEvent]) -> None:
    checkpoint = checkpoint_current()
    with append_only_triggers_lifted():
        tampering.truncate_after(17)
    assert verify_chain().ok  # why checkpoints exist
    assert_caught(at=18, reason="events 18 to 20 missing: the trail has 17 events", checkpoint=checkpoint)


def test_removing_only_the_last_event_is_caught_by_a_checkpoint(trail: list[AuditEvent]) -> None:
    checkpoint = checkpoint_current()
    with append_only_triggers_lifted():
        tampering.truncate_after(TRAIL_LENGTH - 1)
    assert_caught(at=TRAIL_LENGTH, reason=f"event {TRAIL_LENGTH} missing", checkpoint=checkpoint)


def test_truncation_hidden_by_new_events_is_caught_by_a_checkpoint(trail: list[AuditEvent]) -> None:
    checkpoint = checkpoint_current()
    with append_only_triggers_lifted():
        tampering.truncate_after(17)
    for _ in range(5):  # the application carries on appending, with valid hashes
        audit_record(context=AuditContext.system("reminders"), action="timescale.reminder_sent")
    assert verify_chain().ok
    assert_caught(at=TRAIL_LENGTH, reason="no longer has the hash recorded by the checkpoint", checkpoint=checkpoint)


def test_a_trail_that_grew_after_its_checkpoint_verifies_against_it(trail: list[AuditEvent]) -> None:
    checkpoint = checkpoint_current()
    audit_record(context=AuditContext.system("reminders"), action="timescale.reminder_sent")
    result = verify_chain(checkpoint=checkpoint)
    assert result.ok
    assert result.count == TRAIL_LENGTH + 1


def test_an_empty_checkpoint_accepts_any_valid_trail(trail: list[AuditEvent]) -> None:
    empty = Checkpoint(count=0, head_sequence=0, head_hash=GENESIS_HASH, created_at="2026-01-01T00:00:00+00:00")
    assert verify_chain(checkpoint=empty).ok


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's column types refuse unreadable values")
@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        # Django reads this as no time at all, so hashing the event fails.
        ("not a time", "event 6 cannot be read (AttributeError)"),
        # The driver's conversion fails while the batch is being fetched.
        ("2026-13-45 25:00:00", "event 6 cannot be read (ValueError)"),
    ],
)
def test_a_row_too_damaged_to_read_is_reported_not_crashed_on(
    trail: list[AuditEvent], stored: str, reason: str
) -> None:
    with append_only_triggers_lifted():
        tampering.execute("UPDATE audit_auditevent SET occurred_at = %s WHERE sequence = 6", [stored])
    assert_caught(at=6, reason=reason, row_id=trail[5].pk)


def test_a_forged_hash_that_is_not_ascii_is_reported_not_crashed_on(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(4, "content_hash", "é" * 64)
    assert_caught(at=4, reason="content of event 4 does not match its hash")


def test_a_forged_event_numbered_0_is_not_skipped(trail: list[AuditEvent]) -> None:
    # The column's CHECK allows 0, and a walk that started "after 0" would never see it.
    columns = ", ".join(tampering.COPIED_COLUMNS)
    with append_only_triggers_lifted():
        tampering.execute(
            f"INSERT INTO audit_auditevent (sequence, {columns}) SELECT 0, {columns} FROM audit_auditevent "
            "WHERE sequence = 1"
        )
    forged = AuditEvent.objects.get(sequence=0)
    assert_caught(at=0, reason="an event numbered 0 comes before event 1: inserted", row_id=forged.pk, verified=0)


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_the_walk_checks_every_event_across_batch_boundaries(
    trail: list[AuditEvent], monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(verify, "BATCH_SIZE", batch_size)
    assert verify_chain().count == TRAIL_LENGTH
    with append_only_triggers_lifted():
        tampering.edit(TRAIL_LENGTH - 1, "action", "case.closed")
    assert_caught(at=TRAIL_LENGTH - 1, reason=f"content of event {TRAIL_LENGTH - 1} does not match its hash")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's column types refuse unreadable values")
def test_a_damaged_row_deep_in_a_later_batch_is_still_named(
    trail: list[AuditEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify, "BATCH_SIZE", 4)
    with append_only_triggers_lifted():
        tampering.execute("UPDATE audit_auditevent SET occurred_at = %s WHERE sequence = 15", ["2026-13-45 25:00:00"])
    assert_caught(at=15, reason="event 15 cannot be read (ValueError)", row_id=trail[14].pk)


def test_an_event_from_a_client_whose_ipv6_address_is_written_in_full_verifies(db: None) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")
    audit_record(context=AuditContext.from_request(request), action="timescale.reminder_sent")
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("address", "recorded"),
    [
        ("::ffff:10.0.0.7", "10.0.0.7"),  # an IPv4 client behind a dual-stack socket
        ("::10.0.0.7", "::a00:7"),  # PostgreSQL prints this one back as "::10.0.0.7"
        ("2001:0DB8::0001", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
    ],
)
def test_an_event_from_any_client_address_verifies_and_its_address_is_still_tamper_evident(
    trail: list[AuditEvent], address: str, recorded: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    event = audit_record(context=AuditContext.from_request(request), action="timescale.reminder_sent")
    assert event.source_ip == recorded
    stored = AuditEvent.objects.get(pk=event.pk)
    assert canonical_ip(stored.source_ip) == recorded
    outcome = run_audit("verify")
    assert (outcome.code, outcome.err) == (0, "")
    with append_only_triggers_lifted():
        tampering.edit(event.sequence, "source_ip", "198.51.100.1")
    assert_caught(at=event.sequence, reason=f"content of event {event.sequence} does not match its hash")


def test_a_forwarded_address_that_is_not_an_address_is_not_recorded(db: None, settings) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    event = audit_record(context=AuditContext.from_request(request), action="timescale.reminder_sent")
    assert event.source_ip is None
    assert verify_chain().ok
