"""A case's timescales from the LADO's pack, and the monthly review of delay once past three months.

The clocks (``threshold.policy.clocks``) are the pack's: the LADO's initial
decision, the evaluation meeting, and the one, three and twelve-month
resolution targets. They are applied at the case's tier (the LADO's decision,
which may differ from the engine's advice) and stop when what they wait for
happens:

- the initial decision: counted from when the contact was received; met by
  the first decision on the contact (or the opening of the case);
- the evaluation meeting: counted from when the referral was received; met by
  the first strategy or allegations management meeting held (a review meeting
  follows the evaluation, so it does not stop this clock);
- the resolution targets: counted from when the referral was received; met
  when the case concludes.

Past three months an open case is reviewed monthly with the reason for delay
recorded (National LADO Network minimum standards, restated in the pack).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import User
from threshold.lado.models import Case, CaseStatus, DelayReview
from threshold.lado.models.meetings import MeetingKind
from threshold.lado.services.common import lado_pack, record_case_event, require_case, text
from threshold.policy import FactsError, add_months, parse_facts
from threshold.policy.clocks import Clock, clock, delay_review_due, next_delay_review, timescales_at_level
from threshold.policy.engine import due_date
from threshold.policy.facts import FactValue

# The meetings that evaluate an allegation (the protocol's Tier 1 strategy or LADO-convened meeting).
EVALUATION_KINDS = (MeetingKind.STRATEGY, MeetingKind.ALLEGATIONS_MANAGEMENT)
# The pack timescales a case shows, with what stops each clock.
INITIAL_DECISION = "lado-initial-decision"
EVALUATION_MEETING = "evaluation-meeting"
THREE_MONTHS = "resolve-target-three-months"
CASE_TIMESCALES = {
    INITIAL_DECISION: ("Initial decision", "decision"),
    EVALUATION_MEETING: ("Evaluation meeting", "evaluation meeting"),
    "resolve-target-one-month": ("Resolved within one month", "conclusion"),
    THREE_MONTHS: ("Resolved within three months", "conclusion"),
    "resolve-target-twelve-months": ("Resolved within twelve months", "conclusion"),
}


@dataclass(frozen=True)
class CaseDeadline:
    """One clock on a case, with a short name and what stops it."""

    name: str
    stopped_by: str
    clock: Clock

    @property
    def overdue(self) -> bool:
        """Past its due date with nothing done, on an open case."""
        return self.clock.overdue


@dataclass(frozen=True)
class DelayReviewState:
    """Once a case is past three months: when the next review of delay is due, and whether it is late."""

    three_months_on: dt.date
    due_on: dt.date
    overdue: bool
    reviews: list[DelayReview]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _facts(case: Case) -> dict[str, FactValue]:
    """The facts the LADO decided the case on (for timescales whose ``when`` looks at facts)."""
    decision = case.decisions.order_by("-recorded_at", "-pk").first()
    if decision is None or not isinstance(decision.facts, dict):
        return {}
    try:
        checked = parse_facts(decision.facts)
    except FactsError:
        # Facts stored under an older pack version: the level alone decides.
        return {}
    return {name: value for name in checked.given() if (value := checked.get(name)) is not None}


def _contact_received_on(case: Case) -> dt.date:
    if case.contact is not None:
        return timezone.localdate(case.contact.received_at)
    return case.received_on


def _decided_on(case: Case) -> dt.date:
    """The first decision on the contact; a case opened without one was decided when it opened."""
    if case.contact is not None:
        first = case.contact.decisions.order_by("recorded_at", "pk").first()
        if first is not None:
            return timezone.localdate(first.recorded_at)
    return timezone.localdate(case.opened_at)


def _first_meeting_on(case: Case, today: dt.date) -> dt.date | None:
    """The first strategy or allegations management meeting held (one booked for a later day has not happened).

    A review meeting reviews what an evaluation meeting decided: it never stops the evaluation clock.
    """
    for meeting in case.meetings.filter(kind__in=EVALUATION_KINDS).order_by("held_at", "pk"):
        held_on = timezone.localdate(meeting.held_at)
        if held_on <= today:
            return held_on
    return None


def case_deadlines(case: Case, today: dt.date | None = None) -> list[CaseDeadline]:
    """The case's clocks from the LADO's pack, at the case's tier, each met, due, overdue or not met."""
    today = _today(today)
    pack = lado_pack(case.local_authority)
    running = case.status == CaseStatus.OPEN
    done = {
        "decision": _decided_on(case),
        "evaluation meeting": _first_meeting_on(case, today),
        "conclusion": case.concluded_on,
    }
    deadlines = []
    for timescale in timescales_at_level(pack, case.tier, ids=CASE_TIMESCALES, facts=_facts(case)):
        name, stopped_by = CASE_TIMESCALES[timescale.id]
        start = _contact_received_on(case) if timescale.id == INITIAL_DECISION else case.received_on
        deadlines.append(
            CaseDeadline(
                name=name,
                stopped_by=stopped_by,
                clock=clock(timescale, start=start, done_on=done[stopped_by], today=today, running=running),
            )
        )
    return deadlines


def three_months_on(case: Case) -> dt.date:
    """When the case reaches three months: the pack's three-month target, or three months from receipt."""
    pack = lado_pack(case.local_authority)
    for timescale in timescales_at_level(pack, case.tier, ids=[THREE_MONTHS]):
        return due_date(timescale, case.received_on)
    return add_months(case.received_on, 3)


def three_months_wording(case: Case) -> str:
    """The pack's own words on the three-month target and the monthly review of delay (empty if it has none)."""
    pack = lado_pack(case.local_authority)
    return next((timescale.description for timescale in pack.timescales if timescale.id == THREE_MONTHS), "")


def delay_review_state(case: Case, today: dt.date | None = None) -> DelayReviewState | None:
    """The monthly review of delay of an open case past three months (None otherwise)."""
    today = _today(today)
    reached = three_months_on(case)
    if case.status != CaseStatus.OPEN or today < reached:
        return None
    reviews = list(case.delay_reviews.all())
    due_on = delay_review_due(
        three_months_on=reached, last_next_review_on=reviews[-1].next_review_on if reviews else None
    )
    return DelayReviewState(three_months_on=reached, due_on=due_on, overdue=today > due_on, reviews=reviews)


def case_overdue(case: Case, today: dt.date | None = None) -> bool:
    """Whether an open case has a clock past its due date, or a review of delay not done in time."""
    if case.status != CaseStatus.OPEN:
        return False
    today = _today(today)
    review = delay_review_state(case, today)
    return any(deadline.overdue for deadline in case_deadlines(case, today)) or bool(review and review.overdue)


def case_record_delay_review(
    *,
    actor: User,
    case: Case,
    reason: str,
    reviewed_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> DelayReview:
    """Record the monthly review of an open case past three months, with the reason for delay.

    The next review falls a month after this one.
    """
    require_case(actor, case, "change")
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    reached = three_months_on(case)
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = "Only an open case is reviewed for delay"
    elif today < reached:
        errors["__all__"] = (
            f"A review of delay is recorded once the case is past three months (from {reached:%d/%m/%Y})"
        )
    if not text(reason):
        errors["reason"] = "Enter the reason for the delay"
    if reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    elif reviewed_on < case.received_on:
        errors["reviewed_on"] = "The date of the review must be after the referral was received"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = DelayReview.objects.create(
            case=case,
            reviewed_on=reviewed_on,
            reason=text(reason),
            next_review_on=next_delay_review(reviewed_on),
            recorded_by=actor,
        )
        record_case_event(
            actor=actor,
            case=case,
            action="case.delay_reviewed",
            text=f"Review of delay: {text(reason)} Next review by {review.next_review_on:%d/%m/%Y}.",
            request=request,
            row=review.pk,
            details={"reviewed_on": reviewed_on.isoformat(), "next_review_on": review.next_review_on.isoformat()},
        )
    return review
