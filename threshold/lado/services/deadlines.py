"""The LADO side's stored deadlines: every clock on a contact or a case, kept as ``timescales.Deadline`` rows.

The services that receive, advise, decide, open, move, allocate, meet, monitor, review and conclude call
``contact_deadlines_sync`` or ``case_deadlines_sync`` at the end of their transaction; work lists, home pages,
the case lists and reminders read the rows. Nothing here works a clock out afresh: the case's clocks are
``threshold.lado.selectors.case_deadlines`` (the pack through ``threshold.policy.clocks``), the contact's is
``advice_due``, the review of delay is ``threshold.policy.clocks.delay_review_due``.

On a contact (owned by the LADO it is allocated to, else nobody: work for whoever picks it up):

- ``lado-initial-decision``: advice or a decision within one working day of receipt, met by the first of them.

On a case (owned by its allocated LADO):

- the pack's clocks at the case's tier: the initial decision, the evaluation meeting (a strategy or LADO-chaired
  meeting; one booked on or before the day it is due counts from its date) and the one-, three- and
  twelve-month resolution targets;
- ``delay-review``: the monthly review of delay, a row from the start due at three months, then a month after
  each review (one met row per review done);
- ``monitoring-review``: each Tier 2 monitoring review scheduled;
- ``meeting-action``: each action agreed at a meeting (labelled "Meeting action", never its description, which
  may name people; the owner typed at the meeting is free text, so the row is the case's LADO's);
- ``ofsted-notification``: for an early years employer, when the pack sets the timescale; met by the referral
  to Ofsted recorded on the case.

A step nobody recorded (a meeting, a review, an action) is never closed by the product: it stays open until it
is done, or until a person closes it with a reason (``timescales.services.deadline_close``; at conclusion, the
reason recorded for holding no meeting). Only the resolution targets, which are not steps, stop when the case
concludes without them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db.models import Model, prefetch_related_objects
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.lado.models import Case, CaseStatus, Contact
from threshold.lado.models.cases import Body
from threshold.lado.selectors import (
    CASE_TIMESCALES,
    EVALUATION_MEETING,
    INITIAL_DECISION,
    THREE_MONTHS,
    advice_due,
    case_deadlines,
    evaluation_meetings,
    first_decision,
    lado_pack,
    latest_body_referrals,
    three_months_on,
)
from threshold.lado.services.case_rules import is_early_years
from threshold.lado.services.requests import request_deadlines_sync
from threshold.policy.clocks import RESOLUTION_TARGETS, ClockState, delay_review_due
from threshold.policy.engine import due_date
from threshold.timescales.models import DeadlineState
from threshold.timescales.services import DeadlineSpec, RecordClocks, deadlines_sync_all, missed_before_import

DELAY_REVIEW = "delay-review"
MONITORING_REVIEW = "monitoring-review"
MEETING_ACTION = "meeting-action"
OFSTED_NOTIFICATION = "ofsted-notification"

# The kinds each sync owns (``deadlines_sync`` touches no other row of the record).
CONTACT_KINDS = (INITIAL_DECISION,)
CASE_KINDS = (*CASE_TIMESCALES, DELAY_REVIEW, MONITORING_REVIEW, MEETING_ACTION, OFSTED_NOTIFICATION)
# The steps someone does (the resolution targets are not: a case concluded without them stops them); one nobody
# recorded stays open until a person closes it with a reason.
STEP_KINDS = frozenset(kind for kind in CASE_KINDS if kind not in RESOLUTION_TARGETS)

CONTACT_LABEL = "Advice or initial decision"
DELAY_REVIEW_LABEL = "Review of delay"
MONITORING_REVIEW_LABEL = "Monitoring review"
MEETING_ACTION_LABEL = "Meeting action"
OFSTED_LABEL = "Ofsted notified (early years)"

CONCLUDED_FIRST = "Case concluded before this was done"
DELAY_NOT_DUE = "Case concluded before the review of delay fell due"
NO_MEETING = "The conclusion records why no strategy or LADO-chaired meeting was held"
NOT_REFERRED_TO_OFSTED = "The case records why no referral to Ofsted was made"
IMPORTED_NOT_DONE = "The case was closed before it came into Threshold, and its records do not show this as done"
MET = {ClockState.MET, ClockState.MET_LATE}
Record = TypeVar("Record", Contact, Case)
# What the clocks read of a record (``threshold.lado.selectors``: through ``.all()``, so it can be read for many),
# and the records they name (its authority, the LADO who owns its rows).
CONTACT_RELATIONS = ("local_authority", "allocated_to", "decisions")
CASE_RELATIONS = (
    "local_authority",
    "lado",
    "employer",
    "contact__allegation",
    "decisions",
    "contact__decisions",
    "meetings__actions",
    "delay_reviews",
    "monitoring_reviews",
    "conclusions",
)
SOURCE_LENGTH = 300


def _source(text: str) -> str:
    return text if len(text) <= SOURCE_LENGTH else text[: SOURCE_LENGTH - 1] + "…"


def _pack_source(local_authority: Organisation, timescale_id: str) -> str:
    """Where the pack's timescale comes from (its ``source``), or nothing when the pack does not set it."""
    pack = lado_pack(local_authority)
    return _source(next((timescale.source for timescale in pack.timescales if timescale.id == timescale_id), ""))


# ---------------------------------------------------------------- contacts


def contact_specs(contact: Contact) -> list[DeadlineSpec]:
    """The contact's one clock: advice or a decision within one working day of receipt."""
    clock = advice_due(contact)
    first = first_decision(contact)
    done = [
        day
        for day in (
            clock.given_on,
            timezone.localdate(first.recorded_at) if first is not None else None,
        )
        if day is not None
    ]
    return [
        DeadlineSpec(
            kind=INITIAL_DECISION,
            label=CONTACT_LABEL,
            due_on=clock.due,
            source=_pack_source(contact.local_authority, INITIAL_DECISION),
            owner=contact.allocated_to,
            state=DeadlineState.MET if done else DeadlineState.OPEN,
            met_on=min(done) if done else None,
        )
    ]


def contact_deadlines_sync(contact: Contact, *, new: bool = False) -> None:
    """Keep the contact's stored clock in step with it (inside the caller's transaction; ``new``: just inserted)."""
    contacts_deadlines_sync([contact], new=new)


def contacts_deadlines_sync(contacts: Sequence[Contact], *, new: bool = False) -> None:
    """``contact_deadlines_sync`` for several contacts (an import's batch): a query for all their decisions."""
    _records_sync(contacts, CONTACT_RELATIONS, contact_specs, CONTACT_KINDS, new=new)


# ---------------------------------------------------------------- cases


def _booked_evaluation_on(case: Case, due: dt.date) -> dt.date | None:
    """The first strategy or LADO-chaired meeting booked on or before ``due`` (it meets the clock on its day)."""
    meetings = evaluation_meetings(case)
    if not meetings:
        return None
    held_on = timezone.localdate(meetings[0].held_at)
    return held_on if held_on <= due else None


def _no_meeting_reason(case: Case) -> bool:
    conclusion = max(case.conclusions.all(), key=lambda row: (row.recorded_at, row.pk), default=None)
    return bool(conclusion is not None and conclusion.no_meeting_reason)


def _clock_specs(case: Case, today: dt.date) -> list[DeadlineSpec]:
    """The pack's clocks at the case's tier (``case_deadlines``), as rows."""
    specs = []
    for deadline in case_deadlines(case, today):
        clock = deadline.clock
        state: str = DeadlineState.OPEN
        met_on = clock.done_on if clock.state in MET else None
        reason = ""
        if met_on is not None:
            state = DeadlineState.MET
        elif clock.id == EVALUATION_MEETING and (booked := _booked_evaluation_on(case, clock.due)) is not None:
            # Booked in time: nothing more to do unless it moves (the meeting's services sync again).
            state, met_on = DeadlineState.MET, booked
        elif clock.state is ClockState.NOT_MET:
            if clock.id in RESOLUTION_TARGETS:
                state, reason = DeadlineState.STOPPED, CONCLUDED_FIRST
            elif clock.id == EVALUATION_MEETING and _no_meeting_reason(case):
                state, reason = DeadlineState.STOPPED, NO_MEETING
        specs.append(
            DeadlineSpec(
                kind=clock.id,
                label=deadline.name,
                due_on=clock.due,
                source=_source(clock.source),
                owner=case.lado,
                state=state,
                met_on=met_on,
                reason=reason,
            )
        )
    return specs


def _delay_review_specs(case: Case) -> list[DeadlineSpec]:
    """The review of delay: due at three months, then a month after each review; one met row per review."""
    reached = three_months_on(case)
    source = _pack_source(case.local_authority, THREE_MONTHS)
    specs = []
    due = reached
    reviews = sorted(case.delay_reviews.all(), key=lambda review: (review.reviewed_on, review.pk))
    for review in reviews:
        specs.append(
            DeadlineSpec(
                kind=DELAY_REVIEW,
                key=due.isoformat(),
                label=DELAY_REVIEW_LABEL,
                due_on=due,
                source=source,
                owner=case.lado,
                state=DeadlineState.MET,
                met_on=review.reviewed_on,
            )
        )
        due = review.next_review_on
    due = delay_review_due(three_months_on=reached, last_next_review_on=reviews[-1].next_review_on if reviews else None)
    if any(spec.key == due.isoformat() for spec in specs):
        return specs
    state: str = DeadlineState.OPEN
    reason = ""
    if case.status != CaseStatus.OPEN and case.concluded_on is not None and case.concluded_on < due:
        # Reviews of delay are of open cases: this one never fell due. One that fell due and was missed stays open.
        state, reason = DeadlineState.STOPPED, DELAY_NOT_DUE
    specs.append(
        DeadlineSpec(
            kind=DELAY_REVIEW,
            key=due.isoformat(),
            label=DELAY_REVIEW_LABEL,
            due_on=due,
            source=source,
            owner=case.lado,
            state=state,
            reason=reason,
        )
    )
    return specs


def _monitoring_specs(case: Case) -> list[DeadlineSpec]:
    return [
        DeadlineSpec(
            kind=MONITORING_REVIEW,
            key=f"review-{review.pk}",
            label=MONITORING_REVIEW_LABEL,
            due_on=review.due_on,
            source="Protocol, Tier 2: the LADO actively monitors timescales",
            owner=case.lado,
            state=DeadlineState.MET if review.done_on else DeadlineState.OPEN,
            met_on=review.done_on,
        )
        for review in sorted(case.monitoring_reviews.all(), key=lambda review: (review.due_on, review.pk))
    ]


def _action_specs(case: Case) -> list[DeadlineSpec]:
    specs = []
    for meeting in sorted(case.meetings.all(), key=lambda meeting: (meeting.held_at, meeting.pk)):
        for action in sorted(meeting.actions.all(), key=lambda action: (action.due_on, action.pk)):
            specs.append(
                DeadlineSpec(
                    kind=MEETING_ACTION,
                    key=f"action-{action.pk}",
                    label=MEETING_ACTION_LABEL,
                    due_on=action.due_on,
                    owner=case.lado,
                    state=DeadlineState.MET if action.done_on else DeadlineState.OPEN,
                    met_on=action.done_on,
                    meeting=meeting,
                )
            )
    return specs


def _ofsted_specs(case: Case) -> list[DeadlineSpec]:
    """Ofsted notified, for an early years employer, when the pack sets the timescale (met by the referral)."""
    if not is_early_years(case):
        return []
    pack = lado_pack(case.local_authority)
    timescale = next((timescale for timescale in pack.timescales if timescale.id == OFSTED_NOTIFICATION), None)
    if timescale is None:
        return []
    referral = latest_body_referrals(case).get(Body.OFSTED)
    state: str = DeadlineState.OPEN
    met_on = None
    reason = ""
    if referral is not None and referral.referred:
        state, met_on = DeadlineState.MET, referral.referred_on or timezone.localdate(referral.recorded_at)
    elif referral is not None:
        state, reason = DeadlineState.STOPPED, NOT_REFERRED_TO_OFSTED
    return [
        DeadlineSpec(
            kind=OFSTED_NOTIFICATION,
            label=OFSTED_LABEL,
            due_on=due_date(timescale, case.received_on),
            source=_source(timescale.source),
            owner=case.lado,
            state=state,
            met_on=met_on,
            reason=reason,
        )
    ]


def case_specs(case: Case, today: dt.date | None = None) -> list[DeadlineSpec]:
    """Every clock on the case as its rows should stand now."""
    today = today or timezone.localdate()
    specs = [
        *_clock_specs(case, today),
        *_delay_review_specs(case),
        *_monitoring_specs(case),
        *_action_specs(case),
        *_ofsted_specs(case),
    ]
    if case.imported and case.status != CaseStatus.OPEN:
        # A case closed before Threshold kept it (issue 16): what its source does not show as done was missed
        # then, not work due today. A case open when imported keeps its open clocks, as any case does.
        specs = missed_before_import(specs, IMPORTED_NOT_DONE)
    return specs


def case_deadlines_sync(case: Case, *, new: bool = False) -> None:
    """Keep the case's stored clocks in step with it (inside the caller's transaction; ``new``: just inserted).

    From the case as it is now: the caller's copy may have been read before another request concluded or closed
    it (the service's audit event queued it behind that one), and its clocks would be set open again.
    """
    if not new:
        case.refresh_from_db()
    cases_deadlines_sync([case], new=new)


def cases_deadlines_sync(cases: Sequence[Case], *, new: bool = False) -> None:
    """``case_deadlines_sync`` for several cases (an import's batch): each relation read once for them all."""
    _records_sync(cases, CASE_RELATIONS, case_specs, CASE_KINDS, new=new)
    for case in cases:
        # The requests for information on the employer's allegation stop with the case (they are rows there).
        allegation = case.contact.allegation if case.contact_id and case.contact else None
        if allegation is not None:
            request_deadlines_sync(allegation)


def _records_sync(
    records: Sequence[Record],
    relations: Sequence[str],
    specs_of: Callable[[Record], list[DeadlineSpec]],
    kinds: Sequence[str],
    *,
    new: bool,
) -> None:
    """Read what the clocks look at for all ``records`` at once, then make each one's rows match its specs.

    What was read is dropped from the instances before and after: a service changes a record's rows and then
    syncs, and code after the sync must not see a list read before its own change.
    """
    _forget(records, relations)
    prefetch_related_objects(list(records), *relations)
    deadlines_sync_all(
        [
            RecordClocks(
                record=record,
                organisation=record.local_authority,
                reference=record.reference,
                specs=specs_of(record),
                kinds=kinds,
            )
            for record in records
        ],
        new=new,
    )
    _forget(records, relations)


def _forget(records: Sequence[Model], relations: Sequence[str]) -> None:
    """Drop the lists ``relations`` read onto ``records`` (and onto the records they point at), if any."""
    for record in records:
        for relation in relations:
            first, _, rest = relation.partition("__")
            cached = getattr(record, "_prefetched_objects_cache", {})
            if first in cached:
                del cached[first]
            elif rest and (related := record._state.fields_cache.get(first)) is not None:
                getattr(related, "_prefetched_objects_cache", {}).pop(rest.partition("__")[0], None)
