"""``audit verify`` carries on from where it last reached; ``audit verify --full`` checks every event again.

A nightly run costs the day's events: each run that verifies records a signed checkpoint (the event it reached,
its hash, how many events, when), and the next starts there, checking that event again. An event changed
before the checkpoint is found by ``--full``; one changed after it, by the nightly run.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.audit import tampering
from tests.audit.conftest import TRAIL_LENGTH, run_audit
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent, VerifyCheckpoint
from threshold.audit.services import audit_record

pytestmark = pytest.mark.django_db

NIGHT = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def _more_events(count: int) -> None:
    for number in range(count):
        audit_record(context=AuditContext.system("reminders"), action="timescale.reminder_sent", details={"n": number})


def test_the_first_run_checks_every_event_and_records_how_far_it_reached(trail: list[AuditEvent]) -> None:
    with time_machine.travel(NIGHT, tick=False):
        outcome = run_audit("verify")
    assert (outcome.code, outcome.out) == (0, f"Verified {TRAIL_LENGTH} audit events.\n")
    checkpoint = VerifyCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.count, checkpoint.full) == (TRAIL_LENGTH, TRAIL_LENGTH, True)
    assert checkpoint.content_hash == trail[-1].content_hash
    assert checkpoint.verified_at == NIGHT


def test_the_next_run_checks_only_the_events_since(trail: list[AuditEvent]) -> None:
    with time_machine.travel(NIGHT, tick=False):
        run_audit("verify")
    _more_events(3)
    with time_machine.travel(NIGHT + dt.timedelta(days=1), tick=False):
        outcome = run_audit("verify")
    assert outcome.code == 0
    assert outcome.out == (
        f"Verified 3 audit events since the checkpoint of 2026-12-07T02:00:00+00:00 ({TRAIL_LENGTH + 3} in all).\n"
    )
    latest = VerifyCheckpoint.objects.order_by("-sequence").first()
    assert latest is not None
    assert (latest.sequence, latest.count, latest.full) == (TRAIL_LENGTH + 3, TRAIL_LENGTH + 3, False)


def test_a_run_with_nothing_new_records_no_new_checkpoint(trail: list[AuditEvent]) -> None:
    run_audit("verify")
    assert run_audit("verify").code == 0
    assert VerifyCheckpoint.objects.count() == 1


def test_an_event_changed_before_the_checkpoint_is_found_by_full(trail: list[AuditEvent]) -> None:
    assert run_audit("verify").code == 0
    with append_only_triggers_lifted():
        tampering.edit(5, "action", "case.closed")
    # The nightly run starts after it, by design: that is what --full is for.
    assert run_audit("verify").code == 0
    full = run_audit("verify", "--full")
    assert full.code == 1
    assert full.err.startswith("Audit trail verification FAILED at event 5 ")
    assert "content of event 5 does not match its hash" in full.err


def test_an_event_changed_after_the_checkpoint_is_found_by_the_nightly_run(trail: list[AuditEvent]) -> None:
    assert run_audit("verify").code == 0
    _more_events(3)
    with append_only_triggers_lifted():
        tampering.edit(TRAIL_LENGTH + 2, "details", {"n": 99})
    outcome = run_audit("verify")
    assert outcome.code == 1
    assert f"FAILED at event {TRAIL_LENGTH + 2} " in outcome.err
    assert f"content of event {TRAIL_LENGTH + 2} does not match its hash" in outcome.err


def test_the_checkpoints_own_event_is_checked_again(trail: list[AuditEvent]) -> None:
    assert run_audit("verify").code == 0
    with append_only_triggers_lifted():
        tampering.edit(TRAIL_LENGTH, "actor_label", "user:999")
    outcome = run_audit("verify")
    assert outcome.code == 1
    assert f"content of event {TRAIL_LENGTH} does not match its hash" in outcome.err


def test_events_removed_back_past_the_checkpoint_are_found(trail: list[AuditEvent]) -> None:
    assert run_audit("verify").code == 0
    with append_only_triggers_lifted():
        tampering.truncate_after(15)
    outcome = run_audit("verify")
    assert outcome.code == 1
    assert f"FAILED at event {TRAIL_LENGTH}: event {TRAIL_LENGTH}, verified on " in outcome.err
    assert "is missing: events were removed" in outcome.err


def test_a_checkpoint_that_verify_did_not_sign_is_refused(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(5, "action", "case.closed")
    # Someone with database access tries to make the nightly run start after their edit.
    VerifyCheckpoint.objects.create(
        sequence=TRAIL_LENGTH,
        content_hash=trail[-1].content_hash,
        count=TRAIL_LENGTH,
        verified_at=timezone.now(),
        signature="0" * 64,
    )
    outcome = run_audit("verify")
    assert outcome.code == 1
    assert "does not carry audit verify's signature" in outcome.err
    assert "FAILED at event 5 " in run_audit("verify", "--full").err
