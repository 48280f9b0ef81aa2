"""Issue 13 (B2): the employer-side records the trust's policy asks for.

Confidentiality agreed and the press office (section 7), the personnel file after a malicious or false
outcome (section 8), "reviewed, no lessons" (section 11), and the supply agency's HR manager, the
invitations and updates sent to them and the agency's reply (appendix 4).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Six new history rows on the allegation."""

    dependencies = [
        ("allegations", "0009_triage_facts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AgencyHrManager",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("name", models.CharField(max_length=200)),
                ("email", models.EmailField(max_length=254)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agency_hr_managers",
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
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="AgencyLiaison",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("invitation", "Invitation to a meeting"),
                            ("update", "Update on policies and processes"),
                        ],
                        max_length=16,
                    ),
                ),
                ("sent_on", models.DateField()),
                ("about", models.CharField(max_length=300)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agency_liaisons",
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
                "ordering": ["sent_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="AgencyReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("outcome_received_on", models.DateField(blank=True, null=True)),
                ("outcome_notes", models.TextField(blank=True)),
                ("reference_received_on", models.DateField(blank=True, null=True)),
                ("reference_notes", models.TextField(blank=True)),
                ("assurances_received_on", models.DateField(blank=True, null=True)),
                ("assurances_notes", models.TextField(blank=True)),
                ("letter_of_comfort_updated_on", models.DateField(blank=True, null=True)),
                ("letter_of_comfort_notes", models.TextField(blank=True)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agency_replies",
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
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ConfidentialityRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("agreed_on", models.DateField()),
                ("agreed_with", models.JSONField(default=list, help_text="Each a ``Consulted`` value.")),
                ("who_needs_to_know", models.TextField()),
                ("what_may_be_shared", models.TextField()),
                (
                    "speculation",
                    models.TextField(blank=True, verbose_name="how speculation, leaks and gossip are managed"),
                ),
                ("press_office_contacted_on", models.DateField(blank=True, null=True)),
                ("press_office_not_contacted_reason", models.TextField(blank=True)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="confidentiality_records",
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
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="LessonsReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reviewed_on", models.DateField()),
                ("reviewed_with", models.CharField(max_length=200)),
                ("notes", models.TextField(blank=True)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lessons_reviews",
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
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PersonnelFileDecision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "choice",
                    models.CharField(
                        choices=[
                            ("archived", "Removed and archived from the personnel file"),
                            ("consented", "The individual consents to the records being kept on the file"),
                        ],
                        max_length=16,
                    ),
                ),
                ("decided_on", models.DateField()),
                ("done_by", models.CharField(blank=True, max_length=200)),
                ("notes", models.TextField(blank=True)),
                (
                    "allegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="personnel_file_decisions",
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
                "ordering": ["recorded_at", "pk"],
            },
        ),
    ]
