"""LADO cases (Tier 1 and Tier 2) with the protocol's Suggested Recording Data Set.

The data set fields on ``Case`` are kept current by services (each change
audited and written to the chronology); tier changes, allocations, reviews,
quality assurance and the conclusion are append-only rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core.models import Immutable
from threshold.core.references import UniqueReference, new_case_reference
from threshold.core.vocabularies import CameToLight, Ethnicity, Gender, Outcome, SchoolPhase


class CaseStatus(models.TextChoices):
    """Where a case is."""

    OPEN = "open", "Open"
    CONCLUDED = "concluded", "Concluded"
    CLOSED = "closed", "Closed"


class Sector(models.TextChoices):
    """The employer's sector, for the manager's filters and the returns."""

    SCHOOL = "school", "School or academy"
    EARLY_YEARS = "early_years", "Early years"
    FURTHER_EDUCATION = "further_education", "Further education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    FOSTER_CARE = "foster_care", "Foster care"
    POLICE = "police", "Police"
    FAITH = "faith", "Faith group"
    SPORT = "sport", "Sport and leisure"
    TRANSPORT = "transport", "Transport"
    VOLUNTARY = "voluntary", "Voluntary or charity"
    OTHER = "other", "Other"


class Injury(models.TextChoices):
    """Injury to the child, as the LADO's decision asked it (carried into the case's data set)."""

    NONE = "none", "No injury"
    REPORTED = "reported", "Injury reported"
    VISIBLE = "visible", "Visible injury, including a red mark"


class CaseManager(models.TextChoices):
    """Who manages the case: the protocol lets children's social care pass it to the LADO.

    "If further strategy meetings are not required consideration should be given to transferring the
    management of the case to the LADO. If transferred, any future meetings held will be meetings chaired
    by the LADO."
    """

    LADO = "lado", "The LADO"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"


class Case(UniqueReference, models.Model):
    """A LADO case about one adult, with the recording data set.

    ``reference`` is the random ``LADO-…`` reference people quote (ADR 0017), never the id.
    """

    reference = models.CharField(max_length=24, unique=True, default=new_case_reference, editable=False)
    # No index of its own (nor ``lado``'s): each leads a composite index below, which serves the same look-ups;
    # with both, SQLite without statistics read the authority's every case for a LADO's "My cases".
    local_authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="lado_cases", db_index=False
    )
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lado_cases")
    contact = models.ForeignKey("lado.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    lado = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lado_cases_allocated",
        db_index=False,
    )
    tier = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    summary = models.TextField(help_text="Summary of the allegation.")
    received_on = models.DateField(default=timezone.localdate, help_text="When the referral was received.")
    opened_at = models.DateTimeField(default=timezone.now)
    # The adult
    adult_name = models.CharField(max_length=200, blank=True)
    adult_address = models.TextField(blank=True)
    adult_date_of_birth = models.DateField(null=True, blank=True)
    adult_gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    adult_ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices, blank=True)
    adult_role = models.CharField("role or occupation", max_length=200, blank=True)
    # Agencies
    referring_agency = models.CharField(max_length=200, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="lado_cases_as_employer"
    )
    employer_name = models.CharField("employing agency", max_length=200, blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    # A school employer's phase, where its organisation in Threshold does not say it (the employer typed, or
    # a phase the LADO knows better): the report counts this first, then the employer organisation's.
    school_phase = models.CharField(max_length=32, choices=SchoolPhase.choices, blank=True)
    # The allegation
    came_to_light = models.CharField(max_length=32, choices=CameToLight.choices, blank=True)
    abuse_categories = models.JSONField(default=list)
    incident_date = models.DateField(null=True, blank=True)
    non_recent = models.BooleanField(null=True)
    injury = models.CharField(max_length=16, choices=Injury.choices, blank=True)
    # Who manages the case, and when and why children's social care passed it to the LADO (or back).
    managed_by = models.CharField(max_length=32, choices=CaseManager.choices, default=CaseManager.LADO)
    management_transferred_on = models.DateField(null=True, blank=True)
    management_transfer_reason = models.TextField(blank=True)
    # The conclusion (kept current from the latest Conclusion row, for lists and filters)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    pack = models.CharField(max_length=64, blank=True)
    # Brought in from the service's spreadsheets (``threshold.imports``, which keeps the file and row): a closed
    # imported case's clocks that its source does not show as done are missed, not open work today.
    imported = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        # The dates the lists sort and filter by (issue 15): all cases and the team view read an authority's
        # cases by status, by when they opened; My cases, the home panel and the team view a LADO's.
        indexes = [
            models.Index(fields=["local_authority", "status", "opened_at"], name="lado_case_la_status_opened"),
            models.Index(fields=["lado", "status", "opened_at"], name="lado_case_lado_status_opened"),
            # All cases' employer filter offers the employers an authority's cases name, in order: read from this
            # index alone (the subject for rule 2 included), not from every case (5 ms at 6,000 cases, now 1).
            models.Index(fields=["local_authority", "employer_name", "subject"], name="lado_case_la_employer"),
            # All cases filtered by a category of abuse counts the authority's cases whose list names it: from
            # this index alone, not by reading every case's row (4.5 ms at 6,000 cases on SQLite, now 1).
            models.Index(fields=["local_authority", "abuse_categories", "subject"], name="lado_case_la_categories"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class CaseChild(models.Model):
    """A child (victim) in the data set: name, address, date of birth, gender and ethnicity."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices, blank=True)

    def __str__(self) -> str:
        return f"Child on case {self.case_id}"


class RiskMeasureKind(models.TextChoices):
    """'How the risk was managed – ie suspended /restricted duties'."""

    SUSPENDED = "suspended", "Suspended"
    RESTRICTED = "restricted", "Restricted duties"
    REDEPLOYED = "redeployed", "Redeployed"
    NONE = "none", "None (no action taken)"


class RiskMeasure(Immutable):
    """How the risk was managed, from when to when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_measures")
    kind = models.CharField(max_length=16, choices=RiskMeasureKind.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Risk measure {self.pk}"


class InvestigationKind(models.TextChoices):
    """'How allegation was investigated – criminal S47; disciplinary etc'."""

    CRIMINAL = "criminal", "Criminal (police)"
    SECTION_47 = "section_47", "Section 47 enquiry (children's social care)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (children's social care)"
    DISCIPLINARY = "disciplinary", "Disciplinary (employer)"
    OTHER = "other", "Other"


class Investigation(Immutable):
    """One line of investigation and its outcome; a later row for the same line supersedes it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="investigations")
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=32, choices=InvestigationKind.choices)
    referred_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    lead = models.CharField("investigating officer or lead", max_length=200, blank=True)
    # A code that can be counted (``services.case_agencies.INVESTIGATION_OUTCOMES``), with free text beside it.
    outcome = models.CharField(max_length=32, blank=True)
    outcome_detail = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    dbs_information = models.TextField(
        blank=True, help_text="What the police hold that may inform future DBS disclosures."
    )

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Investigation {self.pk}"


class Body(models.TextChoices):
    """Bodies a case may be referred to."""

    DBS = "dbs", "Disclosure and Barring Service (DBS)"
    TRA = "tra", "Teaching Regulation Agency (TRA)"
    OFSTED = "ofsted", "Ofsted"
    REGULATOR = "regulator", "Professional regulator"
    OTHER = "other", "Other body"


class BodyReferral(Immutable):
    """'Referral to and date of DBS referral – and details of referral to any other body', or why not."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="body_referrals")
    body = models.CharField(max_length=16, choices=Body.choices)
    body_name = models.CharField(max_length=200, blank=True)
    referred = models.BooleanField(default=True)
    referred_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    explanation = models.TextField(blank=True, help_text="Why no referral was made.")

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Body referral {self.pk}"


class TierChange(Immutable):
    """A case moved between Tier 1 and Tier 2, and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tier_changes")
    from_tier = models.CharField(max_length=16)
    to_tier = models.CharField(max_length=16)
    reason = models.TextField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Tier change {self.pk}"


class Allocation(Immutable):
    """Who the case was allocated to, and by whom (the manager reassigns)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    lado = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Allocation {self.pk}"


class MonitoringReview(models.Model):
    """A Tier 2 monitoring review: due on a date, then done with notes of the employer's progress."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="monitoring_reviews")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Monitoring review {self.pk}"


class QualityAssuranceDecision(models.TextChoices):
    """The LADO's quality assurance of the employer's outcome (protocol, Tier 2)."""

    ACCEPTED = "accepted", "Accepted"
    CHALLENGED = "challenged", "Challenged"


class QualityAssurance(Immutable):
    """The LADO accepted or challenged the employer's outcome, with reasons."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="quality_assurances")
    decision = models.CharField(max_length=16, choices=QualityAssuranceDecision.choices)
    reasons = models.TextField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Quality assurance {self.pk}"


class DelayReview(Immutable):
    """A monthly review once a case is past three months, with the reason for delay."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="delay_reviews")
    reviewed_on = models.DateField()
    reason = models.TextField()
    next_review_on = models.DateField()

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"Delay review {self.pk}"


class RegulatedActivity(models.TextChoices):
    """Asked at conclusion: the DBS duty to refer (SVGA 2006) turns on the answer."""

    REMOVED = "removed", "Yes: dismissed or otherwise removed from work with children"
    WOULD_HAVE_BEEN = "would_have_been", "They would have been, but they left or resigned first"
    LEFT = "left", "They left or resigned before the case concluded"
    NOT_REMOVED = "not_removed", "No: they were not removed and have not left"
    NOT_KNOWN = "not_known", "Not known"


class Conclusion(Immutable):
    """The conclusion: outcome and date, referrals confirmed or explained, lessons; then closure."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conclusions")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    concluded_on = models.DateField()
    summary = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    pack = models.CharField(max_length=64, blank=True)
    pack_version = models.CharField(max_length=32, blank=True)
    definition = models.TextField(blank=True, help_text="The pack's definition of the outcome, as shown.")
    # What a case concluded without must say why (the closing rules in ``services/conclusion.py``).
    no_meeting_reason = models.TextField(
        blank=True, help_text="Tier 1: why no strategy meeting or LADO-chaired meeting was held."
    )
    no_quality_assurance_reason = models.TextField(
        blank=True, help_text="Tier 2: why the employer's outcome was not quality assured (accepted) first."
    )
    # The DBS duty turns on it (SVGA 2006): removed from regulated activity, or would have been had they
    # not left (blank: not answered).
    regulated_activity = models.CharField(max_length=24, choices=RegulatedActivity.choices, blank=True)
    # The recording data set's items still missing at conclusion, each with the LADO's reason ("Not known").
    missing_reasons = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Conclusion {self.pk}"


class CaseShare(models.Model):
    """A case shared with a named police or children's social care user, until ended."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Case share {self.pk}"
