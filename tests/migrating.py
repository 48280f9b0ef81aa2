"""A data migration tested on a database of its own, migrated forward to the state before it, as a server was.

Migrating the test database back to an early state unapplies every later migration of every app, and putting
it back applies them all again: about fifty seconds a test. A fresh database (a file for SQLite, a new
database on the same PostgreSQL server) only applies what leads up to the state wanted, then the migrations
under test; it is thrown away after. While it is open it is the default connection, so the migrations' own
code (which uses the default managers, as Django's data migrations do) and the test's historical models write
to it, and nothing reaches the test database.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str]


class FreshDatabase:
    """The fresh database's migrations: move it to a state and get that state's historical models."""

    def migrate(self, targets: Sequence[Target]) -> Apps:
        """Migrate to ``targets`` (forward or back) and return the historical models of that state."""
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        executor.migrate(list(targets))
        return executor.loader.project_state(list(targets)).apps


@contextmanager
def fresh_database() -> Iterator[FreshDatabase]:
    """A new, empty database as the default connection for the block; the test database again after it.

    Use in a ``transaction=True`` test: the test database's connection must not be inside a transaction.
    """
    original = connections[DEFAULT_DB_ALIAS]
    settings = dict(original.settings_dict)
    with tempfile.TemporaryDirectory() as folder:
        if original.vendor == "postgresql":
            name = f"{settings['NAME']}_migrating_{os.getpid()}"
            _run(original, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        else:
            name = str(Path(folder) / "migrating.sqlite3")
        # Without a pool: PostgreSQL's pools are kept by alias, and the test database's would be handed back.
        options = {key: value for key, value in settings.get("OPTIONS", {}).items() if key != "pool"}
        fresh = original.__class__({**settings, "NAME": name, "OPTIONS": options}, alias=DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = fresh
        try:
            yield FreshDatabase()
        finally:
            fresh.close()
            connections[DEFAULT_DB_ALIAS] = original
            if original.vendor == "postgresql":
                _run(original, f'DROP DATABASE IF EXISTS "{name}"')


def _run(connection: BaseDatabaseWrapper, *statements: str) -> None:
    """Statements about whole databases, which PostgreSQL runs outside a transaction only."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
