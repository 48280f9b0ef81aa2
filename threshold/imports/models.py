"""An import of earlier records from a spreadsheet, and where each record it brought in came from.

``ImportRun`` is one file taken through mapping, checking and importing, by one person for one
organisation: a local authority's LADO service (its contacts and cases) or a setting (its concerns and
allegations), as ``kind`` says. The uploaded file is kept (``upload``) only while the import needs it: it is
emptied when the
run is imported with no rows left to fix, abandoned or undone, and by ``imports_sweep`` once it expires.
``ImportedRecord`` ties a contact (and its case), or a concern (and its allegation), to its source: the
file, sheet and row, and the source reference that a re-run matches on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    """Where an import is."""

    MAPPING = "mapping", "Waiting for its columns to be mapped"
    CHECK_QUEUED = "check_queued", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked, not imported"
    QUEUED = "queued", "Waiting to import"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Stopped by an error"
    UNDONE = "undone", "Undone"
    ABANDONED = "abandoned", "Abandoned"


class ImportKind(models.TextChoices):
    """Whose records a file holds: they decide its columns, its rules and what it brings in."""

    LADO = "lado", "A LADO service's contacts, consultations and cases"
    SETTING = "setting", "A setting's low-level concerns and allegations"


class ImportRun(models.Model):
    """One spreadsheet taken through mapping, a dry run and the import, by one person, for one organisation."""

    # The local authority (a LADO service's records) or the setting (its concerns and allegations).
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=ImportKind.choices, default=ImportKind.LADO)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The system job when no person ran it ("system:lado_import"), else "user:<id>", as the audit trail says.
    actor_label = models.CharField(max_length=120)
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=8)
    file_digest = models.CharField(max_length=64)
    sheet = models.CharField(max_length=100, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list)
    upload = models.BinaryField(default=b"", editable=False)
    # Canonical column → the file's header; column → the file's value (folded) → Threshold's code.
    mapping = models.JSONField(default=dict)
    translations = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.MAPPING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The dry run's or the import's summary: rows, created, updated, unchanged, duplicates, errors (counted).
    summary = models.JSONField(default=dict)
    # Each problem as {"row", "column", "message"}; the first ``services.PROBLEMS_KEPT`` of them.
    problems = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="imports_run_org_created")]

    def __str__(self) -> str:
        return f"Import {self.pk}"


class ImportedRecord(models.Model):
    """The records a row of a file brought in: what a re-run matches and an undo removes.

    A LADO service's row is a contact (and its case); a setting's row is a concern (and the allegation it
    became).

    ``source_key`` is the row's own reference, or, for a file without one, a digest of who and when, so a
    re-run of the same file finds the same row. ``digest`` is of the row's values as imported: a re-run
    that finds it unchanged changes nothing.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    source_key = models.CharField(max_length=200)
    source_reference = models.CharField(max_length=200, blank=True)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    last_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    # The row's values as last imported (dates as ISO text): what a re-run compares a changed row with.
    values = models.JSONField(default=dict)
    # This row made the adult's person record (an undo removes it with the row's records, if nothing else uses it).
    made_person = models.BooleanField(default=False)
    contact = models.OneToOneField(
        "lado.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="import_source"
    )
    case = models.OneToOneField(
        "lado.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="import_source"
    )
    concern = models.OneToOneField(
        "concerns.Concern", on_delete=models.CASCADE, null=True, blank=True, related_name="import_source"
    )
    allegation = models.OneToOneField(
        "allegations.Allegation", on_delete=models.SET_NULL, null=True, blank=True, related_name="import_source"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source_key"], name="imports_record_source_unique"),
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False, concern__isnull=True)
                | models.Q(contact__isnull=True, concern__isnull=False),
                name="imports_record_contact_or_concern",
            ),
        ]

    def __str__(self) -> str:
        return f"Imported record {self.pk}"


class SavedMapping(models.Model):
    """A mapping kept to reuse with the next file of the same layout: its columns and value translations."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    mapping = models.JSONField(default=dict)
    translations = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="imports_mapping_name_unique")]

    def __str__(self) -> str:
        return f"Saved mapping {self.pk}"
