"""``manage.py backup`` and ``restore`` on real SQLite files, taken while another process keeps writing.

Each step runs ``manage.py`` in its own process against its own data folder
under ``tmp_path`` (``THRESHOLD_DATA_DIR``), as an operator would, so this
test is the same whichever database the rest of the suite runs on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import database_cache

ROOT = Path(__file__).resolve().parents[2]
# The chain key must be the same where the backup is taken and where it is
# restored, or the restored trail cannot be verified: the key is not in a backup.
CHAIN_KEY = "backup-test-audit-chain-key-not-for-real-use-0123456789"

# A separate process that appends audited events as fast as it can, printing
# the number of each one once its transaction has committed: "acknowledged".
WRITER = """
import django, sys
django.setup()
from django.db import transaction
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
context = AuditContext.system("backup-test-writer")
n = 0
while True:
    n += 1
    with transaction.atomic():
        audit_record(
            context=context, action="backup_test.write", record_type="backup_test", record_id=n, details={"n": n}
        )
    print(n, flush=True)
"""


def _environment(data_dir: Path) -> dict[str, str]:
    """The environment of a ``manage.py`` run on the SQLite database and documents under ``data_dir``."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="threshold.settings.development",
        THRESHOLD_DATA_DIR=str(data_dir),
        DOCUMENT_ROOT=str(data_dir / "documents"),
        AUDIT_CHAIN_KEY=CHAIN_KEY,
        PYTHONPATH=str(ROOT),
    )
    return environment


def manage(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` against ``data_dir``; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=_environment(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass
class Writer:
    """The writing process and the numbers of the writes it has acknowledged so far."""

    process: subprocess.Popen[str]
    acknowledged: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> list[int]:
        """The writes acknowledged up to now."""
        with self.lock:
            return list(self.acknowledged)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with one uploaded document, under its own data folder."""
    data_dir = tmp_path_factory.mktemp("source")
    # The migrated database this run keeps (``tests/database_cache.py``), when there is one: ``migrate`` then finds
    # nothing to do, where applying every migration in a subprocess took about 40 s of the suite under coverage.
    database_cache.restore(data_dir / "threshold.sqlite3")
    migrated = manage(data_dir, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    documents = data_dir / "documents"
    documents.mkdir(exist_ok=True)
    (documents / ("a" * 64)).write_bytes(b"%PDF-1.7 a document that must come back\n")
    return data_dir


@pytest.fixture(scope="module")
def backup_during_writes(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[int]]]:
    """A backup taken while the writer runs, and the writes acknowledged before the backup started."""
    writer = Writer(
        subprocess.Popen(
            [sys.executable, "-c", WRITER],
            env=_environment(source),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )

    def read() -> None:
        assert writer.process.stdout is not None
        for line in writer.process.stdout:
            with writer.lock:
                writer.acknowledged.append(int(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while len(writer.snapshot()) < 30:
            assert writer.process.poll() is None, writer.process.stderr.read() if writer.process.stderr else ""
            assert time.monotonic() < deadline, "the writer acknowledged too few writes"
            time.sleep(0.05)
        before = writer.snapshot()
        destination = tmp_path_factory.mktemp("backups") / "nightly"
        result = manage(source, "backup", str(destination))
        assert result.returncode == 0, result.stderr
        during = writer.snapshot()
        # The writer kept writing while the backup ran, or this proves nothing.
        assert len(during) > len(before)
    finally:
        writer.process.terminate()
        writer.process.wait(timeout=30)
        reader.join(timeout=10)
    yield destination, before


def _restored_events(data_dir: Path) -> set[int]:
    """The numbers of the writer's events in the database under ``data_dir``."""
    with sqlite3.connect(data_dir / "threshold.sqlite3") as database:
        rows = database.execute("SELECT record_id FROM audit_auditevent WHERE action = 'backup_test.write'").fetchall()
    return {int(row[0]) for row in rows}


def test_a_backup_taken_during_writes_restores_every_acknowledged_write_and_verifies(
    backup_during_writes: tuple[Path, list[int]], tmp_path: Path
) -> None:
    backup, acknowledged_before = backup_during_writes
    target = tmp_path / "restored"

    restored = manage(target, "restore", str(backup))

    assert restored.returncode == 0, restored.stderr
    assert "1 document(s)" in restored.stdout
    verified = manage(target, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("Verified ")
    present = _restored_events(target)
    assert set(acknowledged_before) <= present
    # The restored copy is one snapshot: its writes are a run with no gaps.
    assert present == set(range(1, max(present) + 1))
    assert (target / "documents" / ("a" * 64)).read_bytes() == b"%PDF-1.7 a document that must come back\n"
    # The restore is itself in the restored trail, after every restored event, and the trail verifies with it.
    with sqlite3.connect(target / "threshold.sqlite3") as database:
        last = database.execute(
            "SELECT action, actor_label, details FROM audit_auditevent ORDER BY sequence DESC"
        ).fetchone()
    assert last[:2] == ("backup.restored", "system:restore")
    assert json.loads(last[2])["manifest_sha256"] == hashlib.sha256((backup / "manifest.json").read_bytes()).hexdigest()


def test_the_manifest_lists_every_file_with_its_checksum(backup_during_writes: tuple[Path, list[int]]) -> None:
    backup, _before = backup_during_writes

    manifest = json.loads((backup / "manifest.json").read_text())

    assert manifest["engine"] == "sqlite"
    assert set(manifest["files"]) == {"database.sqlite3", "documents/" + "a" * 64}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert oct((backup / "database.sqlite3").stat().st_mode & 0o777) == oct(0o600)


def test_the_backup_is_itself_in_the_trail_naming_who_ran_it_and_its_manifest(
    backup_during_writes: tuple[Path, list[int]], source: Path
) -> None:
    backup, _before = backup_during_writes
    with sqlite3.connect(source / "threshold.sqlite3") as database:
        rows = database.execute(
            "SELECT actor_label, details FROM audit_auditevent WHERE action = 'backup.taken'"
        ).fetchall()
    assert len(rows) == 1
    actor, details = rows[0][0], json.loads(rows[0][1])
    assert actor == "system:backup"
    assert details["operator"]
    assert details["manifest_sha256"] == hashlib.sha256((backup / "manifest.json").read_bytes()).hexdigest()


@pytest.mark.parametrize("damaged", ["database.sqlite3", "documents/" + "a" * 64])
def test_a_tampered_file_is_refused_and_nothing_is_restored(
    backup_during_writes: tuple[Path, list[int]], tmp_path: Path, damaged: str
) -> None:
    original, _before = backup_during_writes
    backup = tmp_path / "copy"
    shutil.copytree(original, backup)
    path = backup / damaged
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))
    target = tmp_path / "restored"

    refused = manage(target, "restore", str(backup))

    assert refused.returncode != 0
    assert f"{damaged} does not match its checksum" in refused.stderr
    assert not (target / "documents").exists()
    with sqlite3.connect(target / "threshold.sqlite3") as database:
        assert database.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_a_file_added_to_the_backup_is_refused(backup_during_writes: tuple[Path, list[int]], tmp_path: Path) -> None:
    original, _before = backup_during_writes
    backup = tmp_path / "copy"
    shutil.copytree(original, backup)
    (backup / "documents" / "planted").write_bytes(b"not from the service")

    refused = manage(tmp_path / "restored", "restore", str(backup))

    assert refused.returncode != 0
    assert "documents/planted is in" in refused.stderr


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    backup_during_writes: tuple[Path, list[int]], source: Path, tmp_path: Path
) -> None:
    backup, _before = backup_during_writes
    target = tmp_path / "in-use"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("documents"))
    with sqlite3.connect(target / "threshold.sqlite3") as database:
        events_before = database.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]

    refused = manage(target, "restore", str(backup))

    assert refused.returncode != 0
    assert "already holds" in refused.stderr
    assert "--force" in refused.stderr
    with sqlite3.connect(target / "threshold.sqlite3") as database:
        assert database.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == events_before

    forced = manage(target, "restore", "--force", str(backup))

    assert forced.returncode == 0, forced.stderr
    assert manage(target, "audit", "verify").returncode == 0
    with sqlite3.connect(backup / "database.sqlite3") as database:
        in_backup = database.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
    with sqlite3.connect(target / "threshold.sqlite3") as database:
        # The backup's events, and the restore's own.
        assert database.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == in_backup + 1


def test_backup_refuses_a_destination_that_holds_files(source: Path, tmp_path: Path) -> None:
    destination = tmp_path / "occupied"
    destination.mkdir()
    (destination / "something").write_text("kept")

    refused = manage(source, "backup", str(destination))

    assert refused.returncode != 0
    assert "not an empty directory" in refused.stderr
    assert [path.name for path in destination.iterdir()] == ["something"]
