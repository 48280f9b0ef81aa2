"""Requests for information: the LADO asks the employer's case manager for an update, and the product chases.

A request is made on a LADO case and addressed to the case manager of the employer's allegation the case
came from (the only person on the employer's side it can reach in Threshold). It appears in the case
manager's work list, is reminded before and chased after its date at the interval the LADO set, up to the
limit, and the reply lands on the case. Each reminder and chase sent is a ``InformationChase`` row, so the
LADO sees the chase history and the reminder pass never sends the same stage twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core.models import Immutable


class RequestStatus(models.TextChoices):
    """Where a request for information stands."""

    OPEN = "open", "Waiting for a reply"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InformationRequest(models.Model):
    """What the LADO asked the employer's case manager for, by when, how often to chase, and the reply."""

    case = models.ForeignKey("lado.Case", on_delete=models.PROTECT, related_name="information_requests")
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, related_name="information_requests"
    )
    asked_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.TextField()
    due_on = models.DateField()
    # Chased every so many days after the due date, at most this many times.
    chase_every_days = models.PositiveSmallIntegerField(default=3)
    chase_limit = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Information request {self.pk}"


class ChaseStage(models.TextChoices):
    """Which message of a request went out."""

    REQUESTED = "requested", "Request sent"
    REMINDER = "reminder", "Reminder before the date"
    CHASE = "chase", "Chased after the date"


class InformationChase(Immutable):
    """One message sent about a request: the request itself, the reminder before its date, or a chase after."""

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="chases")
    stage = models.CharField(max_length=16, choices=ChaseStage.choices)
    # 1, 2, 3… for chases; 0 for the request and the reminder.
    number = models.PositiveSmallIntegerField(default=0)
    sent_on = models.DateField()
    sent_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "stage", "number"], name="lado_chase_once"),
        ]

    def __str__(self) -> str:
        return f"Chase {self.pk}"
