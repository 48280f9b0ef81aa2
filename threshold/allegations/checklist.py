"""The case manager's checklist: section 6's steps with their records and the pack's due dates.

Starts from an allegation the caller fetched through ``threshold.access``.
Steps 7 and 8 are alternatives chosen at step 2 (or 5); the Ofsted
notification is an item only for early years settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    RiskAssessment,
    Route,
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
    Step.OFSTED_NOTIFIED: "ofsted-notification",
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
    Step.OFSTED_NOTIFIED: (
        "Registered early years providers must notify Ofsted of any allegation of serious harm or abuse by any "
        "person working or looking after children at the premises, and the action taken, as soon as reasonably "
        "practicable and at the latest within 14 days. Record who notified Ofsted, when, and Ofsted's reference."
    ),
}

# Step 7 and step 8 are alternatives: neither falls due until the route is chosen at step 2 (or 5).
ROUTE_STEPS = frozenset({Step.DISCUSS_WITH_LADO, Step.HR_STRATEGY})
ROUTE_UNDECIDED = "Due once the course of action is agreed (step 2, with the LADO)."

# While the police investigate, these steps wait for their authority (and show no due date).
PAUSED_STEPS = frozenset({Step.NO_FURTHER_ACTION, Step.INVESTIGATION, Step.PARENTS_KEPT_INFORMED})
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


def latest(queryset: QuerySet[Any]) -> Any:
    """The record that stands: the last one recorded."""
    return queryset.order_by("recorded_at", "pk").last()


def chosen_route(records: dict[str, list[StepRecord]]) -> str:
    """The course of action last agreed at step 2 or 5 (``Route``), or "" while undecided."""
    chosen = [record for step in ROUTE_STEPS for record in records.get(step, []) if record.route]
    return max(chosen, key=lambda record: (record.recorded_at, record.pk)).route if chosen else ""


def checklist(allegation: Allegation) -> list[ChecklistItem]:
    """The case manager's steps 1–9 (and Ofsted for early years) with their records and the pack's due dates.

    Steps 7 and 8 are alternatives: neither has a due date until the route
    is chosen, then only the chosen one; while the police investigate, both
    (and step 9) are paused and never overdue.
    """
    pack = pack_for(allegation)
    start = allegation.attention_date()
    records: dict[str, list[StepRecord]] = {}
    for record in allegation.step_records.select_related("recorded_by"):
        records.setdefault(record.step, []).append(record)
    assessment: RiskAssessment | None = latest(allegation.risk_assessments.all())
    concluded = allegation.status == AllegationStatus.CONCLUDED
    paused = investigation_paused(allegation)
    referral = allegation.referrals.first()
    route = chosen_route(records)
    early_years = allegation.organisation.kind == OrganisationKind.EARLY_YEARS
    items = []
    for step in Step:
        if step == Step.OFSTED_NOTIFIED and not early_years and step.value not in records:
            continue
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
        if step in (Step.NO_FURTHER_ACTION, Step.INVESTIGATION) and not item.done:
            _route_item(item, route, records)
            if item.note:
                step_start = None
        if timescale and step_start is not None:
            found = due_from(pack, timescale, step_start)
            if found:
                item.due, item.due_description = found
        if step == Step.INVESTIGATION and step_start is not None:
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


def _route_item(item: ChecklistItem, route: str, records: dict[str, list[StepRecord]]) -> None:
    """Step 7 or 8 not yet recorded: not needed if the other was, due only once chosen (a note says which)."""
    other = Step.INVESTIGATION if item.step == Step.NO_FURTHER_ACTION else Step.NO_FURTHER_ACTION
    if other.value in records:
        item.applies = False
        item.note = (
            "An investigation was started instead."
            if other == Step.INVESTIGATION
            else "No further action was decided instead."
        )
    elif not route:
        item.note = ROUTE_UNDECIDED
    elif route != item.step:
        item.applies = False
        item.note = f"Not the course of action agreed: {Route(route).label}."
