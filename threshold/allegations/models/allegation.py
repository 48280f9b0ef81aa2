"""The allegation, its referral to the LADO, the steps of section 6, risk, support and progress.

Protected: fetch only through ``threshold.access``. The allegation itself carries a ``version`` for the few
facts that are edited; everything else is an immutable row with who and when (ADR 0009).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core import record_ids
from threshold.core.models import Immutable
from threshold.core.references import UniqueReference, new_allegation_reference
from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender


class AllegationStatus(models.TextChoices):
    """Where an allegation has got to."""

    OPEN = "open", "Open"
    REFERRED = "referred", "Referred to the LADO"
    CONCLUDED = "concluded", "Concluded"


class Employment(models.TextChoices):
    """How the adult is engaged (appendix 4 treats supply staff, contractors and volunteers apart)."""

    EMPLOYED = "employed", "Employed by the setting"
    SUPPLY = "supply", "Supply worker (through an agency)"
    CONTRACTOR = "contractor", "Contractor"
    VOLUNTEER = "volunteer", "Volunteer"


class Allegation(UniqueReference, models.Model):
    """An allegation the employer manages, with a case manager.

    ``reference`` is the random ``ALG-…`` reference people quote (ADR 0017), never the id.
    """

    reference = models.CharField(max_length=24, unique=True, default=new_allegation_reference, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="allegations")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allegations")
    concern = models.ForeignKey(
        "concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="allegations"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="allegations_managed"
    )
    routed_to_trust = models.BooleanField(default=False)
    summary = models.TextField()
    status = models.CharField(max_length=16, choices=AllegationStatus.choices, default=AllegationStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    came_to_attention_on = models.DateField(
        null=True, blank=True, help_text="When it came to the organisation's attention; the pack's clocks start here."
    )
    subject_employment = models.CharField(max_length=16, choices=Employment.choices, default=Employment.EMPLOYED)
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allegations_as_agency",
        help_text="The agency that supplies the adult (supply workers).",
    )
    subject_is_teacher = models.BooleanField(default=False)
    accused_by_pupil = models.BooleanField(default=False)
    reporting_restriction_ended_on = models.DateField(null=True, blank=True)
    interim_prohibition_order = models.BooleanField(default=False)
    # The harm threshold's limbs as answered when a low-level concern was escalated ("if the threshold for referral
    # to LADO may be met"): fact name to True or False, in place of the triage's answers that made it low-level.
    threshold_answers = models.JSONField(default=dict, blank=True)
    # Appendix 4: an agency or contracting company that is not an organisation in Threshold is
    # recorded by name with a contact (email or phone) instead of ``agency``.
    agency_name = models.CharField("agency or contracting company", max_length=200, blank=True)
    agency_contact = models.CharField("contact email or phone", max_length=200, blank=True)
    # Appendix 4: a supply worker, contractor or volunteer not to be accepted in any of the trust's
    # academies while under investigation. The trust's schools see the name as a restriction.
    barred_from_trust = models.BooleanField(default=False)
    barred_from_trust_since = models.DateTimeField(null=True, blank=True)
    # Appendix 4: "Any allegations against a supply worker who is no longer teaching should be referred to
    # the police." The engine's ``left_employment_on`` fact: the day the adult stopped working at the setting.
    left_employment_on = models.DateField(
        "date the adult left",
        null=True,
        blank=True,
        help_text="When the adult's employment or placement at the setting ended; empty while they still work there.",
    )
    # Brought in from the setting's earlier records (issue 16): a concluded one's clocks not shown done were
    # missed then, not work due today.
    imported = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        # Every date a list sorts or filters by (issue 15): the allegations list and the home panel (open or
        # concluded, newest first), and an organisation's allegations by when they came to attention or were
        # opened (the employer's dashboard and reports).
        indexes = [
            models.Index(fields=["created_at", "id"], name="allegations_created"),
            models.Index(fields=["status", "created_at"], name="allegations_status_created"),
            models.Index(fields=["organisation", "came_to_attention_on"], name="allegations_org_attention"),
            models.Index(fields=["organisation", "created_at"], name="allegations_org_created"),
        ]

    def __str__(self) -> str:
        return f"Allegation {self.pk}"

    @property
    def reporting_restricted(self) -> bool:
        """Education Act 2002 s141F: a teacher accused by a pupil, until charge or the restriction ends."""
        return self.subject_is_teacher and self.accused_by_pupil and self.reporting_restriction_ended_on is None

    @property
    def agency_display(self) -> str:
        """The agency (supply) or contracting company (contractor), in Threshold or recorded by name."""
        if self.agency is not None:
            return self.agency.name
        return self.agency_name

    def attention_date(self) -> Any:
        """The date the pack's clocks count from."""
        return self.came_to_attention_on or timezone.localdate(self.created_at)


# ---------------------------------------------------------------- the LADO referral


class RiskManaged(models.TextChoices):
    """How the risk has been managed so far."""

    SUSPENDED = "suspended", "Suspended"
    RESTRICTED = "restricted", "Restricted duties"
    REDEPLOYED = "redeployed", "Redeployed"
    NONE = "none", "No action yet"


class Referral(Immutable):
    """A referral to the LADO of the setting's local authority, with the recording data set.

    The LADO side receives it (``local_authority``); the employer sees it on
    the allegation page. A referral is never edited: a corrected referral is
    a new one that supersedes it.
    """

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="referrals")
    local_authority = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    adult_name = models.CharField(max_length=200)
    adult_address = models.TextField(blank=True)
    adult_date_of_birth = models.DateField(null=True, blank=True)
    adult_gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    adult_ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices, blank=True)
    adult_role = models.CharField("role or occupation", max_length=200, blank=True)
    employer_name = models.CharField("employing organisation", max_length=200)
    agency_name = models.CharField("agency (supply staff)", max_length=200, blank=True)
    referring_organisation = models.CharField(max_length=200)
    referrer_name = models.CharField(max_length=200)
    referrer_contact = models.CharField(max_length=200, blank=True)
    came_to_light = models.CharField(max_length=32, choices=CameToLight.choices, blank=True)
    abuse_categories = models.JSONField(default=list)
    incident_date = models.DateField(null=True, blank=True)
    non_recent = models.BooleanField(null=True)
    summary = models.TextField()
    risk_managed = models.CharField(max_length=16, choices=RiskManaged.choices, blank=True)
    police_involved = models.BooleanField(default=False)
    childrens_social_care_involved = models.BooleanField(default=False)
    pack = models.CharField(max_length=64)
    pack_version = models.CharField(max_length=32)
    pack_digest = models.CharField(max_length=80)  # "sha256:" and 64 hex digits
    facts = models.JSONField(default=dict)
    assessment = models.JSONField(default=dict)
    # A referral made in one step (a pattern review escalated) carries only what was known: it is
    # incomplete until the case manager submits the data set, and only then is step 2 done.
    is_complete = models.BooleanField(default=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # "May this LADO service follow this allegation?" (``view_referred``) asks both at once: without it,
            # SQLite walked every referral of the authority to find the one allegation's (18 ms of a case page).
            models.Index(fields=["allegation", "local_authority"], name="allegations_referral_to_la"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def reference(self) -> str:
        """The reference quoted for this version of the referral: its URL token, which counts nothing (ADR 0017)."""
        return f"R-{record_ids.encode(self.pk)}"

    def abuse_category_labels(self) -> list[str]:
        """The categories in words."""
        labels = dict(AbuseCategory.choices)
        return [str(labels.get(value, value)) for value in self.abuse_categories]


class ReferralChild(models.Model):
    """A child involved, as the referral records them."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField(max_length=200)
    # The protocol's data set: "Name, Address, Date of Birth, gender and ethnicity of the adult and the victim".
    address = models.TextField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices, blank=True)

    def __str__(self) -> str:
        return f"Child on referral {self.referral_id}"


# ---------------------------------------------------------------- the case manager's steps (section 6)


class Step(models.TextChoices):
    """The case manager's steps, section 6 (1–9)."""

    BASIC_ENQUIRIES = "basic-enquiries", "1. Conduct basic enquiries"
    DISCUSS_WITH_LADO = "discuss-with-lado", "2. Discuss the allegation with the LADO"
    SUSPENSION_CONSIDERED = "suspension-considered", "3. Discuss suspension or alternative arrangements"
    PARENTS_INFORMED = "parents-informed", "4. Inform the parents or carers"
    HR_STRATEGY = "hr-strategy", "5. Discuss with HR and define a strategy"
    SUSPENSION_CONFIRMED = "suspension-written-confirmation", "6. Confirm suspension in writing"
    NO_FURTHER_ACTION = "no-further-action", "7. No further action: record the decision"
    INVESTIGATION = "investigation", "8. Investigate the allegation"
    PARENTS_KEPT_INFORMED = "parents-kept-informed", "9. Keep the parents or carers informed"
    # Not one of section 6's numbered steps: early years settings must notify Ofsted within 14 days.
    OFSTED_NOTIFIED = "ofsted-notification", "Notify Ofsted (early years settings)"


class Route(models.TextChoices):
    """The course of action agreed at step 2 (with the LADO): it decides whether step 7 or step 8 falls due."""

    INVESTIGATION = "investigation", "Investigate the allegation (step 8)"
    NO_FURTHER_ACTION = "no-further-action", "No further action (step 7)"


class StepRecord(Immutable):
    """What the case manager did or decided at one step; the latest record of a step stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="step_records")
    step = models.CharField(max_length=40, choices=Step.choices)
    done_on = models.DateField()
    decision = models.TextField()
    justification = models.TextField(blank=True)
    written_information = models.TextField(blank=True)
    written_to = models.CharField(max_length=200, blank=True)
    written_by = models.CharField(max_length=200, blank=True)
    # Step 2 (and the HR strategy of step 5): the route chosen; blank while still undecided.
    route = models.CharField(max_length=32, choices=Route.choices, blank=True)
    # Step 7: what follows for the individual and for those who made the allegation, agreed with the LADO?
    action_for_individual = models.TextField(blank=True)
    action_for_allegers = models.TextField(blank=True)
    agreed_with_lado = models.BooleanField(null=True)
    # The Ofsted notification: who notified and Ofsted's reference.
    done_by = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Step {self.step} on allegation {self.allegation_id}"


# ---------------------------------------------------------------- suspension (6.1, appendix 3)


class SuspensionDecision(models.TextChoices):
    """What was decided after the risk assessment."""

    SUSPEND = "suspend", "Suspend"
    ALTERNATIVES = "alternatives", "Alternative arrangements instead of suspension"
    NO_CHANGE = "no_change", "No suspension or restriction needed"


class RiskAssessment(Immutable):
    """The appendix 3 suspension risk assessment and the decision it led to."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="risk_assessments")
    context = models.TextField(blank=True)
    additional_notes = models.TextField(blank=True)
    period_for_measures = models.CharField(max_length=200)
    review_on = models.DateField("agreed review date")
    alternatives = models.JSONField(default=list, help_text="Each 6.1 alternative: text, used, reason.")
    decision = models.CharField(max_length=16, choices=SuspensionDecision.choices)
    decided_on = models.DateField()
    decision_reason = models.TextField()
    # Policy 6.1: "The case manager should discuss all options with the HR team prior to making any decisions on
    # suspension in addition to reviewing these options with the LADO." When each happened, or why not before.
    hr_discussed_on = models.DateField("options discussed with HR on", null=True, blank=True)
    lado_reviewed_on = models.DateField("options reviewed with the LADO on", null=True, blank=True)
    not_discussed_reason = models.TextField("why the options were not discussed before the decision", blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Risk assessment {self.pk}"


class RiskRow(models.Model):
    """One row of the appendix 3 table."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="rows")
    area = models.CharField("area of potential risk", max_length=300)
    responsibilities = models.TextField("main responsibilities", blank=True)
    potential_risks = models.TextField("potential risks to pupils, school or employee")
    mitigation = models.TextField("method of potential mitigation")
    monitoring = models.TextField("monitoring or action", blank=True)

    def __str__(self) -> str:
        return f"Risk row {self.pk}"


# ---------------------------------------------------------------- support (6.2) and police


class InformingObjection(models.TextChoices):
    """Who, if anyone, objects to the adult being told (section 6.2).

    The adult is told "as soon as possible ... unless there is an objection by the police or social care".
    """

    NONE = "none", "No objection"
    POLICE = "police", "The police object"
    SOCIAL_CARE = "social-care", "Children's social care object"
    BOTH = "both", "The police and children's social care object"

    @property
    def held_back(self) -> str:
        """Why the adult is not told yet, as a sentence says it ("the police object to the adult being told")."""
        return f"{self.label[0].lower()}{self.label[1:]} to the adult being told"


class SupportRecord(Immutable):
    """How the adult is supported (section 6.2); the latest record stands."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="support_records")
    informed_on = models.DateField(null=True, blank=True)
    informed_of = models.TextField(blank=True)
    # Why the adult has not been told yet, when that is the police's or social care's wish (section 6.2).
    objection = models.CharField(max_length=16, choices=InformingObjection.choices, default=InformingObjection.NONE)
    objection_detail = models.TextField(blank=True)
    representative_name = models.CharField(max_length=200)
    representative_contact = models.CharField(max_length=200)
    union_advised = models.BooleanField(default=False)
    eap_offered = models.BooleanField(default=False)
    occupational_health_offered = models.BooleanField(default=False)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Support record {self.pk}"


class ProgressUpdate(Immutable):
    """A progress update given to the adult by the named representative."""

    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="progress_updates")
    given_on = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"Progress update {self.pk}"
