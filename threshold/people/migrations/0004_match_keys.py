"""Match keys of the LADO records' adults (``people.AdultKey``), backfilled; trigram indexes on PostgreSQL (ADR 0030)."""

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "people_adultkey_key_trgm"


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere, both ways (Django's own backwards step asks every database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(apps, schema_editor):
    """On PostgreSQL, a GIN trigram index on the keys: a surname or employer within a likeness is a candidate."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON people_adultkey USING gin (key gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def backfill_keys(apps, schema_editor):
    """Write the keys of every contact and case already recorded, with the function the services use."""
    from threshold.people.record_keys import adult_keys

    AdultKey = apps.get_model("people", "AdultKey")
    batch = []
    for model_name in ("contact", "case"):
        model = apps.get_model("lado", model_name)
        for record in model.objects.select_related("subject").iterator(chunk_size=2000):
            name, born = record.adult_name, record.adult_date_of_birth
            name = name or record.subject.full_name
            born = born if born is not None else record.subject.date_of_birth
            keys = adult_keys(name=name, date_of_birth=born, employer_name=record.employer_name)
            batch.extend(AdultKey(**{model_name: record}, key=key) for key in sorted(keys))
            if len(batch) >= 5000:
                AdultKey.objects.bulk_create(batch)
                batch = []
    AdultKey.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('lado', '0012_list_indexes'),
        ('people', '0003_leaving_date'),
    ]

    operations = [
        migrations.CreateModel(
            name='AdultKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='adult_keys', to='lado.case')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='adult_keys', to='lado.contact')),
            ],
            options={
                'indexes': [models.Index(fields=['key', 'contact'], name='people_adultkey_contact_idx'), models.Index(fields=['key', 'case'], name='people_adultkey_case_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', True), ('contact__isnull', False)), models.Q(('case__isnull', False), ('contact__isnull', True)), _connector='OR'), name='people_adultkey_one_record')],
            },
        ),
        PostgresTrigramExtension(),
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(backfill_keys, migrations.RunPython.noop),
    ]
