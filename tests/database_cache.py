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

When there is none yet (a fresh machine, as every CI run is, or new migrations), the first worker to need it
migrates one in a process of its own, not measured by coverage, while the others wait on a lock
(``migrated_copy``, ``postgres_template_ready``); then every worker copies it. Before, each of the three workers
migrated its own at once: 44 seconds of each worker's first test on two cores under coverage, now about 21.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import django
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

# How many fingerprints' databases are kept (a branch switch back and forth need not migrate again).
KEPT = 3
ROOT = Path(__file__).resolve().parents[1]
# How long making the migrated database may take before the run gives up (about 20 s on a 2-core machine).
MIGRATING_TIMEOUT_SECONDS = 600


# What the test runs keep between them, outside the repository: the migrated databases, Hypothesis's caches.
USER_CACHE = Path.home() / ".cache" / "threshold"


def folder() -> Path:
    """Where migrated databases are kept."""
    configured = os.environ.get("THRESHOLD_TEST_DATABASE_CACHE", "")
    return Path(configured) if configured else USER_CACHE / "test-databases"


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


def keep(source: Path) -> None:
    """Keep a copy of the migrated database in the file ``source``, for this run's workers and the next runs.

    Copied with SQLite's backup API under a temporary name and renamed into place, so two processes keeping it at
    once, or a run stopped half-way, never leave a half-written copy for a worker to use.
    """
    folder().mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder(), prefix="keeping-", suffix=".sqlite3")
    os.close(descriptor)
    try:
        with sqlite3.connect(source) as original, sqlite3.connect(temporary) as copy:
            original.backup(copy)
        original.close()
        copy.close()
        os.replace(temporary, _kept_copy())
    finally:
        Path(temporary).unlink(missing_ok=True)
    _prune()


@contextmanager
def _migrating_alone() -> Iterator[None]:
    """One process of this machine at a time (an xdist worker, another run) makes a migrated database.

    When the one making it fails, the others of its run (pytest-xdist's run id) fail at once with its error
    instead of each trying again.
    """
    folder().mkdir(parents=True, exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    failed = folder() / f"failed-{run}.txt" if run else None
    with open(folder() / "migrating.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if failed is not None and failed.exists():
                raise RuntimeError(failed.read_text())
            try:
                yield
            except Exception as error:
                if failed is not None:
                    failed.write_text(str(error))
                raise
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    """Make the database at ``database_url`` as pytest-django makes a test database: ``migrate`` (with
    ``--run-syncdb``, without the system checks) and ``createcachetable``, under this run's settings, in a process
    of its own.

    Not measured by coverage (a process the run did not start as a worker): a migration's coverage is what every run
    after the first on a machine measures anyway, the kept copy being used.
    """
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        # pytest-django has put the run's settings module here (``--ds``, the environment or pyproject.toml).
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "threshold.settings.test"),
    }
    environment.pop("THRESHOLD_TEST_SERVER_DATABASE", None)
    # createcachetable runs no system checks of its own (and refuses --skip-checks).
    for command in (["migrate", "--run-syncdb", "--no-input", "--skip-checks"], ["createcachetable"]):
        # Our own manage.py, with our own interpreter.
        done = subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=MIGRATING_TIMEOUT_SECONDS,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {command[0]} failed making the test database:\n{done.stderr}")


def _is_migrated(path: Path) -> bool:
    """Whether the SQLite file at ``path`` holds applied migrations (not an empty file left by a wrong address)."""
    with sqlite3.connect(path) as database:
        found = database.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone()
    database.close()
    return found is not None


def migrated_copy(destination: Path) -> None:
    """Copy the migrated database of these migrations to ``destination``, making it first if there is none."""
    if restore(destination):
        return
    with _migrating_alone():
        if not _kept_copy().exists():  # another worker may have made it while this one waited
            descriptor, temporary = tempfile.mkstemp(dir=folder(), prefix="migrating-", suffix=".sqlite3")
            os.close(descriptor)
            try:
                _migrate(f"sqlite:///{quote(temporary)}")  # a folder named with "#", "?" or "%" stays that folder
                if not _is_migrated(Path(temporary)):
                    raise RuntimeError(f"manage.py migrate did not migrate {temporary}.")
                keep(Path(temporary))
            finally:
                for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm"):
                    Path(leftover).unlink(missing_ok=True)
    if not restore(destination):
        raise RuntimeError(f"No migrated test database was kept in {folder()}.")


def _prune() -> None:
    copies = sorted(folder().glob("migrated-*.sqlite3"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in copies[KEPT:]:
        old.unlink(missing_ok=True)
    day_ago = time.time() - 24 * 60 * 60
    for failure in folder().glob("failed-*.txt"):  # a failed run's note to its own workers
        if failure.stat().st_mtime < day_ago:
            failure.unlink(missing_ok=True)


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


def postgres_template_ready(connection: BaseDatabaseWrapper, database_url: str) -> str:
    """The name of the template database of these migrations, made first if the server has none.

    Made under another name and renamed once migrated, so no run ever copies a half-made template; another
    run making the same template at the same moment leaves this one's to be dropped. The newest ``KEPT``
    templates stay (another branch's run may be using one).
    """
    template = postgres_template()
    if postgres_template_exists(connection):
        return template
    quote_name = connection.ops.quote_name
    building = f"{template}_building_{os.getpid()}_"  # the last "_": no other process's name starts with it
    with _migrating_alone():
        if postgres_template_exists(connection):
            return template
        _drop_quietly(connection, f"{template}_building_")  # left by a run of this machine stopped half-way
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote_name(building)}")
        try:
            _migrate(urlunsplit(urlsplit(database_url)._replace(path=f"/{building}")))
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {quote_name(building)} RENAME TO {quote_name(template)}")
        except DatabaseError as error:
            if not postgres_template_exists(connection):  # not made by another run at the same moment: a failure
                raise RuntimeError(f"The template database {template} could not be made.") from error
        finally:
            _drop_quietly(connection, building)
        _prune_templates(connection)
    return template


def _drop_quietly(connection: BaseDatabaseWrapper, prefix: str) -> None:
    """Drop the databases whose names start with ``prefix``; one still in use is left for a later run."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
        for (name,) in cursor.fetchall():
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
            except DatabaseError:
                continue


def _prune_templates(connection: BaseDatabaseWrapper) -> None:
    """Keep the newest ``KEPT`` templates; one in use by another run is dropped by a later one."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY oid DESC", [PREFIX])
        templates = [name for (name,) in cursor.fetchall() if TEMPLATE_NAME.fullmatch(name)]
        for name in templates[KEPT:]:
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
            except DatabaseError:
                continue
