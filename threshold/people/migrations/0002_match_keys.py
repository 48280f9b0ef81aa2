"""Match keys for subject exclusion (ADR 0018): keys per person, clearances, the recorder's statement; backfilled."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def backfill_keys(apps, schema_editor):
    """Write the keys of every person already recorded, with the same function the model uses."""
    from threshold.core.names import record_keys, without_hidden_characters

    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    batch = []
    for person in Person.objects.all().iterator():
        cleaned = without_hidden_characters(person.full_name).strip()
        if cleaned != person.full_name:
            Person.objects.filter(pk=person.pk).update(full_name=cleaned)
        for key in sorted(record_keys(name=cleaned, email=person.email)):
            batch.append(PersonKey(person_id=person.pk, key=key))
        if len(batch) > 5000:
            PersonKey.objects.bulk_create(batch)
            batch = []
    PersonKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="not_a_member_confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="not_a_member_confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="PersonKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=120)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="match_keys", to="people.person"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["key", "person"], name="people_key_person_idx")],
                "constraints": [models.UniqueConstraint(fields=("person", "key"), name="people_person_key_unique")],
            },
        ),
        migrations.CreateModel(
            name="SubjectClearance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField()),
                ("cleared_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "cleared_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="clearances", to="people.person"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("person", "user"), name="people_clearance_unique")],
            },
        ),
        migrations.RunPython(backfill_keys, migrations.RunPython.noop),
    ]
