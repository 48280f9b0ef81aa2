"""Make the audit table append-only inside the database, not only in the application.

The model and its queryset already refuse updates and deletes, but raw SQL, a
database console or a bug in another program would not go through them. These
triggers refuse UPDATE and DELETE on ``audit_auditevent`` (and TRUNCATE of a
non-empty table on PostgreSQL) for everyone, including the table's owner,
unless a DBA first disables or drops them on purpose. That is why the hash
chain and off-database checkpoints still matter (docs/audit.md).

The SQL is written out here rather than imported from application code, so the
migration keeps doing exactly what it did when it was first applied.

On SQLite, Django rebuilds a table (create, copy, drop, rename) for many schema
changes, and dropping the old table drops its triggers. A later migration that
alters ``AuditEvent`` must re-create them; ``tests/audit`` fails if it does not.
"""

from __future__ import annotations

from django.db import migrations

POSTGRESQL_CREATE = (
    # TRUNCATE of an empty table is let through (a BEFORE statement trigger
    # that returns lets the statement proceed): it loses nothing, and Django's
    # flush, which ends every transactional test, truncates all tables at once.
    # TRUNCATE locks the table before its triggers run, so nothing can be
    # appended between this check and the truncation. The table is named from
    # the trigger's own arguments, not looked up by name, so a temporary table
    # of the same name cannot stand in for it.
    """
    CREATE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        has_events boolean;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO has_events;
            IF NOT has_events THEN
                RETURN NULL;
            END IF;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % on audit_auditevent refused', TG_OP;
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
    # Row triggers do not fire for TRUNCATE, which empties the table without
    # visiting its rows, so it needs a statement-level trigger of its own.
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
)

POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_or_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
)

# SQLite has no TRUNCATE: "DELETE FROM t" with no WHERE clause fires the
# DELETE trigger for each row (SQLite skips its truncate shortcut when a table
# has triggers), so, as on PostgreSQL, only emptying an empty table succeeds.
SQLITE_CREATE = (
    """
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END
    """,
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
)

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def _statements_for(schema_editor, index: int) -> tuple[str, ...]:
    """Return the create (0) or drop (1) statements for this database, or refuse an unknown one."""
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        # Failing loudly beats silently running without the database-level guard.
        raise RuntimeError(f"Threshold supports SQLite and PostgreSQL only, not {vendor}.")
    return STATEMENTS[vendor][index]


def create_triggers(apps, schema_editor) -> None:
    """Create the triggers that refuse UPDATE, DELETE and TRUNCATE on the audit table."""
    for statement in _statements_for(schema_editor, 0):
        # params=None: the PostgreSQL function body contains a literal "%".
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:
    """Drop the triggers again (reverse migration)."""
    for statement in _statements_for(schema_editor, 1):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    """Add the append-only triggers to ``audit_auditevent``."""

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
