"""Every contact and case now has a random reference: make both required and unique (ADR 0017)."""

from django.db import migrations, models

import threshold.core.references


class Migration(migrations.Migration):

    dependencies = [
        ('lado', '0004_contact_case_references'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contact',
            name='reference',
            field=models.CharField(
                default=threshold.core.references.new_contact_reference, editable=False, max_length=24, unique=True
            ),
        ),
        migrations.AlterField(
            model_name='case',
            name='reference',
            field=models.CharField(
                default=threshold.core.references.new_case_reference, editable=False, max_length=24, unique=True
            ),
        ),
    ]
