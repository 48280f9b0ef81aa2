"""Concerns brought in from a setting's earlier log are marked, and may not say how they arose (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("concerns", "0013_list_indexes")]

    operations = [
        migrations.AddField(model_name="concern", name="imported", field=models.BooleanField(default=False)),
        migrations.AlterField(
            model_name="concerndetails",
            name="how_arose",
            field=models.CharField(
                choices=[
                    ("suspicion", "A suspicion"),
                    ("complaint", "A complaint"),
                    ("disclosure_child", "A disclosure by a child"),
                    ("disclosure_parent", "A disclosure by a parent or carer"),
                    ("disclosure_adult", "A disclosure by another adult"),
                    ("vetting", "Pre-employment vetting checks"),
                    ("not_recorded", "Not recorded in the setting's earlier records"),
                ],
                max_length=24,
            ),
        ),
    ]
