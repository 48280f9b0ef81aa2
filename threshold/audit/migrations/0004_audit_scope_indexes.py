"""The audit pages' indexes, the record-organisation column, the record index's marks and verify's checkpoints.

- ``record_organisation``: a read's ``details.record_organisation`` when the reader acted for another
  organisation, as a column, so an organisation's auditors find reads of its records with an index instead of a
  JSON search (issue 15). Filled here for the events already in the trail, with the append-only trigger on
  updates lifted for that one statement and put back as migration 0002 wrote it. Not hashed: ``audit verify``
  checks it against ``details`` (``threshold.audit.index.scope_organisation``).
- Indexes for the audit pages' walks: an organisation's events newest first, by action and by person, and the
  list events after a sequence (``threshold.audit.selectors``, ``threshold.audit.index``).
- ``RecordIndexMark`` (ADR 0031): list events are indexed after the response; the first mark says the events
  already in the trail are indexed (``audit_record`` indexed them as it wrote them).
- ``VerifyCheckpoint``: how far ``audit verify`` has verified, so a nightly run starts from there.

The SQL is written out here so the migration keeps doing what it did when first applied.
"""

from django.db import migrations, models
from django.utils import timezone

SQLITE_BACKFILL = (
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    """
    UPDATE audit_auditevent
    SET record_organisation = json_extract(details, '$.record_organisation')
    WHERE json_type(details, '$.record_organisation') = 'integer'
      AND json_extract(details, '$.record_organisation') IS NOT organisation_id
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END
    """,
)

# The cast sits inside CASE: PostgreSQL may test a WHERE clause's conditions in any order.
POSTGRESQL_BACKFILL = (
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update_or_delete",
    """
    UPDATE audit_auditevent
    SET record_organisation = CAST(details ->> 'record_organisation' AS bigint)
    WHERE jsonb_typeof(details -> 'record_organisation') = 'number'
      AND CASE
            WHEN (details ->> 'record_organisation') ~ '^-?[0-9]{1,18}$'
            THEN CAST(details ->> 'record_organisation' AS bigint) IS DISTINCT FROM organisation_id
            ELSE false
          END
    """,
    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update_or_delete",
)


def fill_record_organisation(apps, schema_editor) -> None:
    """Copy a read's record organisation out of ``details`` for the events already in the trail."""
    statements = {"sqlite": SQLITE_BACKFILL, "postgresql": POSTGRESQL_BACKFILL}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"Threshold supports SQLite and PostgreSQL only, not {schema_editor.connection.vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def mark_indexed(apps, schema_editor) -> None:
    """The events already in the trail have their index rows: the first mark is at the head."""
    head = apps.get_model("audit", "AuditEvent").objects.aggregate(head=models.Max("sequence"))["head"]
    if head:
        apps.get_model("audit", "RecordIndexMark").objects.create(sequence=head, marked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_record_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordIndexMark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField(db_index=True)),
                ("marked_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["sequence"],
            },
        ),
        migrations.CreateModel(
            name="VerifyCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField(db_index=True)),
                ("content_hash", models.CharField(max_length=64)),
                ("count", models.PositiveBigIntegerField()),
                ("verified_at", models.DateTimeField()),
                ("full", models.BooleanField(default=False)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["sequence"],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="record_organisation",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill_record_organisation, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "sequence"], name="audit_org_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "action", "sequence"], name="audit_org_action_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "actor", "sequence"], name="audit_org_actor_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("record_organisation__isnull", False)),
                fields=["record_organisation", "sequence"],
                name="audit_rorg_seq_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("record_organisation__isnull", False)),
                fields=["record_organisation", "action", "sequence"],
                name="audit_rorg_action_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("record_organisation__isnull", False)),
                fields=["record_organisation", "actor", "sequence"],
                name="audit_rorg_actor_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["action", "sequence"], name="audit_action_seq_idx"),
        ),
        migrations.RunPython(mark_indexed, migrations.RunPython.noop, elidable=False),
    ]
