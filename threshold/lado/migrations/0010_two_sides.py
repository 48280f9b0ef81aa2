"""Issue 13 (E): two sides of one matter.

The LADO's answer to the employer's outcome (``EmployerOutcomeResponse``: the
outcome is "agreed with the LADO" only when the LADO agrees) and the decision
letters issued to referrers outside Threshold (``DecisionLetter``, ADR 0026).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lado", "0009_employer_timeliness"),
        ("allegations", "0010_confidentiality_agency"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DecisionLetter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("printed", "Printed, to give or post to the referrer"),
                            ("email", "Email the referrer that a letter is ready (the email does not contain it)"),
                        ],
                        max_length=16,
                    ),
                ),
                ("sent_to", models.EmailField(blank=True, max_length=254)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="decision_letters", to="lado.contact"
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="lado.decision"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"ordering": ["-recorded_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="EmployerOutcomeResponse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("agreed", models.BooleanField()),
                ("reason", models.TextField(blank=True)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employer_outcome_responses",
                        to="lado.contact",
                    ),
                ),
                (
                    "outcome",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lado_responses",
                        to="allegations.outcomerecord",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"ordering": ["-recorded_at", "-pk"]},
        ),
    ]
