"""The audit event table: one row per event, each linked to the last by a hash."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models

_Row = TypeVar("_Row", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """Refuses bulk changes: the trail, and what is derived from it, is append-only."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: audit events are never changed."""
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are never deleted."""
        raise PermissionError("Audit events are append-only.")


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    """The events' queryset: refuses bulk changes."""


# Most events name no other organisation's record: the indexes on ``record_organisation`` hold only those that do.
_CROSS_READS = models.Q(record_organisation__isnull=False)


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
    # A read's ``details.record_organisation`` when the reader acted for another organisation (a police officer
    # reading a local authority's case), so an organisation's auditors find it with an index, not a JSON search.
    # Derived from the hashed columns and not hashed itself: ``audit verify`` checks it
    # (``threshold.audit.index.scope_organisation``).
    record_organisation = models.BigIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        # The audit pages walk one organisation's events newest first (by sequence), and their filter choices
        # skip along (organisation, action) and (organisation, actor) (``threshold.audit.selectors``); the record
        # index's catch-up reads list events after a sequence (``threshold.audit.index``).
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="audit_record_idx"),
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
            models.Index(fields=["organisation", "sequence"], name="audit_org_seq_idx"),
            models.Index(fields=["organisation", "action", "sequence"], name="audit_org_action_idx"),
            models.Index(fields=["organisation", "actor", "sequence"], name="audit_org_actor_idx"),
            models.Index(fields=["record_organisation", "sequence"], name="audit_rorg_seq_idx", condition=_CROSS_READS),
            models.Index(
                fields=["record_organisation", "action", "sequence"],
                name="audit_rorg_action_idx",
                condition=_CROSS_READS,
            ),
            models.Index(
                fields=["record_organisation", "actor", "sequence"], name="audit_rorg_actor_idx", condition=_CROSS_READS
            ),
            models.Index(fields=["action", "sequence"], name="audit_action_seq_idx"),
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

    objects = AppendOnlyQuerySet["AuditRecordRef"].as_manager()

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


class RecordIndexMark(models.Model):
    """How far the record index is complete: every list event up to ``sequence`` has its index rows.

    A list event (``records.listed``) names up to a page of records, and its index rows are written after the
    response, in batches, by ``threshold.audit.index.index_pending_lists`` (ADR 0031), which appends one mark
    per batch. Events after the last mark are read straight from the trail when a record's audit page asks who
    has looked at it, so the answer never waits for the batch. Append-only; derived, like the index.
    """

    sequence = models.PositiveBigIntegerField(db_index=True)
    marked_at = models.DateTimeField()

    objects = AppendOnlyQuerySet["RecordIndexMark"].as_manager()

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"Record index complete to event {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; never update an existing mark."""
        if self.pk is not None:
            raise PermissionError("Record index marks are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: a mark is never changed."""
        raise PermissionError("Record index marks are append-only.")


class VerifyCheckpoint(models.Model):
    """How far ``audit verify`` has verified the trail: the event it reached, its hash, and when.

    ``audit verify`` starts from the newest checkpoint (a nightly run costs the day's events) and writes a new
    one when the trail verifies; ``--full`` starts from the first event. ``signature`` is an HMAC under the
    chain key (``threshold.audit.chain.checkpoint_signature``), so someone with only database access cannot
    write a checkpoint that skips events they have changed: verify refuses a checkpoint whose signature does
    not match. Deleting checkpoints only makes the next run start earlier.
    """

    sequence = models.PositiveBigIntegerField(db_index=True)
    content_hash = models.CharField(max_length=64)
    # How many events the trail held up to and including ``sequence``.
    count = models.PositiveBigIntegerField()
    verified_at = models.DateTimeField()
    full = models.BooleanField(default=False)
    signature = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet["VerifyCheckpoint"].as_manager()

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"Audit trail verified to event {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; never update an existing checkpoint."""
        if self.pk is not None:
            raise PermissionError("Verification checkpoints are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: a checkpoint is never changed."""
        raise PermissionError("Verification checkpoints are append-only.")
