"""Concerns get a random ``CON-…`` reference instead of one derived from the id (ADR 0017).

The field is added empty, every existing concern is given a reference, and
0008 makes it required and unique (a separate migration, so PostgreSQL never
alters a table it has just updated in the same transaction).
"""

from django.db import migrations, models

from threshold.core.references import CONCERN, fill_references


def backfill(apps, schema_editor):
    """Give every existing concern a random reference."""
    fill_references(apps.get_model("concerns", "Concern"), CONCERN)


class Migration(migrations.Migration):

    dependencies = [
        ('concerns', '0006_escalation_close_reroute_raised_by'),
    ]

    operations = [
        migrations.AddField(
            model_name='concern',
            name='reference',
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
