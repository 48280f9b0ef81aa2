"""Fixtures shared by every test: the demo world and its personas, signed in or not."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

from tests import database_cache
from tests.audit.tampering import clear_audit_trail
from threshold.accounts.middleware import MFA_VERIFIED_KEY
from threshold.accounts.models import User
from threshold.demo.records import load_demo_records
from threshold.demo.world import PERSONAS_BY_KEY, load_demo_world

# Hypothesis keeps its example database and caches in ``.hypothesis/`` in the
# working directory, the repository: its home is the user's cache instead
# (``~/.cache/threshold/hypothesis``). There it keeps what it reads of every
# module's source (the constants it tries first) between runs: each test
# worker parsed every module of the project again, 12 s of a run's time. No
# example database: a property test (policy, audit tampering) replays nothing
# an earlier run found, as when the home was a new temporary folder each run.
set_hypothesis_home_dir(database_cache.USER_CACHE / "hypothesis")
hypothesis_settings.register_profile("threshold", database=None)
hypothesis_settings.load_profile("threshold")


# Where the SQLite test database lives: in memory-backed files where the system has them (Linux's /dev/shm).
# A commit there skips the disk's fsync, which made a disk-backed test database about a quarter slower.
MEMORY_FILES = Path("/dev/shm")  # noqa: S108 (a private folder is made in it with mkdtemp)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_blocker,
) -> Iterator[None]:
    """Keep a SQLite test database in a file, not in process memory, so that another process can open it.

    The browser journeys' gunicorn (tests/system/server.py) serves this
    worker's test database from processes of its own. Each xdist worker has
    a folder of its own, removed at the end of the run.
    """
    base = (
        MEMORY_FILES if MEMORY_FILES.is_dir() and os.access(MEMORY_FILES, os.W_OK) else tmp_path_factory.getbasetemp()
    )
    folder = Path(tempfile.mkdtemp(prefix="threshold-test-database-", dir=base))
    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
            database.setdefault("TEST", {})["NAME"] = str(folder / "test-database.sqlite3")
    default = settings.DATABASES["default"]
    # A database migrated once for these migrations (tests/database_cache.py): made by the first worker of the
    # machine to get here (the others wait for it), then copied by each. Not with --nomigrations (a database made
    # without migrations is not the migrations') or --create-db.
    wanted = not (request.config.getvalue("nomigrations") or request.config.getvalue("create_db"))
    engine = default["ENGINE"] if wanted else ""
    if engine == "django.db.backends.sqlite3":
        database_cache.migrated_copy(Path(default["TEST"]["NAME"]))
        MigratedCopy.used = True
    elif engine == "django.db.backends.postgresql":
        with django_db_blocker.unblock():
            template = database_cache.postgres_template_ready(connection, os.environ["DATABASE_URL"])
        default.setdefault("TEST", {})["TEMPLATE"] = template
    yield
    shutil.rmtree(folder, ignore_errors=True)  # after pytest-django has destroyed the database (it depends on this)


class MigratedCopy:
    """Whether this worker's SQLite test database started as a copy of the migrated one (``database_cache``)."""

    used = False


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_modify_db_settings: None) -> bool:
    """Keep the copied database rather than create one (``migrate`` still runs over it and finds it current).

    Not on PostgreSQL, whose test database is created afresh from the template each run.
    """
    copied = MigratedCopy.used and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    return bool(request.config.getvalue("reuse_db")) or copied


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Start each database test with an empty cache, so a TOTP code used before can be used again.

    The cache lives in the database (so every server shares it), so tests
    without database access have nothing to clear.
    """
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    if "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
    cache.clear()


@pytest.fixture(autouse=True)
def _no_kept_access_lists() -> None:
    """Start each test with no access list kept from an earlier one (ADR 0039), so a test that changes a rule
    (a monkeypatched policy, a setting) meets the rule it made, not a list built before it."""
    from threshold.access import fetch

    with fetch._kept_lock:
        fetch._kept_lists.clear()


@pytest.fixture(autouse=True)
def _audit_trail_cleared_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty the audit table at the end of a transactional test, before pytest-django flushes the database.

    The audit table's append-only triggers refuse a flush while it holds events
    and allow it once it is empty (docs/audit.md).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        # Set the database up first, so that its flush runs after this fixture's teardown.
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        clear_audit_trail()


# The demo world, built once per test database
# ---------------------------------------------
#
# Building the demo world (and its records) for each of ~1,100 tests was most
# of the suite's time. Each test still starts from exactly the database it
# asks for, one of three committed "bases" under its per-test transaction:
#
# - EMPTY: a database test that asks for no demo data (and every transactional
#   test, browser journeys included: they load what they need and flush);
# - WORLD: a test that uses ``demo_world`` (``persona``, ``signed_in``, ...);
# - RECORDS: a test that uses the demo records (``records``, ``ids``, ...).
#
# ``_demo_base`` runs before pytest-django opens the test's transaction and
# commits the base the test needs, flushing first when the database holds more
# (or, after a transactional test's flush, less). The tests are sorted by the
# base they need (``pytest_collection_modifyitems``), so each xdist worker
# switches a handful of times per run, not per test. A test's own writes roll
# back as before, so the base stays intact between tests.

EMPTY, WORLD, RECORDS, TRANSACTIONAL = "empty", "world", "records", "transactional"
RECORD_FIXTURES = frozenset({"records", "ids", "demo_records"})
# Where the demo records' documents are written: the session's store, even when
# a test has pointed DOCUMENT_ROOT at a store of its own (tests/documents).
SESSION_DOCUMENT_ROOT = settings.DOCUMENT_ROOT


class DemoBase:
    """What this worker's test database holds, committed, under every test's transaction."""

    state: str | None = EMPTY  # None: unknown (a transactional test is running, or it failed to flush)
    record_ids: dict[str, int] | None = None
    records_day: dt.date | None = None

    @classmethod
    def flush(cls) -> None:
        """Empty the database as a transactional test's teardown does (the audit trail first: docs/audit.md)."""
        cls.state, cls.record_ids = None, None
        clear_audit_trail()
        call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False)
        cls.state = EMPTY

    @classmethod
    def ensure(cls, need: str) -> None:
        """Commit the base ``need`` asks for (TRANSACTIONAL tests start from an empty database)."""
        target = EMPTY if need == TRANSACTIONAL else need
        stale = cls.state == RECORDS and cls.records_day != timezone.localdate()  # the records are dated "today"
        if cls.state == target and not stale:
            return
        if cls.state is None or stale or (cls.state == RECORDS and target != RECORDS) or target == EMPTY:
            cls.flush()
        if cls.state == EMPTY and target in (WORLD, RECORDS):
            load_demo_world()
            cls.state = WORLD
        if cls.state == WORLD and target == RECORDS:
            with override_settings(DOCUMENT_ROOT=SESSION_DOCUMENT_ROOT):
                cls.record_ids = dict(load_demo_records().ids)
            cls.records_day = timezone.localdate()
            cls.state = RECORDS
        assert cls.state == target, (cls.state, target)


def _is_transactional(node: pytest.Item, fixturenames: set[str]) -> bool:
    marker = node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or bool(
        {"transactional_db", "live_server"} & fixturenames
    )


def demo_base_needed(node: pytest.Item, fixturenames: set[str]) -> str | None:
    """The base a test needs, from the fixtures it uses; None for a test without database access."""
    if _is_transactional(node, fixturenames):
        return TRANSACTIONAL
    if fixturenames & RECORD_FIXTURES:
        return RECORDS
    if "demo_world" in fixturenames:
        return WORLD
    if node.get_closest_marker("django_db") or {"db", "_django_db_helper"} & fixturenames:
        return EMPTY
    return None


_ORDER = {TRANSACTIONAL: 0, EMPTY: 1, WORLD: 2, RECORDS: 3, None: 4}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests grouped by the base they need, the long transactional ones (browser journeys) first.

    Tests that use the database are also marked ``database``: CI's PostgreSQL
    pass runs only those (the others cannot reach a database at all).
    """
    needs = {item.nodeid: demo_base_needed(item, set(getattr(item, "fixturenames", ()))) for item in items}
    for item in items:
        if needs[item.nodeid] is not None:
            item.add_marker(pytest.mark.database)
    items.sort(key=lambda item: _ORDER[needs[item.nodeid]])  # stable: file order within each group


@pytest.fixture
def _demo_base(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """Commit the base this test needs before its transaction opens (see ``DemoBase``)."""
    need = demo_base_needed(request.node, set(request.fixturenames)) or EMPTY  # django_db via getfixturevalue
    with django_db_blocker.unblock():
        DemoBase.ensure(need)
    if need == TRANSACTIONAL:
        DemoBase.state = None  # the test commits what it likes ...
    yield
    if need == TRANSACTIONAL:
        DemoBase.state = EMPTY  # ... and pytest-django has flushed it by now (this teardown runs after)


@pytest.fixture
def _django_db_helper(_demo_base: None, _django_db_helper: None) -> None:
    """pytest-django's database set-up for a test (``db``, ``transactional_db``, the django_db marker), on its base."""
    return _django_db_helper


@pytest.fixture
def demo_world(db: None) -> None:
    """The demo world's organisations and personas, with their demo authenticators."""
    if DemoBase.state not in (WORLD, RECORDS):  # transactional tests load it themselves
        load_demo_world()


def demo_record_ids() -> dict[str, int]:
    """The demo records' ids by name, loading them unless the base already holds them."""
    if DemoBase.state == RECORDS and DemoBase.record_ids is not None:
        return dict(DemoBase.record_ids)
    return load_demo_records().ids


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name (see ``threshold/demo/records.py``)."""
    return demo_record_ids()


@pytest.fixture
def ids(records: dict[str, int]) -> dict[str, int]:
    """The demo records' ids, by name (the same as ``records``, under the name the LADO and allegation tests use)."""
    return records


@pytest.fixture
def persona(demo_world: None):
    """Look up a demo persona by key: ``persona("hana")``."""

    def lookup(key: str) -> User:
        return User.objects.get(email=PERSONAS_BY_KEY[key].email)

    return lookup


@pytest.fixture
def signed_in(persona, client: Client):
    """A test client signed in as a persona who has passed MFA: ``signed_in("lara")``."""

    def sign_in(key: str, http: Client | None = None) -> Client:
        http = http or Client()
        user = persona(key)
        http.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = http.session
        session[MFA_VERIFIED_KEY] = str(user.pk)
        session.save()
        return http

    return sign_in
