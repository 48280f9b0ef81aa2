"""The concerns side's clocks, stored as deadlines (ADR 0024): triage, further actions and termly pattern reviews.

Each function joins the caller's transaction and touches only its own kinds.

- ``concern_deadlines_sync``'s triage: due the working day after the concern was raised (policy 13, "in a
  timely manner"; an allegation is the LADO's within one working day), met by the decision.

- ``concern_deadlines_sync``: the further action a low-level concern record sets (appendix 2) is due on
  its ``action_due_on`` and met on its ``action_done_on``. Its owner is named on the record in words, not
  as an account, so the row has no owner: it falls to whoever handles the organisation's concerns.
- ``concern_sign_off_deadline_sync``: a DSL's decision or closing waiting for the headteacher's sign-off
  (section 13.3, ADR 0025) is due one working day after it was asked, met when the head answers.
- ``pattern_review_deadline_sync``: the trust's policy asks for the low-level concerns to be "reviewed
  regularly (at least once a term)" (Managing allegations against staff policy, low-level concerns). A
  term is the school term of ``concerns.selectors.term_of`` (autumn, spring, summer), and the review of a
  term is due on its last day, met by a completed review whose period reaches into it
  (``concerns.selectors.covering_review``, the rule the pattern review pages show). Rows are kept for last
  term (overdue while it was missed), this term, and, once this term's is done, next term's. The row is
  the organisation's own (``record_key`` ``organisation:<id>``), keyed by the term (``2026-autumn``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.concerns.models import (
    Concern,
    ConcernStatus,
    FurtherAction,
    HeadSignOff,
    LowLevelRecord,
    PatternReview,
    SignOffKind,
    SignOffState,
    Triage,
)
from threshold.concerns.recipients import signers
from threshold.concerns.selectors import PATTERN_REVIEW, Term, covering_review, next_term, previous_term, term_of
from threshold.policy.calendar import add_working_days
from threshold.timescales.models import DeadlineState
from threshold.timescales.services import DeadlineSpec, deadlines_sync, missed_before_import

TRIAGE = "concern-triage"
TRIAGE_LABEL = "Triage the concern"
TRIAGE_SOURCE = (
    'Policy 13: "responding to and dealing with any concerns in a timely manner"; an allegation goes to the LADO'
    " within one working day of coming to attention (KCSIE)"
)
LOW_LEVEL_ACTION = "low-level-action"
HEAD_SIGN_OFF = "head-sign-off"
HEAD_SIGN_OFF_KINDS = (HEAD_SIGN_OFF,)
HEAD_SIGN_OFF_LABEL = "Sign off the DSL's decision"
HEAD_SIGN_OFF_SOURCE = "Policy 13.3: the headteacher will make the ultimate decision"
LOW_LEVEL_REVIEW = "low-level-review"
LOW_LEVEL_REVIEW_LABEL = "Low-level concern: review"
CONCERN_KINDS = (TRIAGE, LOW_LEVEL_ACTION, LOW_LEVEL_REVIEW)
PATTERN_REVIEW_KINDS = (PATTERN_REVIEW,)
LOW_LEVEL_ACTION_LABEL = "Low-level concern: further action"
PATTERN_REVIEW_LABEL = "Termly pattern review of concerns"
IMPORTED_NOT_DONE = "The concern was closed before it came into Threshold, and its records do not show this as done"
PATTERN_REVIEW_SOURCE = "Policy: low-level concerns are reviewed at least once a term to identify patterns"


def _triage_spec(concern: Concern) -> DeadlineSpec | None:
    """Triage, due the working day after the concern was raised: if it is an allegation, the LADO's day runs from then.

    Met by the decision, or a DSL's decision sent to the head to sign off (their own row follows it); due again
    the working day after the head sends it back. A concern
    moved on without a triage here (escalated from a pattern review) has none. An anonymous concern's row is first
    written by the nightly intake (or the daily sync), never by its share: its time would pin the sharer.
    """
    if concern.is_anonymous and timezone.localdate(concern.created_at) >= timezone.localdate():
        # Shared today: a row written now (by any sync, the demo's every five minutes) would time the share.
        return None
    spec = DeadlineSpec(
        kind=TRIAGE, label=TRIAGE_LABEL, due_on=add_working_days(concern.raised_on, 1), source=TRIAGE_SOURCE
    )
    decided = Triage.objects.filter(concern=concern).values_list("decided_at", flat=True).first()
    if decided is not None:
        return replace(spec, state=DeadlineState.MET, met_on=timezone.localdate(decided))
    asked = HeadSignOff.objects.filter(concern=concern, kind=SignOffKind.TRIAGE).order_by("-requested_at", "-pk")
    latest = asked.values("state", "requested_at", "decided_at").first()
    if latest is not None and latest["state"] != SignOffState.SENT_BACK:
        return replace(spec, state=DeadlineState.MET, met_on=timezone.localdate(latest["requested_at"]))
    if latest is not None and concern.status == ConcernStatus.NEW:
        # Sent back by the head: to be decided again, by the working day after.
        return replace(spec, due_on=add_working_days(timezone.localdate(latest["decided_at"]), 1))
    if concern.escalated_to_id is not None:
        # Escalated by a pattern review before anyone triaged it: dealt with the day the allegation opened.
        opened = Allegation.objects.filter(pk=concern.escalated_to_id).values_list("created_at", flat=True).get()
        return replace(spec, state=DeadlineState.MET, met_on=timezone.localdate(opened))
    return spec if concern.status == ConcernStatus.NEW else None


def concern_deadlines_sync(concern: Concern) -> None:
    """Make the concern's stored deadlines (triage, the record's further action, the matrix's review) match it."""
    record: LowLevelRecord | None = LowLevelRecord.objects.filter(concern=concern).first()
    triage = _triage_spec(concern)
    specs = [triage] if triage is not None else []
    if (
        record is not None
        and record.further_action
        and record.further_action != FurtherAction.NONE
        and record.action_due_on is not None
    ):
        spec = DeadlineSpec(
            kind=LOW_LEVEL_ACTION,
            label=LOW_LEVEL_ACTION_LABEL,
            due_on=record.action_due_on,
            source=f"Appendix 2: {FurtherAction(record.further_action).label}",
        )
        if record.action_done_on is not None:
            spec = DeadlineSpec(
                kind=spec.kind,
                label=spec.label,
                due_on=spec.due_on,
                source=spec.source,
                state=DeadlineState.MET,
                met_on=record.action_done_on,
            )
        specs.append(spec)
    if record is not None and record.review_on is not None and concern.status == ConcernStatus.LOW_LEVEL:
        # The matrix's last step, "Review": due while the concern is open as low level.
        specs.append(
            DeadlineSpec(
                kind=LOW_LEVEL_REVIEW,
                label=LOW_LEVEL_REVIEW_LABEL,
                due_on=record.review_on,
                source="Response matrix: Monitor, Review",
            )
        )
    if concern.imported and concern.status not in (ConcernStatus.LOW_LEVEL, ConcernStatus.NEW):
        # Closed or decided before it came in: what its log does not show as done was missed then. One still
        # waiting for triage (a blank decision) is due now, as any other.
        specs = missed_before_import(specs, IMPORTED_NOT_DONE)
    deadlines_sync(
        record=concern,
        organisation=concern.organisation,
        reference=concern.reference,
        specs=specs,
        kinds=CONCERN_KINDS,
    )


def concern_sign_off_deadline_sync(concern: Concern) -> None:
    """Keep one "Sign off the DSL's decision" row per sign-off asked of the head (ADR 0025).

    Due one working day after the DSL asked, met when the head agrees or sends it back; owned by the head
    when exactly one person signs off.
    """
    people = signers(concern)
    owner = people[0] if len(people) == 1 else None
    specs = []
    for sign_off in HeadSignOff.objects.filter(concern=concern):
        asked_on = timezone.localdate(sign_off.requested_at)
        spec = DeadlineSpec(
            kind=HEAD_SIGN_OFF,
            key=str(sign_off.pk),
            label=HEAD_SIGN_OFF_LABEL,
            due_on=add_working_days(asked_on, 1),
            source=HEAD_SIGN_OFF_SOURCE,
            owner=owner,
        )
        if sign_off.decided_at is not None:
            spec = replace(spec, state=DeadlineState.MET, met_on=timezone.localdate(sign_off.decided_at))
        specs.append(spec)
    deadlines_sync(
        record=concern,
        organisation=concern.organisation,
        reference=concern.reference,
        specs=specs,
        kinds=HEAD_SIGN_OFF_KINDS,
    )


def _term_key(term: Term) -> str:
    return f"{term.start:%Y}-{term.name}"


def pattern_review_deadline_sync(organisation: Organisation, *, today: dt.date | None = None) -> None:
    """Make the organisation's stored termly pattern review deadlines match its completed reviews.

    The terms move with the calendar, so ``manage.py deadlines_sync`` (cron, before the reminder pass) runs this
    for every setting on today's date, as do the services that start and complete a review. ``today`` is for
    tests and must not be a day to come: who may be told of a missed review is decided against the real date
    (``access.fetch.visible_deadlines``), so rows written for a future day would reach readers early.
    """
    completed = PatternReview.objects.filter(organisation=organisation, completed_at__isnull=False)
    current = term_of(today or timezone.localdate())
    last = previous_term(current)
    # Last term's review was due only if there were concerns to review by its end: a setting that had none
    # (or did not use Threshold yet) missed nothing. Concerns brought in from its earlier log (issue 16) were
    # reviewed, or not, on paper: they do not make a review Threshold never asked for overdue.
    terms = [last, current] if _had_concerns(organisation, last) else [current]
    specs = [_review_spec(term, covering_review(completed, term)) for term in terms]
    if specs[-1].state == DeadlineState.MET:
        following = next_term(current)
        specs.append(_review_spec(following, covering_review(completed, following)))
    deadlines_sync(
        record=organisation,
        organisation=organisation,
        reference=organisation.name[:40],
        specs=specs,
        kinds=PATTERN_REVIEW_KINDS,
    )


def _had_concerns(organisation: Organisation, term: Term) -> bool:
    return Concern.objects.filter(organisation=organisation, raised_on__lte=term.end, imported=False).exists()


def _review_spec(term: Term, review: PatternReview | None) -> DeadlineSpec:
    if review is not None and review.completed_at is not None:
        return DeadlineSpec(
            kind=PATTERN_REVIEW,
            key=_term_key(term),
            label=PATTERN_REVIEW_LABEL,
            due_on=term.end,
            source=PATTERN_REVIEW_SOURCE,
            state=DeadlineState.MET,
            met_on=timezone.localdate(review.completed_at),
        )
    return DeadlineSpec(
        kind=PATTERN_REVIEW,
        key=_term_key(term),
        label=PATTERN_REVIEW_LABEL,
        due_on=term.end,
        source=PATTERN_REVIEW_SOURCE,
    )
