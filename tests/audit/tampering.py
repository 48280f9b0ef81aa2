"""What an attacker with DBA rights can do to the audit table through raw SQL.

Each function changes ``audit_auditevent`` behind the application's back, the
way someone with a database console would, so the tests can prove that
``audit verify`` notices. They work on SQLite and PostgreSQL alike and must be
called inside ``append_only_triggers_lifted()``: the triggers refuse them
otherwise, which is itself tested.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from threshold.audit.chain import GENESIS_HASH, canonical_content, compute_hash, event_fields
from threshold.audit.models import AuditEvent

TABLE = "audit_auditevent"
JSON_COLUMNS = frozenset({"changes", "excluded_fields", "details"})
# Far above any test trail and within the column's CHECK (sequence >= 0): a
# parking place while sequences move, since UNIQUE is checked row by row.
PARKING = 10**12

# The columns an INSERT must give; ``id`` comes from the table's own sequence.
COPIED_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "record_type",
    "record_id",
    "request_id",
    "source_ip",
    "changes",
    "excluded_fields",
    "details",
    "previous_hash",
    "content_hash",
)

Hasher = Callable[[AuditEvent], str]

triggers_migration: Any = importlib.import_module("threshold.audit.migrations.0002_append_only_triggers")
index_migration: Any = importlib.import_module("threshold.audit.migrations.0003_record_index")
INDEX_TABLE = "audit_auditrecordref"


class _RawSchemaEditor:
    """Just enough of a schema editor to run the migration's functions inside a test transaction.

    Django's SQLite schema editor cannot be opened inside a transaction, and
    every test runs inside one.
    """

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def create_triggers() -> None:
    """Run the migrations' forward functions (the events' triggers and the record index's)."""
    fire_deferred_checks()
    triggers_migration.create_triggers(None, _RawSchemaEditor())
    index_migration.create_triggers(None, _RawSchemaEditor())


def drop_triggers() -> None:
    """Run the migrations' reverse functions."""
    fire_deferred_checks()
    triggers_migration.drop_triggers(None, _RawSchemaEditor())
    index_migration.drop_triggers(None, _RawSchemaEditor())


def fire_deferred_checks() -> None:
    """Run the foreign-key checks PostgreSQL has deferred to commit.

    PostgreSQL refuses to alter a table's triggers while checks on it are
    pending, and every test runs inside one long transaction. Elsewhere this
    is harmless.
    """
    if connection.vendor == "postgresql":
        connection.check_constraints()


def lift_append_only_triggers() -> None:
    """Switch the append-only triggers off, as a DBA could."""
    if connection.vendor == "postgresql":
        fire_deferred_checks()
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            cursor.execute(f"ALTER TABLE {INDEX_TABLE} DISABLE TRIGGER USER")
    else:
        drop_triggers()


def restore_append_only_triggers() -> None:
    """Switch the append-only triggers back on."""
    if connection.vendor == "postgresql":
        fire_deferred_checks()
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            cursor.execute(f"ALTER TABLE {INDEX_TABLE} ENABLE TRIGGER USER")
    else:
        create_triggers()


@contextmanager
def append_only_triggers_lifted() -> Iterator[None]:
    """Run the block with the triggers off, then put them back."""
    lift_append_only_triggers()
    try:
        yield
    finally:
        restore_append_only_triggers()


def clear_audit_trail() -> None:
    """Delete every event, as a DBA could, and leave the triggers in place.

    A transactional test ends with Django's flush, which the triggers refuse
    while the table holds events (and allow once it is empty). Call this
    first, from the test's teardown.
    """
    with transaction.atomic(), append_only_triggers_lifted():
        execute(f"DELETE FROM {INDEX_TABLE}")
        execute(f"DELETE FROM {TABLE}")


def execute(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    """Run one statement on the default database."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _placeholder(column: str) -> str:
    """A parameter placeholder with the cast PostgreSQL needs for the column's type."""
    if connection.vendor == "postgresql":
        if column in JSON_COLUMNS:
            return "CAST(%s AS jsonb)"
        if column == "source_ip":
            return "CAST(%s AS inet)"
    return "%s"


def _db_value(column: str, value: Any) -> Any:
    """Turn a Python value into what the column stores."""
    if column in JSON_COLUMNS:
        return json.dumps(value)
    if column == "occurred_at":
        return connection.ops.adapt_datetimefield_value(value)
    return value


def edit(sequence: int, column: str, value: Any) -> None:
    """Change one column of one event in place."""
    if column not in COPIED_COLUMNS:
        raise ValueError(f"not a column the tampering helpers edit: {column}")
    execute(
        f"UPDATE {TABLE} SET {column} = {_placeholder(column)} WHERE sequence = %s",
        [_db_value(column, value), sequence],
    )


def delete(sequence: int) -> None:
    """Remove one event."""
    execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [sequence])


def truncate_after(sequence: int, *, with_index: bool = True) -> None:
    """Remove every event after ``sequence``: the trail's tail disappears.

    A careful attacker removes the events' rows from the record index too
    (``with_index``); one who forgets is caught by the index alone.
    """
    execute(f"DELETE FROM {TABLE} WHERE sequence > %s", [sequence])
    if with_index:
        execute(f"DELETE FROM {INDEX_TABLE} WHERE sequence > %s", [sequence])


def swap(first: int, second: int) -> None:
    """Exchange the places of two events in the chain."""
    execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [PARKING, first])
    execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [first, second])
    execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [second, PARKING])


def shift_up_from(sequence: int) -> None:
    """Make room at ``sequence`` by moving it and every later event up by one."""
    execute(f"UPDATE {TABLE} SET sequence = sequence + %s WHERE sequence >= %s", [PARKING, sequence])
    execute(f"UPDATE {TABLE} SET sequence = sequence - %s WHERE sequence >= %s", [PARKING - 1, PARKING])


def shift_down_after(sequence: int) -> None:
    """Close a hole at ``sequence`` by moving every later event down by one."""
    execute(f"UPDATE {TABLE} SET sequence = sequence + %s WHERE sequence > %s", [PARKING, sequence])
    execute(f"UPDATE {TABLE} SET sequence = sequence - %s WHERE sequence >= %s", [PARKING + 1, PARKING])


def insert_forged(at: int, *, copy_of: int, hasher: Hasher) -> None:
    """Insert a copy of event ``copy_of`` at position ``at``, linked and hashed as well as the attacker can.

    ``copy_of`` is the event's sequence before the insertion. The forged event
    carries the real hash of the event before it and a content hash made by
    ``hasher``, so only the key stands between it and a valid chain.
    """
    shift_up_from(at)
    source = copy_of if copy_of < at else copy_of + 1
    columns = ", ".join(COPIED_COLUMNS)
    execute(
        f"INSERT INTO {TABLE} (sequence, {columns}) SELECT %s, {columns} FROM {TABLE} WHERE sequence = %s",
        [at, source],
    )
    rehash_from(at, hasher, only_one=True)


def rehash_from(sequence: int, hasher: Hasher, *, only_one: bool = False) -> None:
    """Relink and rehash events from ``sequence`` on with the attacker's ``hasher``.

    This is what someone who edited an event would do to hide it: recompute
    every later link so that each event points at the new hash of the last.
    """
    before = AuditEvent.objects.filter(sequence=sequence - 1).values_list("content_hash", flat=True).first()
    previous_hash = before or GENESIS_HASH
    events = AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence")
    for event in events[:1] if only_one else events:
        event.previous_hash = previous_hash
        previous_hash = hasher(event)
        execute(
            f"UPDATE {TABLE} SET previous_hash = %s, content_hash = %s WHERE id = %s",
            [event.previous_hash, previous_hash, event.pk],
        )


def plain_sha256(event: AuditEvent) -> str:
    """The attacker's best guess without the key: SHA-256 of the same canonical content."""
    return hashlib.sha256(canonical_content(event_fields(event)).encode("utf-8")).hexdigest()


def wrong_key_hmac(event: AuditEvent) -> str:
    """The attacker's other guess: the right algorithm under a key they made up."""
    return compute_hash(event, key=b"the key is not in the database")


def real_key_hmac(event: AuditEvent) -> str:
    """What only someone holding AUDIT_CHAIN_KEY could compute."""
    return compute_hash(event)
