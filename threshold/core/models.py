"""Model bases every record app shares, and the one table core keeps: forms' one-time submission tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Immutable(models.Model):
    """A history row, written once by a service and never changed or deleted (ADR 0009).

    The case manager's steps, a LADO decision, a risk measure, a meeting
    update: each records who and when, and recording again adds a row that
    supersedes this one, so the history of the record stays whole.
    """

    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; a later record supersedes this one."""
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Case records are never edited: record again to supersede.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: the case history keeps everything."""
        raise PermissionError("Case records are never deleted.")


class Submission(models.Model):
    """One use of a form's one-time submission token (ADR 0021), so a repeated POST runs once.

    ``key`` is a digest of who sent it (their account, or the session of a
    signed-out visitor) and the token, so no row names a person: it cannot be
    tied to anyone without the token, which only the sender's form held. The
    day, not the time, is kept (ADR 0012: a time next to the sender's other
    events could name an anonymous reporter); rows go after a day.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Being sent"
        DONE = "done", "Saved"

    key = models.CharField(primary_key=True, max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices)
    # Where the first answer sent the browser: a path of record tokens, never a name.
    location = models.TextField(blank=True)
    created_on = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"submission {self.status} on {self.created_on}"
