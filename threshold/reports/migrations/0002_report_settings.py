"""Reports: report settings, an authority's threshold below which counts leaving the service are suppressed."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = False
    dependencies = [
        ("reports", "0001_initial"),
        ("accounts", "0005_notificationpreference"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "suppress_below",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Counts below this number are suppressed in reports that leave the service (blank: none are).",
                        null=True,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_settings",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "report settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("suppress_below__isnull", True), ("suppress_below__gte", 2), _connector="OR"),
                        name="report_settings_suppress_below_at_least_two",
                    )
                ],
            },
        ),
    ]
