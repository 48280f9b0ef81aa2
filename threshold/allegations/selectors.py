"""Reads for the allegation pages: the checklist with due dates, restrictions, lessons, the home panel.

Every function starts from records the caller fetched through
``threshold.access`` (an allegation, or ``visible_allegations``), except
``trust_restrictions``, which is its own rule (see its docstring).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from threshold.access import fetch
from threshold.access.policies import not_about_user
from threshold.access.scope import scope_for
from threshold.accounts.models import Membership, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.allegations.models import (
    AgencyRecord,
    Allegation,
    AllegationStatus,
    Employment,
    Lesson,
    PoliceInvolvement,
    RiskAssessment,
    Step,
    StepRecord,
    SuspensionDecision,
)
from threshold.allegations.services import investigation_paused, pack_for
from threshold.policy import add_calendar_days, add_months, add_working_days
from threshold.policy.pack import Pack

# Which of the pack's timescales gives each step its due date.
STEP_TIMESCALES = {
    Step.DISCUSS_WITH_LADO: "inform-lado",
    Step.SUSPENSION_CONFIRMED: "suspension-written-confirmation",
    Step.NO_FURTHER_ACTION: "no-further-action-employer-action",
    Step.INVESTIGATION: "investigation-report",
}

# What section 6 of the policy says about each step, shown on its form.
STEP_GUIDANCE = {
    Step.BASIC_ENQUIRIES: (
        "Conduct basic enquiries to determine whether to make a referral to the LADO or to help determine whether "
        "there is no foundation to the allegation. This is not a full investigation until the LADO referral has been "
        "completed. Advise HR that a referral has been made."
    ),
    Step.DISCUSS_WITH_LADO: (
        "Discuss the allegation with the LADO to consider its nature, content and context and agree a course of "
        "action: whether further enquiries are necessary, whether suspension should be applied, and whether it is "
        "necessary to involve the police and/or children's social care services."
    ),
    Step.SUSPENSION_CONSIDERED: (
        "Discuss with the LADO whether a suspension should be put in place or whether alternative arrangements can "
        "be made to mitigate any risk to children. Document the risk assessment (appendix 3)."
    ),
    Step.PARENTS_INFORMED: (
        "Inform the parents or carers of the child or children involved as soon as possible if they do not already "
        "know (following agreement with children's social care services and/or the police, if applicable), and of "
        "the requirement to maintain confidentiality about allegations made against teachers while investigations "
        "are ongoing."
    ),
    Step.HR_STRATEGY: (
        "Following discussions with the LADO, discuss the case with HR and define a strategy, including when to "
        "inform the employee and the likely course of action. Where the police and/or children's social care are "
        "involved, share with the individual only what has been agreed with those agencies."
    ),
    Step.SUSPENSION_CONFIRMED: (
        "If immediate suspension is considered necessary, confirm it in writing within one working day."
    ),
    Step.NO_FURTHER_ACTION: (
        "Record the decision and the justification for it, and agree with the LADO what information should be put "
        "in writing to the individual and by whom, as well as what action should follow both in respect of the "
        "individual and those who made the initial allegation."
    ),
    Step.INVESTIGATION: "Progress to an investigation of the allegation or concern in conjunction with HR advice.",
    Step.PARENTS_KEPT_INFORMED: (
        "Keep the parents or carers of the child or children involved informed of the progress of the case (only in "
        "relation to their child: no information is shared regarding the staff member)."
    ),
}

# While the police investigate, these steps wait for their authority (and show no due date).
PAUSED_STEPS = frozenset({Step.INVESTIGATION, Step.PARENTS_KEPT_INFORMED})
PAUSED = "Paused (police investigation)"

# Supply workers: the agency is expected to provide replacement cover within 48 hours (appendix 4).
REPLACEMENT_COVER = dt.timedelta(hours=48)


@dataclass
class ChecklistItem:
    """One step of section 6: its latest record, its due date and whether it is overdue."""

    step: str
    label: str
    records: list[StepRecord] = field(default_factory=list)
    due: dt.date | None = None
    due_description: str = ""
    applies: bool = True
    note: str = ""
    # Other clocks of the pack that belong with this step (a hearing without further investigation).
    also_due: list[tuple[dt.date, str]] = field(default_factory=list)
    # Waiting for the police to authorise internal proceedings: no due date, never overdue.
    paused: bool = False
    # Step 2: a referral was started in one step and its data set is still to be completed.
    referral_started: bool = False

    @property
    def latest(self) -> StepRecord | None:
        """The record that stands (later records supersede earlier ones)."""
        return self.records[-1] if self.records else None

    @property
    def done(self) -> bool:
        """Whether the step has been recorded."""
        return bool(self.records)

    @property
    def overdue(self) -> bool:
        """Due, not done, not paused, and the due date has passed."""
        return (
            self.applies
            and not self.done
            and not self.paused
            and self.due is not None
            and self.due < timezone.localdate()
        )


def due_from(pack: Pack, timescale_id: str, start: dt.date) -> tuple[dt.date, str] | None:
    """When a pack's timescale falls due counted from ``start``, with its description; None if the pack has none."""
    for timescale in pack.timescales:
        if timescale.id == timescale_id:
            if timescale.unit == "working_days":
                due = add_working_days(start, timescale.count)
            elif timescale.unit == "calendar_days":
                due = add_calendar_days(start, timescale.count)
            else:
                due = add_months(start, timescale.count)
            return due, timescale.description
    return None


# The pack's rule on resignations and settlement agreements (policy section 9), if it has one.
SETTLEMENT_RULE = "resignation-and-settlement"
SETTLEMENT_FALLBACK = (
    "Settlement agreements (compromise agreements) do not end the duty to refer: where someone is removed from "
    "regulated activity, or would have been had they not resigned, the duty to refer to the DBS still applies, and "
    "allegations should be concluded even where the person resigns or refuses to cooperate. "
    "(Summarised from Keeping children safe in education, part 4: the {pack} policy pack has no rule on "
    "settlement agreements.)"
)


def settlement_warning(pack: Pack) -> str:
    """The pack's warning on settlement agreements, or a neutral KCSIE summary marked as such."""
    for statement in pack.guidance:
        if statement.id == SETTLEMENT_RULE:
            about = [item for item in statement.items if "settlement" in item.lower()]
            return " ".join([statement.text, *about]) + (f" ({statement.source})" if statement.source else "")
    return SETTLEMENT_FALLBACK.format(pack=pack.id)


def latest(queryset: QuerySet[Any]) -> Any:
    """The record that stands: the last one recorded."""
    return queryset.order_by("recorded_at", "pk").last()


def checklist(allegation: Allegation) -> list[ChecklistItem]:
    """The case manager's steps 1–9 with their records and due dates from the organisation's pack."""
    pack = pack_for(allegation)
    start = allegation.attention_date()
    records: dict[str, list[StepRecord]] = {}
    for record in allegation.step_records.select_related("recorded_by"):
        records.setdefault(record.step, []).append(record)
    assessment: RiskAssessment | None = latest(allegation.risk_assessments.all())
    concluded = allegation.status == AllegationStatus.CONCLUDED
    paused = investigation_paused(allegation)
    referral = allegation.referrals.first()
    items = []
    for step in Step:
        item = ChecklistItem(step=step.value, label=str(step.label), records=records.get(step.value, []))
        timescale = STEP_TIMESCALES.get(step)
        step_start: dt.date | None = start
        if step == Step.SUSPENSION_CONFIRMED:
            if assessment is None or assessment.decision != SuspensionDecision.SUSPEND:
                item.applies = False
                item.note = "Only if the adult is suspended."
                step_start = None
            else:
                step_start = assessment.decided_on
        if step == Step.NO_FURTHER_ACTION and Step.INVESTIGATION in records:
            item.applies, item.note = False, "An investigation was started instead."
        if step == Step.INVESTIGATION and Step.NO_FURTHER_ACTION in records:
            item.applies, item.note = False, "No further action was decided instead."
        if timescale and step_start is not None:
            found = due_from(pack, timescale, step_start)
            if found:
                item.due, item.due_description = found
        if step == Step.INVESTIGATION:
            hearing = due_from(pack, "disciplinary-hearing", start)
            if hearing:
                item.also_due.append(hearing)
        if step == Step.DISCUSS_WITH_LADO and referral is not None and not referral.is_complete:
            item.referral_started = True
            if not item.done:
                item.note = "Referral started: complete the data set."
        if paused and step in PAUSED_STEPS and not item.done:
            item.paused, item.due, item.due_description, item.also_due = True, None, "", []
            item.note = PAUSED + ": internal investigations may be delayed until the case manager is authorised."
        if concluded and not item.done:
            item.applies = False
        items.append(item)
    return items


@dataclass
class DueItem:
    """Something due on an allegation, for the allegation page and the home page."""

    allegation: Allegation
    text: str
    due: dt.date | dt.datetime
    anchor: str = ""

    @property
    def overdue(self) -> bool:
        """Whether the date has passed."""
        now = timezone.now() if isinstance(self.due, dt.datetime) else timezone.localdate()
        return self.due < now


def due_items(allegation: Allegation) -> list[DueItem]:
    """What is due on an open allegation: unrecorded steps with due dates, the risk assessment review, cover."""
    if allegation.status == AllegationStatus.CONCLUDED:
        return []
    items = [
        DueItem(allegation, item.label, item.due, f"step-{item.step}")
        for item in checklist(allegation)
        if item.applies and not item.done and item.due is not None
    ]
    assessment: RiskAssessment | None = latest(allegation.risk_assessments.all())
    if assessment is not None:
        items.append(DueItem(allegation, "Review the suspension risk assessment", assessment.review_on, "suspension"))
    cover = cover_due(allegation)
    if cover is not None:
        items.append(DueItem(allegation, "Replacement cover expected from the agency", cover, "agency"))
    return sorted(items, key=lambda item: _as_date(item.due))


def cover_due(allegation: Allegation) -> dt.datetime | None:
    """When the agency's replacement cover is expected: 48 hours after a supply worker's suspension or removal.

    None when the adult is not a supply worker, the date of suspension or
    removal is not recorded, or cover has been arranged.
    """
    if allegation.subject_employment != Employment.SUPPLY:
        return None
    agency: AgencyRecord | None = latest(allegation.agency_records.all())
    if agency is None or agency.removed_on is None or agency.cover_arranged_on is not None:
        return None
    start = dt.datetime.combine(agency.removed_on, dt.time.min, tzinfo=timezone.get_current_timezone())
    return start + REPLACEMENT_COVER


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def allegation_state(allegation: Allegation) -> dict[str, Any]:
    """The latest records that stand on an allegation, for its page."""
    police: PoliceInvolvement | None = latest(allegation.police_records.all())
    assessment: RiskAssessment | None = latest(allegation.risk_assessments.prefetch_related("rows"))
    return {
        "referral": allegation.referrals.select_related("local_authority").prefetch_related("children").first(),
        "referral_count": allegation.referrals.count(),
        "risk_assessment": assessment,
        "support": latest(allegation.support_records.all()),
        "progress_updates": list(allegation.progress_updates.select_related("recorded_by")),
        "police": police,
        "paused": investigation_paused(allegation),
        "cover_due": cover_due(allegation),
        "outcome": latest(allegation.outcomes.all()),
        "file_record": latest(allegation.file_records.all()),
        "lessons": list(allegation.lessons.select_related("recorded_by")),
        "agency_record": latest(allegation.agency_records.select_related("agency")),
        "suspend_now": allegation.interim_prohibition_order
        and not (assessment and assessment.decision == SuspensionDecision.SUSPEND),
    }


def open_allegations_managed(user: User) -> QuerySet[Allegation]:
    """Open allegations this user may change (case manager, DSL, trust, HR), for the home page."""
    return (
        fetch.visible_allegations(user, "change")
        .exclude(status=AllegationStatus.CONCLUDED)
        .select_related("subject", "organisation")
    )


def lessons_for(user: User) -> QuerySet[Lesson]:
    """Lessons learned from the allegations this user may see, newest first."""
    return Lesson.objects.filter(allegation__in=fetch.visible_allegations(user, "view")).select_related(
        "organisation", "recorded_by", "allegation"
    )


RESTRICTION_ROLES = frozenset({Role.CASE_MANAGER, Role.DSL, Role.DIRECTOR_OF_SCHOOL, Role.HR_BUSINESS_PARTNER})


def restriction_trusts(user: User) -> set[int]:
    """The trusts whose academies this user handles safeguarding for (case manager, DSL, director, HR)."""
    trusts: set[int] = set()
    for membership in Membership.objects.filter(user=user, is_active=True, role__in=RESTRICTION_ROLES).select_related(
        "organisation"
    ):
        organisation = membership.organisation
        if organisation.kind == OrganisationKind.ACADEMY_TRUST:
            trusts.add(organisation.pk)
        elif organisation.trust_id:
            trusts.add(organisation.trust_id)
    return trusts


@dataclass(frozen=True)
class Restriction:
    """A person not to be accepted in the trust's academies: their name and nothing about the allegation."""

    name: str
    trust: str
    since: dt.datetime


def trust_restrictions(user: User) -> list[Restriction]:
    """People barred from all the trust's academies while under investigation (appendix 4).

    Its own rule, not an allegation read: the case managers, DSLs, directors
    and HR of a trust's schools see the *name* of a supply worker, contractor
    or volunteer whom one of the trust's academies has barred while an
    allegation is open, so that no other academy of the trust accepts them.
    The allegation itself stays with those who may see it. Subject exclusion
    (rule 2) still applies: nobody sees a restriction about themselves.
    """
    trusts = restriction_trusts(user)
    if not trusts:
        return []
    excluded = not_about_user(scope_for(user), "subject__")
    barred = (
        Allegation.objects.filter(organisation__trust_id__in=trusts, barred_from_trust=True)
        .exclude(status=AllegationStatus.CONCLUDED)
        .filter(excluded)
        .select_related("subject", "organisation__trust")
    )
    return sorted(
        (
            Restriction(
                name=allegation.subject.full_name,
                trust=allegation.organisation.trust.name if allegation.organisation.trust else "",
                since=allegation.barred_from_trust_since or allegation.created_at,
            )
            for allegation in barred
        ),
        key=lambda r: r.name,
    )
