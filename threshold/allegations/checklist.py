"""The case manager's checklist: section 6's steps with their records and the pack's due dates.

Starts from an allegation the caller fetched through ``threshold.access`` (or a service holds).
Steps 7 and 8 are alternatives chosen at step 2 (or 5); the Ofsted
notification is an item only for early years settings.

This is the one calculator of the employer's clocks: the allegation page reads it, and so does
``allegations.services.deadlines`` when it writes the stored deadlines. So it imports no service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import (
    AgencyRecord,
    Allegation,
    AllegationStatus,
    Employment,
    OutcomeRecord,
    ParentUpdate,
    PoliceInvolvement,
    ReferralFollowUp,
    RiskAssessment,
    Route,
    Step,
    StepRecord,
    SuspensionDecision,
)
from threshold.core.querysets import last_recorded, latest_of_kind
from threshold.policy import add_calendar_days, add_months, add_working_days
from threshold.policy.pack import Pack


def investigation_paused(allegation: Allegation) -> bool:
    """Whether the police are involved and have not yet authorised internal proceedings."""
    if allegation.status == AllegationStatus.CONCLUDED:
        return False
    return paused_by(allegation, last_recorded(allegation.police_records.all()))


def paused_by(allegation: Allegation, police: PoliceInvolvement | None) -> bool:
    """``investigation_paused``, given the police involvement that stands (a caller that has read it already)."""
    if allegation.status == AllegationStatus.CONCLUDED:
        return False
    return bool(police and police.involved and not police.proceedings_authorised)


def pack_for(allegation: Allegation) -> Pack:
    """The organisation's policy pack, as in force today."""
    return allegation.organisation.pack_in_force()


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


# The disciplinary hearing goes with step 8; its clock is stored as a deadline of its own.
HEARING = "disciplinary-hearing"


def not_recorded_kind(step: str) -> str:
    """The stored deadline a concluded allegation keeps for a step nobody recorded (``step-<step>``).

    Once the outcome is recorded a step can no longer be recorded, and the product never decides on its own
    that it was not needed: the row stays open in the case manager's work list until they close it with a
    reason (``threshold.timescales.services.deadline_close``).
    """
    return f"step-{step}"


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
    # The pack's timescale that gives the step its clock ("" for a step without one).
    kind: str = ""
    # The date the step's clock gives, kept while the step waits for the police or no longer applies (the
    # stored deadline keeps it); None while the clock has not started (route or suspension not yet decided).
    clock_due: dt.date | None = None
    # Step 8: the disciplinary hearing's clock, on the same terms.
    hearing_due: dt.date | None = None
    # Step 9: each contact keeping the parents or carers informed, in order. A log: none supersedes another.
    contacts: list[ParentUpdate] = field(default_factory=list)

    @property
    def latest(self) -> StepRecord | None:
        """The record that stands (later records supersede earlier ones)."""
        return self.records[-1] if self.records else None

    @property
    def done(self) -> bool:
        """Whether the step has been recorded (step 9: at least one contact with the parents logged)."""
        return bool(self.records or self.contacts)

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
    assessment: RiskAssessment | None = last_recorded(allegation.risk_assessments.all())
    paused = investigation_paused(allegation)
    referral = allegation.referrals.first()
    route = chosen_route(records)
    early_years = allegation.organisation.kind == OrganisationKind.EARLY_YEARS
    items = []
    for step in Step:
        if step == Step.OFSTED_NOTIFIED and not early_years and step.value not in records:
            continue
        item = ChecklistItem(step=step.value, label=str(step.label), records=records.get(step.value, []))
        if step == Step.PARENTS_KEPT_INFORMED:
            item.contacts = list(allegation.parent_updates.select_related("recorded_by"))
        timescale = STEP_TIMESCALES.get(step)
        item.kind = timescale or ""
        step_start: dt.date | None = start
        clock_start: dt.date | None = start
        if step == Step.SUSPENSION_CONFIRMED:
            clock_start = assessment.decided_on if assessment is not None else None
            if assessment is None or assessment.decision != SuspensionDecision.SUSPEND:
                item.applies = False
                item.note = "Only if the adult is suspended."
                if assessment is not None:
                    item.note = (
                        f"Not suspended: the risk assessment of {assessment.decided_on:%-d %B %Y} decided"
                        f" {SuspensionDecision(assessment.decision).label.lower()}."
                    )
                step_start = None
            else:
                step_start = assessment.decided_on
        if step in (Step.NO_FURTHER_ACTION, Step.INVESTIGATION) and not item.done:
            _route_item(item, route, records)
            if item.note:
                step_start = None
                if item.note == ROUTE_UNDECIDED:
                    clock_start = None
        if timescale and step_start is not None:
            found = due_from(pack, timescale, step_start)
            if found:
                item.due, item.due_description = found
        if timescale and clock_start is not None:
            clock = due_from(pack, timescale, clock_start)
            item.clock_due = clock[0] if clock else None
        if step == Step.INVESTIGATION and clock_start is not None and item.latest is not None:
            # The pack's 15 working days are for a hearing "needed without further investigation"; on this route
            # (KCSIE: decide within two working days of the report, then hold it within 15) the clock runs from the
            # investigation's report, never from the day the allegation came to attention while it is investigated.
            hearing = due_from(pack, "disciplinary-hearing", item.latest.done_on)
            if hearing:
                item.hearing_due = hearing[0]
                if step_start is not None:
                    item.also_due.append(hearing)
        if step == Step.DISCUSS_WITH_LADO and referral is not None and not referral.is_complete:
            item.referral_started = True
            if not item.done:
                item.note = "Referral started: complete the data set."
        if paused and step in PAUSED_STEPS and not item.done:
            item.paused, item.due, item.due_description, item.also_due = True, None, "", []
            item.note = PAUSED + ": internal investigations may be delayed until the case manager is authorised."
        # Concluding leaves a step nobody recorded outstanding: it is never "not needed" unless a person says so.
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


# ---------------------------------------------------------------- the clocks outside section 6's steps

# Which of the DBS and TRA the outcome's advice may ask for, with the name each is known by.
FOLLOW_UP_LABELS = {"dbs": "DBS", "tra": "TRA"}


def referral_follow_ups(allegation: Allegation) -> dict[str, dict[str, Any]]:
    """For each of DBS and TRA the pack advised on at the outcome: required or to consider, and what stands.

    ``made`` is the referral's date and reference (on the outcome or recorded
    after it), ``reason`` why it was not made; ``open`` while neither exists.
    """
    return follow_ups_after(allegation, last_recorded(allegation.outcomes.all()))


def follow_ups_after(allegation: Allegation, outcome: OutcomeRecord | None) -> dict[str, dict[str, Any]]:
    """``referral_follow_ups``, given the outcome that stands (a caller that has read it already)."""
    if outcome is None:
        return {}
    advice = outcome.assessment.get("referrals", {}) if isinstance(outcome.assessment, dict) else {}
    found: dict[str, dict[str, Any]] = {}
    standing: dict[str, ReferralFollowUp] = {
        row.body: row for row in latest_of_kind(allegation.follow_ups.all(), "body")
    }
    for body, label in FOLLOW_UP_LABELS.items():
        rule = advice.get(body, {})
        record = standing.get(body)
        made_on = getattr(outcome, f"{body}_referred_on")
        reference = getattr(outcome, f"{body}_reference")
        if record is not None and (record.recorded_at >= outcome.recorded_at or not made_on):
            made_on, reference = record.referred_on, record.reference
        if not rule.get("consider") and not made_on and record is None:
            continue
        reason = record.not_referred_reason if record is not None and not record.referred_on else ""
        found[body] = {
            "label": label,
            "required": bool(rule.get("required")),
            "reasons": rule.get("reasons", []),
            "made_on": made_on,
            "reference": reference,
            "reason": reason,
            "open": bool(rule.get("consider")) and not made_on and not reason,
            "record": record,
        }
    return found


def cover_clock(allegation: Allegation) -> tuple[dt.datetime, dt.date | None] | None:
    """A supply worker's replacement cover: when it is expected, and the day it was arranged (or None).

    Expected 48 hours after the suspension or removal: the first of the day the agency record gives and the first
    day a risk assessment decided to suspend (appendix 4: "If suspension is deemed appropriate, the agency must be
    notified and will be required to provide a replacement", whether or not the agency's part is recorded yet). A
    later date recorded for the agency, or a later assessment lifting the suspension, does not move or remove a
    clock that had started. None when the adult is not a supply worker, or nothing says they were suspended or
    removed.
    """
    if allegation.subject_employment != Employment.SUPPLY:
        return None
    agency: AgencyRecord | None = last_recorded(allegation.agency_records.all())
    starts = [agency.removed_on] if agency is not None and agency.removed_on is not None else []
    starts += [
        assessment.decided_on
        for assessment in allegation.risk_assessments.all()
        if assessment.decision == SuspensionDecision.SUSPEND
    ]
    if not starts:
        return None
    start = dt.datetime.combine(min(starts), dt.time.min, tzinfo=timezone.get_current_timezone())
    return start + REPLACEMENT_COVER, agency.cover_arranged_on if agency is not None else None


def cover_due(allegation: Allegation) -> dt.datetime | None:
    """When the agency's replacement cover is expected: 48 hours after a supply worker's suspension or removal.

    None when the adult is not a supply worker, the date of suspension or
    removal is not recorded, or cover has been arranged.
    """
    clock = cover_clock(allegation)
    return clock[0] if clock is not None and clock[1] is None else None
