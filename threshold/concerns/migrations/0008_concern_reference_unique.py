"""Every concern now has a reference: make it required, unique and drawn at random for new rows (ADR 0017)."""

from django.db import migrations, models

import threshold.core.references


class Migration(migrations.Migration):

    dependencies = [
        ('concerns', '0007_concern_reference'),
    ]

    operations = [
        migrations.AlterField(
            model_name='concern',
            name='reference',
            field=models.CharField(
                default=threshold.core.references.new_concern_reference, editable=False, max_length=24, unique=True
            ),
        ),
    ]
