"""Issue 13 (C1): the date a person left or retired, recorded once per person (policy section 13.4).

The values low-level concern records held of their own are copied onto their person by
``concerns.0011_leaving_date_to_people``, which then removes the per-record field.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0002_match_keys")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="left_employment_on",
            field=models.DateField(
                blank=True,
                help_text="The day the adult left the organisation or retired; retention of low-level records counts"
                " from it.",
                null=True,
                verbose_name="date they left or retired",
            ),
        ),
    ]
