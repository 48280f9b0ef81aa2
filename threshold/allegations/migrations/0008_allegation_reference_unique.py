"""Every allegation now has a reference: make it required, unique and drawn at random for new rows (ADR 0017)."""

from django.db import migrations, models

import threshold.core.references


class Migration(migrations.Migration):

    dependencies = [
        ('allegations', '0007_allegation_reference'),
    ]

    operations = [
        migrations.AlterField(
            model_name='allegation',
            name='reference',
            field=models.CharField(
                default=threshold.core.references.new_allegation_reference, editable=False, max_length=24, unique=True
            ),
        ),
    ]
