"""The reports app's own records: an authority's report settings, the jobs writing long lists out, and kept figures.

An authority's settings apply to the reports that leave the service; an ``ExportJob`` writes a long list to a
spreadsheet in the background (``threshold.reports.exports``). A LADO report's figures are counted through
``threshold.access`` for the person who asks, and kept for them alone for a quarter of an hour
(``CountedReport``, ADR 0045), as are an employer dashboard's, so that a report's page and its downloads show the
same figures (docs/reports.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.accounts.models import Organisation


class ReportSettings(models.Model):
    """A local authority's choices for its LADO report: below how many a count is suppressed outside the service.

    ``suppress_below`` is blank by default (nothing is suppressed): small numbers in a report shared with the
    safeguarding partnership or published can point at one adult or one school, so an authority may choose a
    threshold (commonly 5 or 10) that its reports leaving the service apply. ``version`` is the optimistic lock
    the settings form carries (``core.locking``).
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="report_settings")
    suppress_below = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Counts below this number are suppressed in reports that leave the service (blank: none are).",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "report settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suppress_below__isnull=True) | models.Q(suppress_below__gte=2),
                name="report_settings_suppress_below_at_least_two",
            )
        ]

    def __str__(self) -> str:
        return f"Report settings of {self.organisation}"


class ExportStatus(models.TextChoices):
    """Where a background export stands."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being written"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Could not be written"
    EXPIRED = "expired", "Expired"


class ExportFormat(models.TextChoices):
    """The spreadsheet formats a list leaves in."""

    XLSX = "xlsx", "Spreadsheet (XLSX)"
    CSV = "csv", "CSV"


class ExportJob(models.Model):
    """A list too long to write while the person waits, written in the background for them alone.

    ``filters`` hold the list's filters as codes and ids (a tier, a status, a meeting's id, the name of an
    employer offered by the filter), never a person's name: the task reads the list again, through
    ``threshold.access`` as the requester, when it runs. The file is kept outside the web root
    (``EXPORT_ROOT``) under a random ``stored_name`` until ``expires_at``, then swept away; it is downloaded only
    while its requester may still see every record in it (``record_ids``).
    """

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The organisation the requester acted for: the export's audit events name it, as a page's would.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=32)
    file_format = models.CharField(max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=64, blank=True)
    # The ids of the records the file holds (of the list's record type): a download is refused once any of them
    # is no longer one its requester may see (``jobs.is_changed_for``).
    record_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="reports_export_expires_idx")]

    def __str__(self) -> str:
        return f"Export job {self.pk}"


class CountedReport(models.Model):
    """A report's figures as one reader counted them, kept a short while for its page and downloads (ADR 0045).

    ``report`` names the report (``lado``, ``employer-trust``, ``employer-school``) and ``organisation`` whose it is
    (the local authority, the trust, the setting); ``figures`` is what that report keeps, as JSON (the LADO
    report's unsuppressed figures of the period and of the period before; a dashboard's tables). ``key`` is the
    digest of what decided which records they count for this reader (``threshold.reports.kept.figures_for``).
    Read only by the reader who counted them, for the same report, organisation, period and key, until
    ``KEPT_FOR`` after ``counted_at``; then counted again. Aggregates only: no record, no person named.
    """

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report = models.CharField(max_length=32)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    key = models.CharField(max_length=64)
    counted_at = models.DateTimeField()
    # JSON as text, not a JSON column: PostgreSQL's jsonb keeps no key order, and a breakdown's order is its rows'.
    figures = models.TextField()

    class Meta:
        indexes = [
            models.Index(
                fields=["reader", "report", "organisation", "period_start", "period_end", "counted_at"],
                name="reports_counted_reader_idx",
            ),
            models.Index(fields=["counted_at"], name="reports_counted_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Counted report {self.pk}"
