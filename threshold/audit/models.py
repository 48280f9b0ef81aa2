"""The audit event table: one row per event, each linked to the last by a hash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes: the trail is append-only."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: audit events are never changed."""
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are never deleted."""
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing that happened: who, as which organisation, did what to which record, when.

    ``content_hash`` covers every other column and ``previous_hash``, so editing,
    deleting, inserting or reordering rows behind the application's back breaks
    the chain, and ``python manage.py audit verify`` names the first bad event.
    Written only by ``threshold.audit.services.audit_record``.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "user:<id>", "system:<job>" or "anonymous" (a failed sign-in has no user).
    actor_label = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=80, db_index=True)
    record_type = models.CharField(max_length=60, blank=True, default="")
    record_id = models.CharField(max_length=64, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    excluded_fields = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="audit_record_idx"),
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
        ]

    def __str__(self) -> str:
        return f"Audit event {self.sequence}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; never update an existing event."""
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are never deleted."""
        raise PermissionError("Audit events are append-only.")


class AuditRecordRef(models.Model):
    """One record an audit event names, so "who has looked at this record?" finds lists and searches too.

    A list, search or export event names many records in its ``details``; a
    JSON search there is not portable between SQLite and PostgreSQL, so
    ``audit_record`` writes one row here per (record type, id) an event names,
    in the same transaction. Append-only like the events (the same triggers),
    and derived from them: ``audit verify`` recomputes every event's rows and
    names the first event whose index was changed.
    """

    # The event's sequence, not a foreign key: tampering with the events must
    # stay possible to detect, not be blocked by a constraint that hides it.
    sequence = models.PositiveBigIntegerField()
    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence", "record_type", "record_id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="audit_ref_record_idx"),
            models.Index(fields=["sequence"], name="audit_ref_sequence_idx"),
        ]

    def __str__(self) -> str:
        return f"Event {self.sequence} names {self.record_type} {self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; never update an existing row."""
        if self.pk is not None:
            raise PermissionError("The audit record index is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: the index is never changed."""
        raise PermissionError("The audit record index is append-only.")
