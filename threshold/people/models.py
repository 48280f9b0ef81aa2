"""A person as one organisation records them. Protected: fetch only through ``threshold.access``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PersonKind(models.TextChoices):
    """The part a person plays in the records."""

    ADULT = "adult", "Adult who works with children"
    CHILD = "child", "Child"
    REFERRER = "referrer", "Referrer"
    CONTACT = "contact", "Contact"


class Person(models.Model):
    """Someone recorded once per organisation and linked to the records about them.

    ``user`` links the person to a Threshold account when they have one (a
    member of staff, a headteacher): that link is what makes subject exclusion
    work, so nobody ever sees a record about themselves.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The organisation that recorded this person.",
    )
    kind = models.CharField(max_length=16, choices=PersonKind.choices, default=PersonKind.ADULT)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    role_title = models.CharField("role or occupation", max_length=200, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees_recorded",
    )
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_records",
        help_text="The person's own Threshold account, if they have one.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["organisation", "full_name"], name="people_org_name_idx")]

    def __str__(self) -> str:
        return f"Person {self.pk}"
