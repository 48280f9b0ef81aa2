"""Meetings of a case: strategy meetings, LADO-chaired allegations management meetings and reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core.models import Immutable


class MeetingKind(models.TextChoices):
    """The meetings the protocol names."""

    STRATEGY = "strategy", "Strategy meeting (children's social care chair, LADO invited)"
    ALLEGATIONS_MANAGEMENT = "allegations_management", "Allegations management meeting (LADO chair)"
    REVIEW = "review", "Review meeting"


class Meeting(models.Model):
    """One meeting of a case: who chaired, who came, what was shared and decided; minutes."""

    case = models.ForeignKey("lado.Case", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=32, choices=MeetingKind.choices)
    held_at = models.DateTimeField()
    chair_name = models.CharField(max_length=200, blank=True)
    chair_agency = models.CharField(max_length=200, blank=True)
    information_shared = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_at"]
        # A case's meetings in the order its page lists them (issue 15: an index for every date a list sorts by).
        indexes = [models.Index(fields=["case", "held_at"], name="lado_meeting_case_held")]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class AttendanceStatus(models.TextChoices):
    """Invited, attended, or sent apologies."""

    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Apologies"


class MeetingAttendee(models.Model):
    """Someone invited to a meeting, by agency, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED)

    class Meta:
        ordering = ["agency", "name", "pk"]

    def __str__(self) -> str:
        return f"Attendee {self.pk}"


class MeetingAction(models.Model):
    """An action agreed at a meeting, with its owner and due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        # A meeting's actions by due date, as its page and spreadsheet list them.
        indexes = [models.Index(fields=["meeting", "due_on"], name="lado_action_meeting_due")]

    def __str__(self) -> str:
        return f"Meeting action {self.pk}"


class MeetingUpdate(Immutable):
    """A partner agency's update on a meeting shared with them (or the LADO's own)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="updates")
    agency = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Meeting update {self.pk}"


class MeetingShare(models.Model):
    """A meeting shared with a named police or children's social care user, until ended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Meeting share {self.pk}"
