"""The suite's migrated SQLite database is kept for the next run while the migrations stay the same."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from tests import database_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite's test database is kept"),
]


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as database:
        rows = database.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    return set(rows)


def test_the_kept_database_made_by_manage_py_has_every_table_index_and_trigger_of_the_test_database(
    tmp_path: Path,
) -> None:
    # This worker's test database is a copy of it, and pytest-django's own migrate found nothing to add to that.
    database_cache.migrated_copy(tmp_path / "copy.sqlite3")
    restored = _tables(tmp_path / "copy.sqlite3")
    assert ("trigger", "audit_auditevent_no_update") in restored
    assert ("index", "people_person_email_upper") in restored
    assert ("table", "threshold_cache") in restored  # createcachetable, as pytest-django's test database has
    assert restored == _tables(Path(connection.settings_dict["NAME"]))


def test_a_database_is_kept_whole_and_only_the_newest_few(tmp_path: Path, monkeypatch) -> None:
    kept = tmp_path / "kept"
    monkeypatch.setenv("THRESHOLD_TEST_DATABASE_CACHE", str(kept))
    assert not database_cache.restore(tmp_path / "before.sqlite3")  # nothing kept yet: the first worker makes it
    kept.mkdir()
    for number in range(database_cache.KEPT + 2):
        (kept / f"migrated-old{number}.sqlite3").write_bytes(b"")
    database_cache.keep(Path(connection.settings_dict["NAME"]))
    names = sorted(path.name for path in kept.iterdir())
    assert len(names) == database_cache.KEPT
    assert f"migrated-{database_cache.fingerprint()}.sqlite3" in names
    assert not [name for name in names if name.startswith("keeping-")]
    assert database_cache.restore(tmp_path / "copy.sqlite3")
    assert _tables(tmp_path / "copy.sqlite3") == _tables(Path(connection.settings_dict["NAME"]))


def test_the_fingerprint_is_made_of_every_migration_the_project_and_its_libraries_ship() -> None:
    from django.db.migrations.loader import MigrationLoader

    apps = {app for app, _name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    assert {"people", "lado", "audit", "auth", "account", "mfa"} <= apps
    assert len(database_cache.fingerprint()) == 32
