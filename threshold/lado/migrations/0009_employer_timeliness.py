"""Issue 13 (D2): the employer's one-working-day duty and the teacher fact on a contact; regulated activity.

Contacts that came from an employer's referral in Threshold take when the
employer first knew, and whether the adult is a teacher, from their allegation,
as new referrals do (``lado.services.employer_timeliness``).
"""

from typing import Any

from django.db import migrations, models
from django.utils import timezone


def from_allegations(apps: Any, schema_editor: Any) -> None:
    """Contacts from a referral in Threshold: the allegation's date it came to attention and its teacher answer."""
    Contact = apps.get_model("lado", "Contact")
    for contact in Contact.objects.filter(allegation__isnull=False).select_related("allegation"):
        allegation = contact.allegation
        contact.employer_knew_on = allegation.came_to_attention_on or timezone.localdate(allegation.created_at)
        contact.subject_is_teacher = allegation.subject_is_teacher
        contact.save(update_fields=["employer_knew_on", "subject_is_teacher"])


class Migration(migrations.Migration):
    dependencies = [("lado", "0008_case_management"), ("allegations", "0005_pack_digest_length")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="contact",
            name="employer_knew_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="employer_knew_not_known",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="contact",
            name="subject_is_teacher",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conclusion",
            name="regulated_activity",
            field=models.CharField(
                blank=True,
                choices=[
                    ("removed", "Yes: dismissed or otherwise removed from work with children"),
                    ("would_have_been", "They would have been, but they left or resigned first"),
                    ("left", "They left or resigned before the case concluded"),
                    ("not_removed", "No: they were not removed and have not left"),
                    ("not_known", "Not known"),
                ],
                max_length=24,
            ),
        ),
        migrations.RunPython(from_allegations, migrations.RunPython.noop),
    ]
