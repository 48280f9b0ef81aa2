"""Chronology entries. Protected: they are read only alongside a record fetched through ``threshold.access``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class EntryKind(models.TextChoices):
    """Where an entry came from."""

    EVENT = "event", "Recorded by Threshold"
    MANUAL = "manual", "Added by hand"
    CORRECTION = "correction", "Correction"


class ChronologyEntry(models.Model):
    """One line of a record's chronology.

    Entries are never edited or deleted: a correction is a new entry that
    points at the one it corrects (``corrects``), and both stay visible.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(
        "concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology"
    )
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology"
    )
    case = models.ForeignKey("lado.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    occurred_at = models.DateTimeField(help_text="When it happened (for a manual entry, as the author says).")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(concern__isnull=False, allegation__isnull=True, case__isnull=True)
                    | models.Q(concern__isnull=True, allegation__isnull=False, case__isnull=True)
                    | models.Q(concern__isnull=True, allegation__isnull=True, case__isnull=False)
                ),
                name="chronology_entry_belongs_to_exactly_one_record",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="correction", corrects__isnull=False)
                | (~models.Q(kind="correction") & models.Q(corrects__isnull=True)),
                name="chronology_only_corrections_point_at_an_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Chronology entry {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; never change an entry."""
        if self.pk is not None:
            raise PermissionError("Chronology entries are never edited: add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: the chronology keeps everything."""
        raise PermissionError("Chronology entries are never deleted.")
