"""A deadline is a stored row: one clock on one record (or, for the termly pattern review, one organisation).

The services that start, meet, pause or stop a clock write its row in their own transaction
(``threshold.timescales.services.deadlines_sync``); work lists, home pages, the team view and the reminder
pass read the rows, so a page's query count does not grow with the case load. ``threshold.policy.clocks``
stays the pure calculator the services use to work out each row.

A row names what is due in words that carry no personal data ("Evaluation meeting", "Investigation report"):
the same words go into reminder emails. Who the record is about is reached only through the record, and
every read of a row goes through ``threshold.access`` (``visible_deadlines``), which applies the record's own
rule, subject exclusion included.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeadlineState(models.TextChoices):
    """Where a stored deadline stands."""

    OPEN = "open", "Open"
    MET = "met", "Done"
    PAUSED = "paused", "Paused"
    # A person decided it is not needed, with a reason (never set by the product on its own).
    NOT_NEEDED = "not_needed", "Not needed"
    # What it waited for can no longer happen, for a recorded reason (the other route was chosen,
    # the adult was not suspended after all): the reason says which record decided it.
    STOPPED = "stopped", "No longer applies"
    # Fell due on a record that was closed before Threshold kept it (an import), without being recorded as done.
    MISSED = "missed", "Not recorded as done"


class Deadline(models.Model):
    """One clock on one record: what is due, by when, who is expected to do it, and whether it was done."""

    # The record it belongs to: exactly one of these, or none for an organisation's own deadline.
    contact = models.ForeignKey("lado.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    case = models.ForeignKey("lado.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey("lado.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    concern = models.ForeignKey("concerns.Concern", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The organisation (setting or local authority) whose work it is: team and trust views group by it.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # "case:12", "allegation:3", "organisation:5": with kind and key, what makes a row unique.
    record_key = models.CharField(max_length=40)
    # The pack's timescale id where it has one ("investigation-report"), or the product's ("monitoring-review").
    kind = models.CharField(max_length=64)
    # Tells repeats of one kind on one record apart ("2027-01-04", "action-17"); empty for one-off clocks.
    key = models.CharField(max_length=64, blank=True)
    # The record's reference as people quote it (CON-…, CASE-…, A-…): shown in lists and emails.
    reference = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    due_on = models.DateField()
    # For clocks counted in hours (the agency's 48-hour cover): the moment it falls due.
    due_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    met_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_key", "kind", "key"], name="timescales_deadline_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="timescales_open_due"),
            models.Index(fields=["owner", "state", "due_on"], name="timescales_owner_due"),
            models.Index(fields=["organisation", "state", "due_on"], name="timescales_org_due"),
            # "Is this case (or contact) overdue?" for each row of a list or export: without these, SQLite with no
            # statistics walks every open late deadline per case (bench/exports.py: 6.3 s for all cases, 1.6 s
            # once the planner could look up the case's own rows).
            models.Index(fields=["case", "state", "due_on"], name="timescales_case_due"),
            models.Index(fields=["contact", "state", "due_on"], name="timescales_contact_due"),
        ]

    def __str__(self) -> str:
        return f"Deadline {self.pk}"

    def status_on(self, today: dt.date) -> str:
        """``overdue``, ``today``, ``week`` (within seven days) or ``later`` for an open row; else its state."""
        if self.state != DeadlineState.OPEN:
            return str(self.state)
        return due_status(self.due_on, today)


def due_status(due_on: dt.date, today: dt.date) -> str:
    """Where something due on ``due_on`` stands on ``today``: ``overdue``, ``today``, ``week`` or ``later``."""
    if due_on < today:
        return "overdue"
    if due_on == today:
        return "today"
    if (due_on - today).days <= 7:
        return "week"
    return "later"
