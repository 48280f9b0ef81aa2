"""LADO contacts get a random ``CT-…`` reference and cases a random ``LADO-…`` one (ADR 0017).

Contacts had ``C-<id>``, the same format as a school's concern; cases had
``LADO-<year>-<id>``. Both counted records. The contact's field is added
empty, every contact is given a reference, and every case's sequential
reference is replaced; 0005 makes both required and unique (a separate
migration, so PostgreSQL never alters a table it has just updated in the same
transaction).
"""

from django.db import migrations, models

from threshold.core.references import LADO_CASE, LADO_CONTACT, fill_references


def backfill(apps, schema_editor):
    """Give every contact a random reference, and every case a random one in place of its sequential one."""
    fill_references(apps.get_model("lado", "Contact"), LADO_CONTACT)
    fill_references(apps.get_model("lado", "Case"), LADO_CASE, replace_existing=True)


class Migration(migrations.Migration):

    dependencies = [
        ('lado', '0003_risk_label'),
    ]

    operations = [
        migrations.AddField(
            model_name='contact',
            name='reference',
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
        migrations.AlterField(
            model_name='case',
            name='reference',
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
