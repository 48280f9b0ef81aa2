"""Issue 13 (C2): the headteacher's sign-off of a DSL's decision, and low-level concerns shared with HR."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0009_response_plan"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="HeadSignOff",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("triage", "The decision on the concern"), ("closure", "Closing the concern")],
                        max_length=16,
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("low_level", "Low-level concern"),
                            ("allegation", "Allegation (meets the harm threshold)"),
                            ("appropriate", "Appropriate conduct"),
                        ],
                        max_length=16,
                    ),
                ),
                ("proposal", models.JSONField(blank=True, default=dict)),
                ("closure_reason", models.TextField(blank=True)),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("awaiting", "Awaiting the headteacher's sign-off"),
                            ("agreed", "Signed off"),
                            ("sent_back", "Sent back"),
                        ],
                        default="awaiting",
                        max_length=16,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                (
                    "concern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="sign_offs", to="concerns.concern"
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["requested_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "awaiting")),
                        fields=("concern",),
                        name="concerns_one_sign_off_awaiting",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ConcernHrShare",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("question", models.TextField()),
                ("shared_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "concern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="hr_shares", to="concerns.concern"
                    ),
                ),
                (
                    "shared_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["shared_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("concern", "user"), name="concerns_one_hr_share_per_partner")
                ],
            },
        ),
    ]
