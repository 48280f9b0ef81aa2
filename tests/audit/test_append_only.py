"""Audit events are written only with an actor and are never changed: not by the ORM, not by raw SQL.

The application refuses first (model and queryset), the database second
(triggers on both engines), and on PostgreSQL the restricted application role
documented in docs/audit.md has no right to change the table at all.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from tests.audit import tampering
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit.context import Actor, AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record
from threshold.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL feature")


def refused_by_database(sql: str, params: list[object] | None = None) -> DatabaseError:
    """Run ``sql``, expecting the database to refuse it; keep the test's transaction usable."""
    # Otherwise PostgreSQL refuses TRUNCATE for a duller reason: checks still pending.
    tampering.fire_deferred_checks()
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():
        tampering.execute(sql, params or [])
    return refusal.value


def test_audit_record_refuses_to_write_without_a_context(db: None) -> None:
    with pytest.raises(ValueError, match="needs an audit context"):
        audit_record(context=None, action="case.viewed")  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_a_system_actor_must_name_its_job(db: None) -> None:
    with pytest.raises(ValueError, match="name of its job"):
        Actor.system("")


def test_audit_record_refuses_to_write_without_an_action(db: None) -> None:
    with pytest.raises(ValueError, match="needs an action"):
        audit_record(context=AuditContext.system("reminders"), action="")
    assert not AuditEvent.objects.exists()


def test_the_orm_refuses_to_change_or_delete_an_event(trail: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(sequence=5)
    event.action = "case.closed"
    with pytest.raises(PermissionError, match="append-only"):
        event.save()
    with pytest.raises(PermissionError, match="append-only"):
        event.delete()
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.filter(sequence=5).update(action="case.closed")
    # bulk_update opens a transaction of its own; keep its failure inside a savepoint.
    with pytest.raises(PermissionError, match="append-only"), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(sequence=5).action == trail[4].action
    assert verify_chain().ok


def test_the_database_refuses_a_raw_update(trail: list[AuditEvent]) -> None:
    refusal = refused_by_database("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["x", 5])
    assert "append-only" in str(refusal)
    assert AuditEvent.objects.get(sequence=5).action == trail[4].action


def test_the_database_refuses_a_raw_delete(trail: list[AuditEvent]) -> None:
    assert "append-only" in str(refused_by_database("DELETE FROM audit_auditevent WHERE sequence = %s", [5]))
    assert "append-only" in str(refused_by_database("DELETE FROM audit_auditevent"))
    assert AuditEvent.objects.count() == len(trail)
    assert verify_chain().ok


@postgresql_only
def test_postgresql_refuses_to_truncate_the_table(trail: list[AuditEvent]) -> None:
    refusal = refused_by_database("TRUNCATE audit_auditevent")
    assert "append-only" in str(refusal)
    assert AuditEvent.objects.count() == len(trail)


def test_the_database_still_accepts_new_events(trail: list[AuditEvent]) -> None:
    audit_record(context=AuditContext.system("reminders"), action="timescale.reminder_sent")
    assert verify_chain().count == len(trail) + 1


def test_the_triggers_come_back_after_being_lifted(trail: list[AuditEvent]) -> None:
    with append_only_triggers_lifted():
        tampering.edit(5, "action", "case.closed")
    assert "append-only" in str(refused_by_database("DELETE FROM audit_auditevent"))


def test_the_migration_removes_the_triggers_when_reversed_and_restores_them(trail: list[AuditEvent]) -> None:
    tampering.drop_triggers()
    tampering.edit(5, "action", "case.closed")  # no longer refused
    tampering.create_triggers()
    assert "append-only" in str(refused_by_database("DELETE FROM audit_auditevent"))


def test_models_and_migrations_of_the_audit_app_agree(db: None) -> None:
    # makemigrations --check exits 1 if a model change has no migration.
    call_command("makemigrations", "audit", check=True, dry_run=True, verbosity=0)


def documented_grants() -> list[str]:
    """The SQL docs/audit.md tells an owner to run after every migration, one statement each."""
    text = (Path(settings.BASE_DIR) / "docs" / "audit.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- application-role-grants -->\s*```sql\n(.*?)```", text, re.DOTALL)
    assert match, "docs/audit.md has lost its application-role-grants block"
    without_comments = re.sub(r"--[^\n]*", "", match.group(1))
    return [statement.strip() for statement in without_comments.split(";") if statement.strip()]


@postgresql_only
def test_the_documented_application_role_can_append_and_read_events_but_never_change_them(
    trail: list[AuditEvent],
) -> None:
    # CREATE ROLE is transactional in PostgreSQL, so the role vanishes when the
    # test's transaction rolls back. A random name keeps parallel runs apart.
    role = f"threshold_app_{uuid.uuid4().hex[:12]}"
    tampering.execute(f"CREATE ROLE {role} NOLOGIN")
    for statement in documented_grants():
        tampering.execute(re.sub(r"\bthreshold_app\b", role, statement))
    tampering.execute(f"SET ROLE {role}")
    try:
        audit_record(context=AuditContext.system("reminders"), action="timescale.reminder_sent")
        assert verify_chain().count == len(trail) + 1
        for sql in (
            "UPDATE audit_auditevent SET action = 'x' WHERE sequence = 5",
            "DELETE FROM audit_auditevent WHERE sequence = 5",
            "TRUNCATE audit_auditevent",
        ):
            assert "permission denied" in str(refused_by_database(sql))
        # Nor can it switch the triggers off: only the table's owner may.
        assert "must be owner" in str(refused_by_database("ALTER TABLE audit_auditevent DISABLE TRIGGER USER"))
    finally:
        tampering.execute("RESET ROLE")


def test_the_database_lets_an_already_empty_table_be_emptied_as_a_flush_does(trail: list[AuditEvent]) -> None:
    # What Django's flush runs for the table: TRUNCATE on PostgreSQL, DELETE FROM on SQLite.
    flush = connection.ops.sql_flush(no_style(), ["audit_auditevent"])
    assert "append-only" in str(refused_by_database(flush[0]))  # while it holds events
    tampering.clear_audit_trail()
    tampering.fire_deferred_checks()
    for statement in flush:
        tampering.execute(statement)
    assert not AuditEvent.objects.exists()
