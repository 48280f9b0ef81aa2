"""Concerns shared by staff and what the setting decides about them. Protected: fetch through ``threshold.access``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from threshold.core.references import UniqueReference, new_concern_reference


class ConcernStatus(models.TextChoices):
    """Where a concern has got to."""

    NEW = "new", "New"
    LOW_LEVEL = "low_level", "Low-level concern"
    ALLEGATION = "allegation", "Allegation"
    APPROPRIATE = "appropriate", "Appropriate conduct"
    CLOSED = "closed", "Closed"


class Concern(UniqueReference, models.Model):
    """A concern shared by a member of staff (or anonymously) about an adult in the setting.

    ``reporter`` is empty for an anonymous concern: the identity is not stored
    at all. ``routed_to_trust`` is set when the concern is about the
    headteacher (or the headteacher has a conflict of interest): then only the
    trust's director of school and trust DSLs handle it. ``reference`` is the
    random ``CON-…`` reference people quote (ADR 0017), never the id.
    """

    reference = models.CharField(max_length=24, unique=True, default=new_concern_reference, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concerns")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="concerns")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns_reported"
    )
    is_anonymous = models.BooleanField(default=False)
    routed_to_trust = models.BooleanField(default=False)
    summary = models.TextField()
    raised_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a pattern review escalates the concerns about this adult to an allegation (section 13.4).
    escalated_to = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_concerns"
    )
    closed_reason = models.TextField(blank=True)
    # Brought in from the setting's earlier log (issue 16): a closed one's clocks not shown done were missed then.
    imported = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False) | models.Q(reporter__isnull=True),
                name="concerns_anonymous_has_no_reporter",
            )
        ]
        # Every date a list sorts or filters by (issue 15): the concerns list (newest first), the home panel
        # (new or low-level, by the day raised), a reporter's own reports, and an organisation's concerns in a
        # period (pattern reviews, earlier concerns, the employer's dashboard).
        indexes = [
            models.Index(fields=["created_at", "id"], name="concerns_created"),
            models.Index(fields=["status", "raised_on"], name="concerns_status_raised"),
            models.Index(fields=["reporter", "raised_on"], name="concerns_reporter_raised"),
            models.Index(fields=["organisation", "raised_on"], name="concerns_org_raised"),
            # A setting's concerns of one status by the day raised: the home panel's open low-level concerns.
            # Without it the panel walked every low-level concern of the authority's history by
            # ``concerns_status_raised`` to find a setting's few (3.5 ms for 22,000 at the large authority, for
            # none found); with it, and the planner's statistics (``manage.py analyze``), 0.07 ms.
            models.Index(fields=["organisation", "status", "raised_on"], name="concerns_org_status_raised"),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"


class HowArose(models.TextChoices):
    """How the concern came to light (policy section 4: suspicion, complaint, disclosure, vetting)."""

    SUSPICION = "suspicion", "A suspicion"
    COMPLAINT = "complaint", "A complaint"
    DISCLOSURE_CHILD = "disclosure_child", "A disclosure by a child"
    DISCLOSURE_PARENT = "disclosure_parent", "A disclosure by a parent or carer"
    DISCLOSURE_ADULT = "disclosure_adult", "A disclosure by another adult"
    VETTING = "vetting", "Pre-employment vetting checks"
    # A concern brought in from a setting's earlier log that does not say (issue 16); never offered on a form.
    NOT_RECORDED = "not_recorded", "Not recorded in the setting's earlier records"


# What a person sharing a concern chooses from: "not recorded" is for imported concerns only.
SHARED_HOW_AROSE = tuple((value, label) for value, label in HowArose.choices if value != HowArose.NOT_RECORDED)


class Routing(models.TextChoices):
    """Who handles a concern: the setting, the trust, or the role the pack names where there is no trust."""

    SETTING = "setting", "The setting's headteacher and designated safeguarding lead"
    TRUST = "trust", "The trust's director of school and trust DSLs"
    GOVERNANCE = "governance", "The chair of governors, chair of the management committee or proprietor"


class ConcernDetails(models.Model):
    """What the person who shared a concern told us: appendix 2, questions 1 to 4, signed, timed and dated.

    Kept beside ``Concern`` so the existing record stays small. For an
    anonymous concern ``signed_name`` is empty and nothing else names the
    person who shared it.
    """

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="details")
    subject_role = models.CharField("role of the person concerned", max_length=200, blank=True)
    is_self_referral = models.BooleanField(default=False)
    how_arose = models.CharField(max_length=24, choices=HowArose.choices)
    headteacher_conflict = models.BooleanField(default=False)
    routing = models.CharField(max_length=16, choices=Routing.choices, default=Routing.SETTING)
    # Appendix 2, question 1 when a member of staff records a concern raised by someone outside the
    # setting (a parent's complaint): their name and relationship, in the sharer's words.
    raised_by = models.CharField("raised by (name and relationship)", max_length=300, blank=True)
    reroute_reason = models.TextField(blank=True)
    signed_name = models.CharField(max_length=150, blank=True)
    signed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Details of concern {self.concern_id}"


class Decision(models.TextChoices):
    """Appendix 2, question 7: where the concern sits on the spectrum of behaviour."""

    LOW_LEVEL = "low_level", "Low-level concern"
    ALLEGATION = "allegation", "Allegation (meets the harm threshold)"
    APPROPRIATE = "appropriate", "Appropriate conduct"


class Triage(models.Model):
    """The triage decision on a concern, with the pack's advice it was made against. Never edited."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="triage")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    advised_decision = models.CharField(max_length=16, choices=Decision.choices)
    rationale = models.TextField()
    override_reason = models.TextField(blank=True)
    advice_hr = models.BooleanField("advice from the HR business partner", default=False)
    advice_trust = models.BooleanField("advice from the trust directors or DSL", default=False)
    advice_lado = models.BooleanField("consultation with the LADO", default=False)
    advice_notes = models.TextField(blank=True)
    previous_concerns = models.BooleanField(default=False)
    pack_id = models.CharField(max_length=64)
    pack_version = models.CharField(max_length=32)
    pack_digest = models.CharField(max_length=80)  # "sha256:" and 64 hex digits
    facts = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Triage of concern {self.concern_id}"


class BreachCategory(models.TextChoices):
    """How the behaviour sits against the code of conduct (policy section 13.3)."""

    NO_BREACH = "no_breach", "No breach of the code of conduct"
    BOUNDARIES = "boundaries", "Professional boundaries with children"
    LANGUAGE = "language", "Inappropriate, sexualised, intimidating or offensive language"
    DEVICES = "devices", "Photographs or personal devices"
    ONE_TO_ONE = "one_to_one", "One-to-one contact in a secluded area or behind a closed door"
    OUTSIDE_WORK = "outside_work", "Conduct outside work"
    OTHER = "other", "Another part of the code of conduct"


class FurtherAction(models.TextChoices):
    """What happens next (appendix 2, 'details of further action required')."""

    NONE = "none", "No further action"
    CONVERSATION = "conversation", "A conversation to discuss the concern"
    FORMAL_PLAN = "formal_plan", "A formal plan for addressing the behaviour"
    DISCIPLINARY = "disciplinary", "Disciplinary action, with the HR business partner"


class MatrixColumn(models.TextChoices):
    """The response matrix's columns for a low-level concern (appendix 3)."""

    ACCIDENTAL = "accidental", "Accidental (generally the first incident)"
    NEGLECTFUL = "neglectful", "Neglectful (a further incident)"


class LowLevelRecord(models.Model):
    """Appendix 2, questions 5, 6 and further action, for a concern triaged as low level, and the matrix's plan.

    The response matrix is a plan, not text: "Accidental (Generally the first incident): Meeting with
    individual, Investigate, Advise, Monitor, Review"; "Neglectful (a further incident): … Formal plan in place
    for addressing issue / behaviour, Monitor, Review".
    """

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="low_level_record")
    spoke_to_raiser = models.BooleanField(default=False)
    spoke_to_person = models.BooleanField(default=False)
    spoke_to_witnesses = models.BooleanField(default=False)
    investigation_steps = models.TextField(blank=True)
    individual_response = models.TextField(blank=True)
    breach_category = models.CharField(max_length=16, choices=BreachCategory.choices, blank=True)
    further_action = models.CharField(max_length=16, choices=FurtherAction.choices, blank=True)
    action_owner = models.CharField(max_length=150, blank=True)
    action_due_on = models.DateField(null=True, blank=True)
    action_done_on = models.DateField(null=True, blank=True)
    # The leaving date retention counts from is the person's (``Person.left_employment_on``), recorded once.
    substantiated = models.BooleanField(default=False)
    # Section 13.5: "or where the concern (or group of concerns) relates to issues which would ordinarily be
    # included in a reference, such as misconduct or poor performance" — the head's judgement, read by the pack.
    ordinarily_in_reference = models.BooleanField(default=False)
    matrix_column = models.CharField(max_length=16, choices=MatrixColumn.choices, blank=True)
    met_individual_on = models.DateField(null=True, blank=True)
    advice_given = models.TextField(blank=True)
    formal_plan = models.TextField(blank=True)
    monitor_until = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    # The pack's retention and reference decisions as they were when the record was saved.
    pack_id = models.CharField(max_length=64, blank=True)
    pack_version = models.CharField(max_length=32, blank=True)
    pack_digest = models.CharField(max_length=80, blank=True)  # "sha256:" and 64 hex digits
    retention_facts = models.JSONField(default=dict, blank=True)
    retention_result = models.JSONField(default=dict, blank=True)
    reference_facts = models.JSONField(default=dict, blank=True)
    reference_result = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # The home panel's further actions due: not done, due by a day (issue 15).
        indexes = [models.Index(fields=["action_done_on", "action_due_on"], name="concerns_llr_action_due")]

    def __str__(self) -> str:
        return f"Low-level concern record {self.concern_id}"


class PatternReview(models.Model):
    """A review of the concerns raised in a period, at least once a term (policy section 13.4)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Pattern review {self.pk}"


class PatternFinding(models.Model):
    """What a review found about one person; a pattern may be escalated to an allegation."""

    review = models.ForeignKey(PatternReview, on_delete=models.PROTECT, related_name="findings")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    pattern_found = models.BooleanField(default=False)
    findings = models.TextField()
    allegation = models.ForeignKey(
        "allegations.Allegation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "subject"], name="concerns_one_finding_per_person_per_review")
        ]

    def __str__(self) -> str:
        return f"Pattern finding {self.pk}"


class SignOffKind(models.TextChoices):
    """What a headteacher signs off: a DSL's triage decision or a DSL's closing of a concern (section 13.3)."""

    TRIAGE = "triage", "The decision on the concern"
    CLOSURE = "closure", "Closing the concern"


class SignOffState(models.TextChoices):
    """Where a sign-off has got to."""

    AWAITING = "awaiting", "Awaiting the headteacher's sign-off"
    AGREED = "agreed", "Signed off"
    SENT_BACK = "sent_back", "Sent back"


class HeadSignOff(models.Model):
    """A DSL's decision waiting for the headteacher, who "will make the ultimate decision" (13.3; ADR 0025).

    A low-level or appropriate-conduct decision is kept in ``proposal`` (the triage as the DSL made it) and
    takes effect only when the head agrees; an allegation proceeds at once and the head confirms it; a
    closure (``closure_reason``) closes the concern only when the head agrees. ``reason`` says why the head
    sent it back. One sign-off at a time awaits on a concern.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="sign_offs")
    kind = models.CharField(max_length=16, choices=SignOffKind.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    proposal = models.JSONField(default=dict, blank=True)
    closure_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=SignOffState.choices, default=SignOffState.AWAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern"],
                condition=models.Q(state="awaiting"),
                name="concerns_one_sign_off_awaiting",
            )
        ]

    def __str__(self) -> str:
        return f"Sign-off {self.pk} of concern {self.concern_id}"


class ConcernHrShare(models.Model):
    """A low-level concern the head (or its handlers) shared with one HR business partner for advice (13.3).

    "The headteacher should always seek advice from their HR business partner": the partner named here may
    read this one concern (``threshold.access``, while they remain an HR business partner of its setting or
    trust) and add advice; every other low-level concern stays out of their reach.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="hr_shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    # Set when the partner stops partnering the concern's setting (``accounts.services``): the share never
    # comes back if they are made its HR business partner again.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shared_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "user"], name="concerns_one_hr_share_per_partner")]

    def __str__(self) -> str:
        return f"HR share {self.pk} of concern {self.concern_id}"
