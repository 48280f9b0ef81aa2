"""Contacts into the LADO service and the decisions taken on them (protocol, Case Management Model)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core.models import Immutable
from threshold.core.references import UniqueReference, new_contact_reference


class ContactSource(models.TextChoices):
    """Who made the contact: 'the name of the professional and agency making the contact'."""

    THRESHOLD = "threshold", "Employer, by referral in Threshold"
    EMPLOYER = "employer", "Employer"
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    OFSTED = "ofsted", "Ofsted"
    OTHER_LOCAL_AUTHORITY = "other_local_authority", "Another local authority"
    PARENT = "parent", "Parent or carer"
    PUBLIC = "public", "Member of the public"
    OTHER = "other", "Other professional or agency"
    # A contact brought in from the service's earlier records (``threshold.imports``) that did not say who made it.
    NOT_RECORDED = "not_recorded", "Not recorded"


class ContactMethod(models.TextChoices):
    """How the contact reached the LADO service."""

    THRESHOLD = "threshold", "Threshold referral"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    ONLINE = "online", "Online form"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    MEETING = "meeting", "At a meeting"
    # Brought in from the service's earlier records (``threshold.imports``): how it arrived was not kept.
    IMPORTED = "imported", "Not recorded (from the service's earlier records)"


class ContactStatus(models.TextChoices):
    """Where a contact is: new in the inbox, advised, or decided."""

    NEW = "new", "New"
    ADVISED = "advised", "Advice given"
    DECIDED = "decided", "Decided"


class Level(models.TextChoices):
    """The protocol's case management model."""

    CONSULTATION = "consultation", "Consultation"
    TIER_2 = "tier-2", "Tier 2"
    TIER_1 = "tier-1", "Tier 1"


class ConsultationReason(models.TextChoices):
    """Why a referral was 'deemed not to meet the definition of an allegation/concern' (protocol, 1)."""

    NOT_WORKING_WITH_CHILDREN = (
        "not_working_with_children",
        "The subject of the allegation/concern cannot be considered to be ‘an adult who works with children’",
    )
    NO_SAFEGUARDING_CONCERN = "no_safeguarding_concern", "There is no identifiable safeguarding children concern"
    NOT_IDENTIFIED = "not_identified", "The adult concerned cannot be identified"
    PRACTICE_ISSUE = (
        "practice_issue",
        "The allegation/concern is more appropriately described as a practice issue and should be dealt with "
        "by the employer",
    )
    OTHER = "other", "Another reason (explained below)"


class Contact(UniqueReference, models.Model):
    """A contact into the LADO service: a referral from an employer in Threshold, or from anyone else.

    ``subject`` is the adult as the local authority records them (a person of
    the local authority); ``referral`` links a contact that arrived from an
    employer's allegation in Threshold. ``reference`` is the random ``CT-…``
    reference people quote (ADR 0017), never the id, and never in a concern's format.
    """

    reference = models.CharField(max_length=24, unique=True, default=new_contact_reference, editable=False)
    # No index of its own (nor ``allocated_to``'s): each leads a composite index below, which serves the same
    # look-ups; with both, SQLite without statistics chose the narrower one and read the authority's every
    # contact to count the few waiting (the team view: 7 ms instead of 0.1 at 18,000 contacts).
    local_authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="lado_contacts", db_index=False
    )
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
    referral = models.ForeignKey(
        "allegations.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="lado_contacts"
    )
    received_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=16, choices=ContactMethod.choices, default=ContactMethod.PHONE)
    source = models.CharField(max_length=32, choices=ContactSource.choices, default=ContactSource.EMPLOYER)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_agency = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField("referrer's phone or email", max_length=200, blank=True)
    adult_name = models.CharField(max_length=200, blank=True)
    adult_date_of_birth = models.DateField(null=True, blank=True)
    adult_role = models.CharField("role or occupation", max_length=200, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    summary = models.TextField(help_text="Brief details of the circumstances.")
    # The employer's one-working-day duty (KCSIE Part 4): when the employer first knew of the allegation,
    # from the allegation for a referral in Threshold, asked when a contact is recorded by hand.
    employer_knew_on = models.DateField(null=True, blank=True)
    employer_knew_not_known = models.BooleanField(default=False)
    # "Is the adult a teacher?" as a recorded answer (None: not known), never guessed from the role.
    subject_is_teacher = models.BooleanField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.NEW)
    advice = models.TextField(blank=True)
    advice_given_at = models.DateTimeField(null=True, blank=True)
    advice_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The LADO who holds the contact while it waits for advice or a decision (the manager allocates it).
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        # The dates the lists sort and filter by (issue 15): the inbox, consultations and the team view read an
        # authority's contacts by status, by when they were received; the team view counts what each LADO
        # holds. No index leads with the authority and the date alone: SQLite then walks every contact of the
        # authority in date order to find the few waiting in the inbox (bench/generate.py: 18,000 contacts).
        indexes = [
            models.Index(fields=["local_authority", "status", "received_at"], name="lado_contact_la_status_recv"),
            models.Index(fields=["allocated_to", "status", "received_at"], name="lado_contact_held_recv"),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk}"


class Decision(Immutable):
    """The LADO's decision on a contact: consultation, Tier 2 or Tier 1, with the pack's advice.

    Never edited. A later decision (a consultation reopened as a referral)
    supersedes the earlier one; the latest is the contact's current decision.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=16, choices=Level.choices)
    advised_level = models.CharField(max_length=16, blank=True)
    override_reason = models.TextField(blank=True)
    consultation_reason = models.CharField(max_length=32, choices=ConsultationReason.choices, blank=True)
    rationale = models.TextField(blank=True, help_text="Why the definition was or was not met.")
    police_advised = models.BooleanField(default=False)
    childrens_social_care_advised = models.BooleanField(default=False)
    prompted_by = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The later contact that led to reopening this one.",
    )  # fmt: skip
    case = models.ForeignKey("lado.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    pack = models.CharField(max_length=64)
    pack_version = models.CharField(max_length=32)
    pack_digest = models.CharField(max_length=80)
    facts = models.JSONField(default=dict)
    assessment = models.JSONField(default=dict)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        # The decision that stands on each contact of a list (the latest: consultations, the LADO report).
        indexes = [models.Index(fields=["contact", "recorded_at"], name="lado_decision_contact_latest")]

    def __str__(self) -> str:
        return f"Decision {self.pk}"

    @property
    def overridden(self) -> bool:
        """The LADO decided a different level from the pack's advice."""
        return bool(self.advised_level) and self.advised_level != self.level
