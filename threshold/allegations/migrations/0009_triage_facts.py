"""Issue 13 (B1): the advice follows the allegation.

The date the adult left the setting (the engine's ``left_employment_on``: appendix 4, "a supply worker who is no
longer teaching"), and step 9's log of contacts with the parents or carers, each kept (``ParentUpdate``).

An allegation already opened from a triage that answered "Is the adult a teacher? Yes", and never changed since
(version 1), starts from that answer as new ones do (``services.allegation.starting_values``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def carry_triage_answers(apps, schema_editor):
    """Allegations opened before triage answers carried over: a teacher at triage is a teacher here too."""
    allegation = apps.get_model("allegations", "Allegation")
    triage = apps.get_model("concerns", "Triage")
    for row in triage.objects.filter(allegation__isnull=False).only("allegation_id", "facts"):
        if isinstance(row.facts, dict) and row.facts.get("subject_is_teacher") is True:
            allegation.objects.filter(pk=row.allegation_id, version=1).update(subject_is_teacher=True)


class Migration(migrations.Migration):
    """One new fact on the allegation, one new history row, and the triage's teacher answer carried over."""

    dependencies = [
        ("allegations", "0008_allegation_reference_unique"),
        ("concerns", "0006_escalation_close_reroute_raised_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="allegation",
            name="left_employment_on",
            field=models.DateField(
                blank=True,
                help_text="When the adult's employment or placement at the setting ended; empty while they still"
                " work there.",
                null=True,
                verbose_name="date the adult left",
            ),
        ),
        migrations.CreateModel(
            name="ParentUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("given_on", models.DateField(verbose_name="date of the contact")),
                ("informed", models.CharField(max_length=200, verbose_name="who was informed")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("in_person", "In person or at a meeting"),
                            ("phone", "By phone"),
                            ("letter", "By letter"),
                            ("email", "By email"),
                            ("other", "Another way"),
                        ],
                        max_length=16,
                        verbose_name="how they were informed",
                    ),
                ),
                ("note", models.TextField(verbose_name="what they were told about the progress of the case")),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="parent_updates",
                        to="allegations.allegation",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["given_on", "pk"],
            },
        ),
        migrations.RunPython(carry_triage_answers, migrations.RunPython.noop),
    ]
