"""Allegations get a random ``ALG-…`` reference instead of one derived from the id (ADR 0017).

The field is added empty, every existing allegation is given a reference, and
0008 makes it required and unique (a separate migration, so PostgreSQL never
alters a table it has just updated in the same transaction).
"""

from django.db import migrations, models

from threshold.core.references import ALLEGATION, fill_references


def backfill(apps, schema_editor):
    """Give every existing allegation a random reference."""
    fill_references(apps.get_model("allegations", "Allegation"), ALLEGATION)


class Migration(migrations.Migration):

    dependencies = [
        ('allegations', '0006_step_routes_follow_ups_agency_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='allegation',
            name='reference',
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
