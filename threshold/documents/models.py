"""Document metadata; the files themselves live outside the web root under generated names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Document(models.Model):
    """A file attached to exactly one protected record; who may see it follows that record."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="documents")
    concern = models.ForeignKey(
        "concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    case = models.ForeignKey("lado.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    meeting = models.ForeignKey(
        "lado.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(concern__isnull=False, allegation__isnull=True, case__isnull=True, meeting__isnull=True)
                    | models.Q(concern__isnull=True, allegation__isnull=False, case__isnull=True, meeting__isnull=True)
                    | models.Q(concern__isnull=True, allegation__isnull=True, case__isnull=False, meeting__isnull=True)
                    | models.Q(concern__isnull=True, allegation__isnull=True, case__isnull=True, meeting__isnull=False)
                ),
                name="documents_attached_to_exactly_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"Document {self.pk}"
