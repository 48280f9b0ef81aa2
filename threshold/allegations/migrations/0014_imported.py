"""Allegations brought in from a setting's earlier records are marked (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("allegations", "0013_referral_by_allegation_and_authority")]

    operations = [
        migrations.AddField(model_name="allegation", name="imported", field=models.BooleanField(default=False)),
    ]
