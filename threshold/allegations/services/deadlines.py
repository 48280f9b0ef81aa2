"""The employer's clocks on an allegation, stored as deadlines (ADR 0024).

``allegation_deadlines_sync`` works out, from what the checklist already calculates
(``threshold.allegations.checklist``: the one calculator the allegation page reads too), a
``DeadlineSpec`` for each clock the pack and the trust's policy give an allegation, and makes the
stored rows match, inside the caller's transaction. Every service that changes what a clock depends
on calls it at the end of its transaction.

- Section 6's steps with a pack timescale (``STEP_TIMESCALES``: inform the LADO, suspension confirmed
  in writing, the no-further-action employer action, the investigation report, Ofsted for early
  years) and the disciplinary hearing that goes with step 8: met when the step is recorded, paused
  while the police investigate, stopped (with the recorded choice as the reason) when the other route
  was chosen or the adult was not suspended, otherwise open, concluded or not: nothing here ever
  decides a step is "not needed" (a person does, with a reason: ``timescales.services.deadline_close``).
- The review of each suspension risk assessment, on its agreed review date.
- The review of the police investigation's progress (policy 5.3), on the date the case manager chose when
  recording the police's involvement; the next police record meets it. When the police's part ends, sharing
  information on its completion (5.3), due that day, met by a police record that says what was shared.
- A supply worker's replacement cover, 48 hours after the suspension or removal (appendix 4).
- The DBS and TRA referrals the pack advised on at the outcome.
- The lessons-learned review after an investigated case (section 11; ``threshold.allegations.duties``).
- The record kept on the confidential file after an outcome other than malicious or false (section 8).
- The adult told the outcome (Tier 3: "a clear outcome and this is communicated to the professional/volunteer"),
  met by a progress update given to them after the outcome (``threshold.allegations.duties``).
- The 1, 3 and 12-month resolution targets of policy 6.4 at the advised level (``advice.resolution_targets``,
  the calculator the allegation page shows them with), met by the outcome. They are targets, not steps: an
  allegation concluded without an outcome row (never in practice) stops them rather than leaving them open.

The owner is the allegation's case manager. Labels carry no personal data: they go into emails.
Only the kinds in ``ALLEGATION_KINDS`` are touched: other clocks on the allegation (the LADO's
requests for information, ``information-request``) belong to other sync functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.advice import allegation_advice, resolution_targets
from threshold.allegations.checklist import (
    HEARING,
    PAUSED_STEPS,
    STEP_TIMESCALES,
    ChecklistItem,
    checklist,
    cover_clock,
    not_recorded_kind,
    pack_for,
    referral_follow_ups,
)
from threshold.allegations.duties import (
    ADULT_INFORMED_LABEL,
    FILE_RECORD_LABEL,
    LESSONS_LABEL,
    OUTCOME_TOLD_LABEL,
    FileRecordDue,
    LessonsDue,
    OutcomeToldDue,
    adult_informed_due,
    file_record_due,
    lessons_due,
    outcome_told_due,
)
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    OutcomeRecord,
    Step,
)
from threshold.allegations.police_and_suspension import POLICE_REVIEW, POLICE_SHARING, RISK_REVIEW
from threshold.allegations.services.review_deadlines import (
    POLICE_REVIEW_LABEL,
    POLICE_SHARING_LABEL,
    RISK_REVIEW_LABEL,
    police_review_specs,
    police_sharing_specs,
    risk_review_specs,
)
from threshold.core.querysets import last_recorded
from threshold.core.vocabularies import Outcome
from threshold.policy.clocks import RESOLUTION_TARGETS, ClockState
from threshold.timescales.models import DeadlineState
from threshold.timescales.services import DeadlineSpec, deadlines_sync, missed_before_import

IMPORTED_NOT_DONE = "The allegation concluded before it came into Threshold, and its records do not show this as done"
REPLACEMENT_COVER = "replacement-cover"
FOLLOW_UP_KINDS = {"dbs": "dbs-referral", "tra": "tra-referral"}
LESSONS_REVIEW = "lessons-review"
FILE_RECORD = "file-record"
ADULT_INFORMED = "adult-informed"
OUTCOME_TOLD = "outcome-told"
OUTCOME_TOLD_SOURCE = "Policy, Tier 3: a clear outcome, communicated to the professional or volunteer"
LESSONS_SOURCE = "Policy, section 11: after any case where an investigation has been conducted"
ADULT_INFORMED_SOURCE = (
    "Policy 6.2: individuals will be informed as soon as possible unless the police or social care object"
)
FILE_RECORD_SOURCE = "Policy, section 8: the information kept on the file, with a declaration on references"
# Every kind this module writes: the sync never touches another kind on the allegation.
ALLEGATION_KINDS = (
    *STEP_TIMESCALES.values(),
    HEARING,
    RISK_REVIEW,
    POLICE_REVIEW,
    POLICE_SHARING,
    REPLACEMENT_COVER,
    *FOLLOW_UP_KINDS.values(),
    LESSONS_REVIEW,
    FILE_RECORD,
    ADULT_INFORMED,
    OUTCOME_TOLD,
    *RESOLUTION_TARGETS,
    *(not_recorded_kind(step) for step in Step.values),
)
# What each clock is called in work lists and reminders: no name, nothing about the allegation, and nothing an
# email's reader could learn of the adult's position (a suspension, the police, an agency's removal) from the
# subject line of a reminder in a shared mailbox: the page it links to says the rest.
LABELS = {
    "inform-lado": "Inform the LADO",
    "suspension-written-confirmation": "Written confirmation (step 6)",
    "no-further-action-employer-action": "No further action: record the decision",
    "investigation-report": "Investigation report",
    HEARING: "Disciplinary hearing",
    "ofsted-notification": "Notify Ofsted",
    RISK_REVIEW: RISK_REVIEW_LABEL,
    POLICE_REVIEW: POLICE_REVIEW_LABEL,
    POLICE_SHARING: POLICE_SHARING_LABEL,
    REPLACEMENT_COVER: "Cover arrangements (appendix 4)",
    "dbs-referral": "DBS referral, or why none is made",
    "tra-referral": "TRA referral, or why none is made",
    LESSONS_REVIEW: LESSONS_LABEL,
    FILE_RECORD: FILE_RECORD_LABEL,
    ADULT_INFORMED: ADULT_INFORMED_LABEL,
    OUTCOME_TOLD: OUTCOME_TOLD_LABEL,
    **RESOLUTION_TARGETS,
}
TARGET_NOT_MET = "The allegation concluded without an outcome recorded"
NOT_RECORDED_SOURCE = "Section 6: each of the case manager's steps is recorded, or why it was not needed"
PAUSED_REASON = "Paused while the police investigate: internal proceedings wait for their authority."


def allegation_deadlines_sync(allegation: Allegation) -> None:
    """Make the allegation's stored employer deadlines match its records (inside the caller's transaction).

    From the allegation as it is now: the caller's copy may have been read before another request concluded it
    (the service's audit event queued it behind that one), and its clocks would be worked out from the old state.
    """
    allegation.refresh_from_db()
    deadlines_sync(
        record=allegation,
        organisation=allegation.organisation,
        reference=allegation.reference,
        specs=allegation_deadline_specs(allegation),
        kinds=ALLEGATION_KINDS,
    )


def allegation_deadline_specs(allegation: Allegation) -> list[DeadlineSpec]:
    """What the allegation's records say about each of its employer clocks now."""
    owner = allegation.case_manager
    outcome: OutcomeRecord | None = last_recorded(allegation.outcomes.all())
    pack = pack_for(allegation)
    sources = {timescale.id: timescale.description[:300] for timescale in pack.timescales}
    specs: list[DeadlineSpec] = []
    items = checklist(allegation)
    for item in items:
        if item.kind and item.clock_due is not None:
            specs.append(_step_spec(item, item.kind, item.clock_due, owner, sources.get(item.kind, "")))
        if item.step == Step.INVESTIGATION and item.hearing_due is not None:
            specs.append(_hearing_spec(item, item.hearing_due, outcome, owner, sources.get(HEARING, "")))
    if allegation.status == AllegationStatus.CONCLUDED and outcome is not None:
        specs.extend(_not_recorded_specs(items, {spec.kind for spec in specs}, outcome, owner))
    specs.extend(risk_review_specs(allegation, outcome, owner))
    specs.extend(police_review_specs(allegation, outcome, owner))
    specs.extend(_cover_specs(allegation, owner))
    specs.extend(_follow_up_specs(allegation, outcome, owner))
    # Section 11's review after an investigated case, met by a lesson or "none"; section 8's record on file.
    specs.extend(_duty_spec(LESSONS_REVIEW, lessons_due(allegation), owner, LESSONS_SOURCE))
    specs.extend(_duty_spec(FILE_RECORD, file_record_due(allegation), owner, FILE_RECORD_SOURCE))
    specs.extend(_outcome_told_specs(allegation, owner))
    specs.extend(_adult_informed_specs(allegation, items, owner))
    specs.extend(_target_specs(allegation, outcome, owner))
    if allegation.imported and allegation.status == AllegationStatus.CONCLUDED:
        specs = missed_before_import(specs, IMPORTED_NOT_DONE)
    # After that: no import brings police records, so the police's part ended here, after the import.
    return [*specs, *police_sharing_specs(allegation, owner)]


def _target_specs(allegation: Allegation, outcome: OutcomeRecord | None, owner: User | None) -> list[DeadlineSpec]:
    """Policy 6.4's resolution targets at the advised level, as the allegation page shows them.

    None until a harm-threshold question is answered for the allegation (a tier worked out from nothing is not
    advice, so the page shows no targets either). Met on the outcome's conclusion date, late or not.
    """
    advice = allegation_advice(allegation, outcome=outcome)
    if not advice.answered:
        return []
    specs = []
    for target in resolution_targets(allegation, advice.assessment):
        base = DeadlineSpec(
            kind=target.id,
            label=LABELS[target.id],
            due_on=target.due,
            owner=owner,
            source=target.description[:300],
        )
        if target.done_on is not None:
            specs.append(replace(base, state=DeadlineState.MET, met_on=target.done_on))
        elif target.state is ClockState.NOT_MET:
            specs.append(replace(base, state=DeadlineState.STOPPED, reason=TARGET_NOT_MET))
        else:
            specs.append(base)
    return specs


def _duty_spec(
    kind: str, due: LessonsDue | FileRecordDue | OutcomeToldDue | None, owner: User | None, source: str
) -> list[DeadlineSpec]:
    """A duty after the outcome (``threshold.allegations.duties``): due on the day of the outcome, met when done."""
    if due is None:
        return []
    base = DeadlineSpec(kind=kind, label=LABELS[kind], due_on=due.due_on, owner=owner, source=source)
    return [replace(base, state=DeadlineState.MET, met_on=due.done_on)] if due.done_on else [base]


def _outcome_told_specs(allegation: Allegation, owner: User | None) -> list[DeadlineSpec]:
    """Tier 3's outcome told to the adult: due on the day of the outcome, stopped while an objection stands."""
    told = outcome_told_due(allegation)
    if told is None or not told.held_back:
        return _duty_spec(OUTCOME_TOLD, told, owner, OUTCOME_TOLD_SOURCE)
    base = DeadlineSpec(
        kind=OUTCOME_TOLD, label=LABELS[OUTCOME_TOLD], due_on=told.due_on, owner=owner, source=OUTCOME_TOLD_SOURCE
    )
    return [replace(base, state=DeadlineState.STOPPED, reason=told.held_back)]


def _adult_informed_specs(allegation: Allegation, steps: list[ChecklistItem], owner: User | None) -> list[DeadlineSpec]:
    """Section 6.2: telling the adult, due once the LADO was consulted, met on the day they were told.

    Stopped while the police or children's social care object, with the objection as the reason.
    """
    told = adult_informed_due(allegation, steps)
    if told is None:
        return []
    base = DeadlineSpec(
        kind=ADULT_INFORMED,
        label=LABELS[ADULT_INFORMED],
        due_on=told.due_on,
        owner=owner,
        source=ADULT_INFORMED_SOURCE,
    )
    if told.done_on is not None:
        return [replace(base, state=DeadlineState.MET, met_on=told.done_on)]
    if told.held_back:
        return [replace(base, state=DeadlineState.STOPPED, reason=told.held_back)]
    return [base]


def _not_recorded_specs(
    items: list[ChecklistItem], stored: set[str], outcome: OutcomeRecord, owner: User | None
) -> list[DeadlineSpec]:
    """A concluded allegation's steps nobody recorded and no clock of their own covers: each stays open.

    Concluding once marked such steps "Not needed" on its own (four of them on the demo's allegation A-3);
    now each is an open row, due on the day of the outcome, until the case manager closes it with a reason.
    """
    return [
        DeadlineSpec(
            kind=not_recorded_kind(item.step),
            label=not_recorded_label(item.label),
            due_on=outcome.concluded_on,
            owner=owner,
            source=NOT_RECORDED_SOURCE,
        )
        for item in items
        if not item.done and item.applies and not (item.kind and item.kind in stored)
    ]


def not_recorded_label(step_label: str) -> str:
    """A step nobody recorded, as reminders name it: by its number ("Step 6"), not its words ("Confirm suspension").

    The label goes into emails; the step's words can say what happened to the adult, and the page says them.
    """
    number = step_label.split(".", 1)[0]
    return f"{f'Step {number}' if number.isdigit() else step_label}: not recorded before the outcome"[:200]


def _step_spec(item: ChecklistItem, kind: str, due: dt.date, owner: User | None, source: str) -> DeadlineSpec:
    """A step's clock: met once recorded, paused for the police, stopped by the route not taken, else open."""
    base = DeadlineSpec(kind=kind, label=LABELS.get(kind, kind), due_on=due, owner=owner, source=source)
    record = item.latest
    if record is not None:
        return replace(base, state=DeadlineState.MET, met_on=record.done_on)
    if item.paused and item.step in PAUSED_STEPS:
        return replace(base, state=DeadlineState.PAUSED, reason=PAUSED_REASON)
    if not item.applies:
        return replace(base, state=DeadlineState.STOPPED, reason=item.note)
    return base


def _hearing_spec(
    item: ChecklistItem, due: dt.date, outcome: OutcomeRecord | None, owner: User | None, source: str
) -> DeadlineSpec:
    """The disciplinary hearing, which goes with step 8 (as on the checklist).

    Nothing records a hearing itself: the outcome settles it. An outcome with a disciplinary route meets it
    on the day of the outcome; an outcome without one stops it, naming the outcome. Before the outcome it
    follows step 8: paused for the police, stopped when no further action was chosen instead.
    """
    base = DeadlineSpec(kind=HEARING, label=LABELS[HEARING], due_on=due, owner=owner, source=source)
    if outcome is not None:
        if outcome.disciplinary_route:
            return replace(base, state=DeadlineState.MET, met_on=outcome.concluded_on)
        reason = f"Outcome recorded without a disciplinary route: {Outcome(outcome.outcome).label.lower()}."
        return replace(base, state=DeadlineState.STOPPED, reason=reason)
    if item.paused:
        return replace(base, state=DeadlineState.PAUSED, reason=PAUSED_REASON)
    if not item.applies:
        return replace(base, state=DeadlineState.STOPPED, reason=item.note)
    return base


def _cover_specs(allegation: Allegation, owner: User | None) -> list[DeadlineSpec]:
    """A supply worker's replacement cover: due 48 hours after the suspension or removal, met when arranged."""
    clock = cover_clock(allegation)
    if clock is None:
        return []
    due_at, arranged_on = clock
    base = DeadlineSpec(
        kind=REPLACEMENT_COVER,
        label=LABELS[REPLACEMENT_COVER],
        due_on=timezone.localdate(due_at),
        due_at=due_at,
        owner=owner,
        source="Policy, appendix 4: alternative cover is expected within 48 hours",
    )
    if arranged_on is not None:
        return [replace(base, state=DeadlineState.MET, met_on=arranged_on)]
    return [base]


def _follow_up_specs(allegation: Allegation, outcome: OutcomeRecord | None, owner: User | None) -> list[DeadlineSpec]:
    """The DBS and TRA referrals the pack advised on at the outcome (section 6.5).

    Neither the packs nor the trust's policy give a number of days for these referrals (KCSIE says
    "promptly"), so a referral falls due on the day of the outcome, as the allegation page and the home
    page have always shown it (``selectors.follow_up_items``). Met when made (its date); stopped when the
    case manager recorded why it is not made (the reason stays on the allegation, not in the row).
    """
    if outcome is None:
        return []
    specs = []
    for body, entry in referral_follow_ups(allegation).items():
        kind = FOLLOW_UP_KINDS[body]
        base = DeadlineSpec(
            kind=kind,
            label=LABELS[kind],
            due_on=outcome.concluded_on,
            owner=owner,
            source="Referral " + ("required" if entry["required"] else "to consider") + " at the outcome",
        )
        if entry["made_on"]:
            specs.append(replace(base, state=DeadlineState.MET, met_on=entry["made_on"]))
        elif entry["reason"]:
            reason = f"Recorded as not made: the reason is on the outcome ({entry['label']} referral)."
            specs.append(replace(base, state=DeadlineState.STOPPED, reason=reason))
        elif entry["open"]:
            specs.append(base)
    return specs
