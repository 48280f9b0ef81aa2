"""What the case manager records as the allegation goes on, from parents kept informed to the personnel file.

Parents kept informed, police, the outcome and what follows it (DBS/TRA, the file record, lessons, the
agency, confidentiality, the personnel file). Each is an immutable row with who and when (ADR 0009): a later
row supersedes an earlier one.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from threshold.allegations.models.allegation import Allegation
from threshold.core.models import Immutable
from threshold.core.vocabularies import Outcome


class ContactMethod(models.TextChoices):
    """How the parents or carers were informed (step 9)."""

    IN_PERSON = "in_person", "In person or at a meeting"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"
    EMAIL = "email", "By email"
    OTHER = "other", "Another way"


class ParentUpdate(Immutable):
    """Step 9: one contact keeping the parents or carers informed of the progress of the case. Each is kept.

    "Keep the parents or carers of the child/children involved informed of the progress of the case (only in
    relation to their child – no information will be shared regarding the staff member)" (section 6, step 9):
    a log of contacts, shown in order, never one entry that supersedes the last.
    """

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="parent_updates")
    given_on = models.DateField("date of the contact")
    informed = models.CharField("who was informed", max_length=200)
    method = models.CharField("how they were informed", max_length=16, choices=ContactMethod.choices)
    note = models.TextField("what they were told about the progress of the case")

    class Meta:
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"Parent update {self.pk}"


class ConsentToShare(models.TextChoices):
    """Whether the police obtained consent to share statements for internal processes."""

    NOT_ASKED = "not_asked", "Not yet asked"
    REQUESTED = "requested", "Asked the police to obtain consent"
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"


class PoliceInvolvement(Immutable):
    """Police involvement: while involved, the internal investigation is paused."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="police_records")
    involved = models.BooleanField()
    police_reference = models.CharField(max_length=100, blank=True)
    consent_to_share = models.CharField(max_length=16, choices=ConsentToShare.choices, default=ConsentToShare.NOT_ASKED)
    proceedings_authorised = models.BooleanField(
        default=False, help_text="The police have authorised the case manager to commence internal proceedings."
    )
    notes = models.TextField(blank=True)
    # Policy 5.3: academies "review the progress of cases in which there is a Police Officer investigation".
    # The policy gives no interval, so the case manager names the next review each time; the next record meets it.
    next_review_on = models.DateField("next review of the police investigation's progress", null=True, blank=True)
    # Policy 5.3: academies "share information as appropriate, on completion of an investigation or related
    # prosecution". Said on a record that the police are no longer involved; blank until something is shared.
    information_shared = models.TextField("information shared on the completion of the police's part", blank=True)
    # Whether this record's end of the police's part asks what was shared: records made before the question was
    # asked are added with False by the migration, so upgrading puts no sharing long past due on old allegations.
    sharing_asked = models.BooleanField(default=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Police record {self.pk}"


# ---------------------------------------------------------------- outcome (6.3, 6.5) and records (8)


class OutcomeRecord(Immutable):
    """The case manager's report, the outcome and the specific actions of section 6.5."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="outcomes")
    report = models.TextField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    concluded_on = models.DateField()
    removed_from_regulated_activity = models.BooleanField(default=False)
    resigned_before_conclusion = models.BooleanField(default=False)
    disciplinary_route = models.TextField(blank=True)
    dbs_referred_on = models.DateField(null=True, blank=True)
    dbs_reference = models.CharField(max_length=100, blank=True)
    tra_referred_on = models.DateField(null=True, blank=True)
    tra_reference = models.CharField(max_length=100, blank=True)
    return_to_work = models.TextField(blank=True)
    malicious_action = models.TextField(blank=True)
    child_support = models.TextField(blank=True)
    pack = models.CharField(max_length=64)
    pack_version = models.CharField(max_length=32)
    pack_digest = models.CharField(max_length=80)  # "sha256:" and 64 hex digits
    facts = models.JSONField(default=dict)
    assessment = models.JSONField(default=dict)
    # Whether telling the adult the outcome falls due (Tier 3): False for outcomes recorded before Threshold asked,
    # which could not have logged it (the migration sets them so), so an upgrade adds no overdue duty to old cases.
    adult_told_asked = models.BooleanField(default=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Outcome {self.pk}"


class FollowUpBody(models.TextChoices):
    """The bodies a section 6.5 referral goes to after the outcome."""

    DBS = "dbs", "DBS"
    TRA = "tra", "TRA"


class ReferralFollowUp(Immutable):
    """A DBS or TRA referral made (date and reference) or not made (a reason) after the outcome; latest stands.

    Recorded after conclusion too: until one exists, a referral the pack
    requires or asks to be considered stays due on the home page.
    """

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="follow_ups")
    body = models.CharField(max_length=8, choices=FollowUpBody.choices)
    referred_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    not_referred_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.body} follow-up {self.pk}"


class FileRecord(Immutable):
    """What is kept on the adult's confidential file (section 8), with the pack's reference and retention."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="file_records")
    summary = models.TextField("a clear and comprehensive summary of the allegation")
    follow_up = models.TextField("how the allegation was followed up and resolved")
    actions = models.TextField("notes of any action taken, decisions reached and the outcome")
    may_mention_in_references = models.BooleanField(null=True)
    reference_reasons = models.JSONField(default=dict)
    remove_from_personnel_file = models.BooleanField(default=False)
    retention = models.JSONField(default=dict)
    copy_given_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"File record {self.pk}"

    def keep_until(self) -> dt.date | None:
        """Until when the pack said the record is kept (None: preserved with no end date)."""
        value = self.retention.get("keep_until")
        return dt.date.fromisoformat(value) if value else None


class Lesson(Immutable):
    """A lesson learned from a case (section 11)."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="lessons")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reviewed_with = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        # Lessons learned list each organisation's newest first (issue 15).
        indexes = [models.Index(fields=["organisation", "recorded_at"], name="allegations_lesson_org")]

    def __str__(self) -> str:
        return f"Lesson {self.pk}"


# ---------------------------------------------------------------- supply workers (appendix 4)


class AgencyRecord(Immutable):
    """The agency's part in a supply worker's allegation; the latest record stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="agency_records")
    agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An agency or contracting company not in Threshold, by name (as recorded on the allegation).
    agency_name = models.CharField(max_length=200, blank=True)
    notified_at = models.DateTimeField()
    suspension_discussed = models.TextField()
    removed_on = models.DateField(
        "date suspended or removed from the placement",
        null=True,
        blank=True,
        help_text="Replacement cover is expected within 48 hours of this date (supply staff).",
    )
    cover_arranged_on = models.DateField("date replacement cover was arranged", null=True, blank=True)
    notes_sent_on = models.DateField(null=True, blank=True)
    outcome_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Agency record {self.pk}"

    @property
    def agency_display(self) -> str:
        """The agency's name, in Threshold or as recorded."""
        return self.agency.name if self.agency is not None else self.agency_name


# ---------------------------------------------------------------- issue 13: what the trust's policy also asks for


class Consulted(models.TextChoices):
    """Whose advice the confidentiality arrangements were agreed with (section 7)."""

    LADO = "lado", "The LADO"
    POLICE = "police", "The police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"


class ConfidentialityRecord(Immutable):
    """Section 7: who needs to know and what may be shared, as agreed; the press office contacted. Latest stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="confidentiality_records")
    agreed_on = models.DateField()
    agreed_with = models.JSONField(default=list, help_text="Each a ``Consulted`` value.")
    who_needs_to_know = models.TextField()
    what_may_be_shared = models.TextField()
    speculation = models.TextField("how speculation, leaks and gossip are managed", blank=True)
    press_office_contacted_on = models.DateField(null=True, blank=True)
    press_office_not_contacted_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Confidentiality record {self.pk}"


class PersonnelFileChoice(models.TextChoices):
    """Section 8: a malicious or false allegation's records leave the personnel file unless the person consents."""

    ARCHIVED = "archived", "Removed and archived from the personnel file"
    CONSENTED = "consented", "The individual consents to the records being kept on the file"


class PersonnelFileDecision(Immutable):
    """What happened to a malicious or false allegation's records on the personnel file; the latest stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="personnel_file_decisions")
    choice = models.CharField(max_length=16, choices=PersonnelFileChoice.choices)
    decided_on = models.DateField()
    # Who removed and archived the records (a name and role, not an account).
    done_by = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Personnel file decision {self.pk}"


class LessonsReview(Immutable):
    """Section 11: the case reviewed with the LADO and the headteacher and no improvements found."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="lessons_reviews")
    reviewed_on = models.DateField()
    reviewed_with = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Lessons review {self.pk}"


class AgencyHrManager(Immutable):
    """Appendix 4: the supply agency's human resources manager or nominated person; a contact, not an account."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="agency_hr_managers")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Agency HR manager {self.pk}"


class LiaisonKind(models.TextChoices):
    """What was sent to the agency's HR manager."""

    INVITATION = "invitation", "Invitation to a meeting"
    UPDATE = "update", "Update on policies and processes"


class AgencyLiaison(Immutable):
    """One invitation or update sent to the agency's HR manager (appendix 4); each is kept."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="agency_liaisons")
    kind = models.CharField(max_length=16, choices=LiaisonKind.choices)
    sent_on = models.DateField()
    about = models.CharField(max_length=300)

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"Agency liaison {self.pk}"


class AgencyReply(Immutable):
    """What the agency told the academy after the investigation (appendix 4); the latest stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="agency_replies")
    outcome_received_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    reference_received_on = models.DateField(null=True, blank=True)
    reference_notes = models.TextField(blank=True)
    assurances_received_on = models.DateField(null=True, blank=True)
    assurances_notes = models.TextField(blank=True)
    letter_of_comfort_updated_on = models.DateField(null=True, blank=True)
    letter_of_comfort_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Agency reply {self.pk}"
