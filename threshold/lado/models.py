"""LADO contacts, cases, meetings and what is shared with partner agencies.

Protected: fetch only through ``threshold.access``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Contact(models.Model):
    """A contact into the LADO service: a referral from an employer or anyone else."""

    local_authority = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="lado_contacts")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lado_contacts")
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lado_contacts_as_employer",
    )
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="lado_contacts"
    )
    received_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"Contact {self.pk}"


class Case(models.Model):
    """A LADO case (Tier 1 or Tier 2) about one adult."""

    local_authority = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="lado_cases")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lado_cases")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    lado = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="lado_cases_allocated"
    )
    tier = models.CharField(max_length=16, blank=True)
    summary = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class CaseShare(models.Model):
    """A case shared with a named police or children's social care user, until ended."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Case share {self.pk}"


class Meeting(models.Model):
    """A strategy meeting, allegations management meeting or review of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=32)
    held_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class MeetingShare(models.Model):
    """A meeting shared with a named police or children's social care user, until ended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Meeting share {self.pk}"
