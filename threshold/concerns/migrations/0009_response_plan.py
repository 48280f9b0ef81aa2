"""Issue 13: the response matrix as a plan on the low-level record (meeting, advice, formal plan, monitor, review)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("concerns", "0008_concern_reference_unique")]

    operations = [
        migrations.AddField(
            model_name="lowlevelrecord",
            name="matrix_column",
            field=models.CharField(
                blank=True,
                choices=[
                    ("accidental", "Accidental (generally the first incident)"),
                    ("neglectful", "Neglectful (a further incident)"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="lowlevelrecord", name="met_individual_on", field=models.DateField(blank=True, null=True)
        ),
        migrations.AddField(model_name="lowlevelrecord", name="advice_given", field=models.TextField(blank=True)),
        migrations.AddField(model_name="lowlevelrecord", name="formal_plan", field=models.TextField(blank=True)),
        migrations.AddField(
            model_name="lowlevelrecord", name="monitor_until", field=models.DateField(blank=True, null=True)
        ),
        migrations.AddField(model_name="lowlevelrecord", name="review_on", field=models.DateField(blank=True, null=True)),
    ]
