"""Tier 3's "Tell the adult the outcome" is asked of outcomes recorded from now on, not of those already recorded.

The outcomes already recorded could not have met it (a progress update after the outcome was refused until this
release), so they are added with ``False``; the field's default for new outcomes is ``True``.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("allegations", "0018_risk_assessment_discussed"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomerecord",
            name="adult_told_asked",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="outcomerecord",
            name="adult_told_asked",
            field=models.BooleanField(default=True),
        ),
    ]
