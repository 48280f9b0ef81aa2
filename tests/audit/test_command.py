"""``manage.py audit verify`` and ``manage.py audit checkpoint``: output, exit codes and the export's own event."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from tests import database_cache
from tests.audit import tampering
from tests.audit.conftest import TRAIL_LENGTH, run_audit
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit.chain import GENESIS_HASH
from threshold.audit.models import AuditEvent
from threshold.audit.verify import Checkpoint, checkpoint_current, verify_chain

pytestmark = pytest.mark.django_db


def test_a_checkpoint_describes_the_trail_and_its_export_is_the_next_event(trail: list[AuditEvent]) -> None:
    outcome = run_audit("checkpoint")
    assert outcome.code == 0
    checkpoint = Checkpoint.from_json(outcome.out)
    assert (checkpoint.count, checkpoint.head_sequence) == (TRAIL_LENGTH, TRAIL_LENGTH)
    assert checkpoint.head_hash == trail[-1].content_hash

    export = AuditEvent.objects.get(sequence=TRAIL_LENGTH + 1)
    assert export.action == "audit.checkpoint_exported"
    assert export.actor_id is None
    assert export.actor_label == "system:audit-checkpoint"
    assert export.details == {"count": TRAIL_LENGTH, "head_hash": checkpoint.head_hash}
    # The checkpoint was taken before its own event, so the next one covers it.
    assert checkpoint_current().head_hash == export.content_hash
    assert verify_chain(checkpoint=checkpoint).ok


def test_a_checkpoint_of_an_empty_trail_starts_from_the_genesis_hash(db: None) -> None:
    checkpoint = Checkpoint.from_json(run_audit("checkpoint").out)
    assert (checkpoint.count, checkpoint.head_sequence, checkpoint.head_hash) == (0, 0, GENESIS_HASH)
    assert AuditEvent.objects.get().details == {"count": 0, "head_hash": GENESIS_HASH}


def test_a_checkpoint_is_written_to_a_new_file_and_verified_against(trail: list[AuditEvent], tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.json"
    outcome = run_audit("checkpoint", "--output", str(path))
    assert outcome.code == 0
    assert outcome.out == f"Checkpoint of {TRAIL_LENGTH} audit events written to {path}.\n"
    assert Checkpoint.from_json(path.read_text(encoding="utf-8")).count == TRAIL_LENGTH

    verified = run_audit("verify", "--checkpoint", str(path))
    assert (verified.code, verified.out) == (0, f"Verified {TRAIL_LENGTH + 1} audit events.\n")


def test_a_checkpoint_file_is_never_overwritten_and_a_refused_export_is_not_recorded(
    trail: list[AuditEvent], tmp_path: Path
) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text("earlier evidence", encoding="utf-8")
    with pytest.raises(CommandError, match="already exists"):
        run_audit("checkpoint", "--output", str(path))
    assert path.read_text(encoding="utf-8") == "earlier evidence"
    assert not AuditEvent.objects.filter(action="audit.checkpoint_exported").exists()


def test_verify_against_a_checkpoint_names_the_first_event_missing_from_the_end(
    trail: list[AuditEvent], tmp_path: Path
) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text(checkpoint_current().to_json(), encoding="utf-8")
    with append_only_triggers_lifted():
        tampering.truncate_after(15)
    assert run_audit("verify").code == 0  # the shorter chain is still a chain
    outcome = run_audit("verify", "--checkpoint", str(path))
    assert outcome.code == 1
    assert outcome.err.startswith("Audit trail verification FAILED at event 16: events 16 to 20 missing")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"count": 1}', "expected exactly the fields"),
        ('{"count": -1, "head_sequence": 1, "head_hash": "' + "a" * 64 + '", "created_at": "2026-11-22"}', "count"),
        ('{"count": true, "head_sequence": 1, "head_hash": "' + "a" * 64 + '", "created_at": "2026-11-22"}', "count"),
        ('{"count": 1, "head_sequence": 1, "head_hash": "xyz", "created_at": "2026-11-22"}', "head_hash"),
        ('{"count": 1, "head_sequence": 1, "head_hash": "' + "a" * 64 + '", "created_at": "soon"}', "created_at"),
        ('{"count": 0, "head_sequence": 3, "head_hash": "' + "a" * 64 + '", "created_at": "2026-11-22"}', "empty"),
    ],
)
def test_verify_refuses_a_file_that_is_not_a_checkpoint(
    trail: list[AuditEvent], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=f"is not a checkpoint: .*{message}"):
        run_audit("verify", "--checkpoint", str(path))


def test_verify_refuses_a_checkpoint_file_that_is_not_there(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read checkpoint"):
        run_audit("verify", "--checkpoint", str(tmp_path / "missing.json"))


def test_the_command_needs_a_subcommand(db: None) -> None:
    with pytest.raises(CommandError, match="required"):
        run_audit()


def test_manage_py_exits_0_for_an_intact_trail_and_exactly_1_for_a_tampered_one(tmp_path: Path) -> None:
    # The real command line, against a SQLite file of its own (the test
    # database is invisible to another process), on either suite.
    database = tmp_path / "threshold.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threshold.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    # Migrated by a run before this one when the migrations are the same (tests/database_cache.py): migrate
    # then finds nothing to apply.
    database_cache.restore(database)
    assert manage("migrate", "--verbosity", "0").returncode == 0
    assert manage("audit", "checkpoint").returncode == 0
    intact = manage("audit", "verify")
    assert (intact.returncode, intact.stdout, intact.stderr) == (0, "Verified 1 audit events.\n", "")

    with sqlite3.connect(database) as attacker:
        attacker.execute("DROP TRIGGER audit_auditevent_no_update")
        attacker.execute("UPDATE audit_auditevent SET details = '{}' WHERE sequence = 1")
    tampered = manage("audit", "verify")
    assert tampered.returncode == 1
    assert tampered.stdout == ""
    assert tampered.stderr == (
        "Audit trail verification FAILED at event 1 (row id 1): content of event 1 does not match its hash.\n"
    )
