"""A migrated SQLite test database kept between runs, for as long as the migrations are the same.

Migrating an empty database takes about 11 seconds on a 2-core machine (122 migrations, the LADO app's casework
migration alone nearly 4), and every pytest run paid it once per worker before its first database test; the
audit command's own test paid it again in a subprocess. A run now copies the database a run before it migrated,
when its fingerprint matches: the text of every migration module of every installed app, and Django's version
(zulip keeps its test template database the same way, by a hash of its migrations). ``manage.py migrate`` still
runs over the copy (pytest-django's ``keepdb``), finds nothing to apply and so checks that the copy is current.

The copies live outside the repository (``THRESHOLD_TEST_DATABASE_CACHE``, by default
``~/.cache/threshold/test-databases``), a few at most; delete the folder to make the next run migrate afresh.
On PostgreSQL the migrated database is kept on the server as a template database
(``threshold_test_template_<fingerprint>``), and each worker's test database is created from it
(``TEST["TEMPLATE"]``, ``CREATE DATABASE ... TEMPLATE``); templates of other fingerprints are dropped when a new one
is made. Drop it to make the next run migrate afresh.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from functools import cache
from pathlib import Path

import django
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

# How many fingerprints' databases are kept (a branch switch back and forth need not migrate again).
KEPT = 3


def folder() -> Path:
    """Where migrated databases are kept."""
    configured = os.environ.get("THRESHOLD_TEST_DATABASE_CACHE", "")
    return Path(configured) if configured else Path.home() / ".cache" / "threshold" / "test-databases"


@cache
def fingerprint() -> str:
    """A hash of what a migrated empty database is made from: every migration module, and Django's version."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"django {django.get_version()}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:32]


def _kept_copy() -> Path:
    return folder() / f"migrated-{fingerprint()}.sqlite3"


def restore(destination: Path) -> bool:
    """Copy the migrated database of these migrations to ``destination``; False when there is none yet."""
    kept = _kept_copy()
    try:
        shutil.copyfile(kept, destination)
        os.utime(kept)  # in use: the last to be pruned
    except FileNotFoundError:  # none yet, or another run pruned it just now
        return False
    return True


def keep(connection: BaseDatabaseWrapper) -> None:
    """Keep a copy of the database ``connection`` has just migrated, for the next run (SQLite's backup API).

    Written under a temporary name and renamed into place, so two workers keeping it at once, or a run stopped
    half-way, never leave a half-written copy for the next run to use.
    """
    if connection.in_atomic_block:
        return  # a copy would wait on its own transaction's lock; only a database just migrated is kept
    folder().mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    descriptor, temporary = tempfile.mkstemp(dir=folder(), prefix="migrating-", suffix=".sqlite3")
    os.close(descriptor)
    try:
        with sqlite3.connect(temporary) as copy:
            connection.connection.backup(copy)
        copy.close()
        os.replace(temporary, _kept_copy())
    finally:
        Path(temporary).unlink(missing_ok=True)
    _prune()


def _prune() -> None:
    copies = sorted(folder().glob("migrated-*.sqlite3"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in copies[KEPT:]:
        old.unlink(missing_ok=True)


PREFIX = "threshold_test_template_"
TEMPLATE_NAME = re.compile(rf"{PREFIX}[0-9a-f]{{16}}")


def postgres_template() -> str:
    """The name of the template database of these migrations on the PostgreSQL server."""
    return f"{PREFIX}{fingerprint()[:16]}"


def postgres_template_exists(connection: BaseDatabaseWrapper) -> bool:
    """Whether the server holds a template of these migrations."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [postgres_template()])
        return cursor.fetchone() is not None


def keep_postgres(connection: BaseDatabaseWrapper) -> None:
    """Make the database ``connection`` has just migrated the template of these migrations (keeping a few).

    ``CREATE DATABASE ... TEMPLATE`` needs the source without connections: this worker's is closed first (the
    next query opens it again). Another worker making the same template at the same moment, or still connected,
    leaves it to the next run. The newest ``KEPT`` templates stay (another branch's run may be using one).
    """
    if connection.in_atomic_block:
        return
    quote = connection.ops.quote_name
    source = connection.settings_dict["NAME"]
    connection.close()
    getattr(connection, "close_pool", lambda: None)()  # PostgreSQL's pool holds connections of its own
    with connection._nodb_cursor() as cursor:
        try:
            cursor.execute(f"CREATE DATABASE {quote(postgres_template())} TEMPLATE {quote(source)}")
        except DatabaseError:  # made by another worker, or the source still in use: the next run makes it
            return
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY oid DESC", [PREFIX])
        templates = [name for (name,) in cursor.fetchall() if TEMPLATE_NAME.fullmatch(name)]
        for name in templates[KEPT:]:
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            except DatabaseError:  # in use by another run: a later one drops it
                continue
