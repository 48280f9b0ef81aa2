"""What a person is told in the product, and the record of every email the product sent.

A ``Notification`` is one line in a person's notifications page ("New referral in the inbox: CT-7KQ2-9MXD"),
with a link that needs sign-in. Its words carry no personal data: kinds, counts and record references only,
because the same words go into emails. ``subject`` is the person record the notification is about, kept
only so that subject exclusion applies at every read (``threshold.access.visible_notifications``): nobody
is ever shown a notification about themselves, even one written before a name matched.

An ``EmailDelivery`` is one email the product decided to send (a daily digest, or an immediate alert for
one item at one stage). Its ``key`` makes each (item, stage) or (person, day) send once; its status and
attempts let a failed send be retried and never lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    """What a notification is about."""

    NEW_REFERRAL = "new_referral", "New referral"
    ALLOCATED = "allocated", "Allocated to you"
    MEETING_SHARED = "meeting_shared", "Meeting shared with you"
    PARTNER_UPDATE = "partner_update", "Update from a partner"
    DEADLINE_SOON = "deadline_soon", "Deadline coming"
    DEADLINE_MISSED = "deadline_missed", "Deadline missed"
    INFORMATION_REQUEST = "information_request", "Request for information"
    INFORMATION_REPLY = "information_reply", "Reply to a request"
    CONCERN_ROUTED = "concern_routed", "Concern routed to you"
    CONCERN_SHARED = "concern_shared", "New concern to triage"
    HR_INFORMED = "hr_informed", "For HR: an allegation has moved on"
    HR_ADVICE = "hr_advice", "HR advice on a concern"
    LADO_DECISION = "lado_decision", "From the LADO"
    EMPLOYER_OUTCOME = "employer_outcome", "Employer's outcome to agree"


class Notification(models.Model):
    """One thing a person is told in the product, once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # No names, no allegation details: what happened, and the reference (checked by the service).
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=40, blank=True)
    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Makes a notification once per recipient: "new_referral:contact:12", "deadline:40:overdue".
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notifications_once")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            # The notifications page: a person's newest first, a page at a time (issue 15).
            models.Index(fields=["recipient", "created_at", "id"], name="notifications_recent"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"


class DeliveryStatus(models.TextChoices):
    """Where an email stands."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"


class EmailDelivery(models.Model):
    """One email the product decided to send: queued in the same transaction as its cause, sent by a task."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "digest:2026-12-07", "deadline:40:overdue", "notification:17": each sent once.
    key = models.CharField(max_length=120)
    subject_line = models.CharField(max_length=200)
    body = models.TextField()
    kinds = models.JSONField(default=list)
    items = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception's class only: a mail server's message may quote an address.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a worker last took the row to send it (``sending``): a claim older than a send can take is a worker that
    # stopped mid-send, and the row is sent again.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notifications_email_once")]
        indexes = [models.Index(fields=["status", "created_at"], name="notifications_email_status")]

    def __str__(self) -> str:
        return f"Email {self.pk}"
