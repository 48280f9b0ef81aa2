"""Reads of the LADO side that pages, panels, services and (next) reminders share.

Each is built on a record the caller already fetched through ``threshold.access`` (its related managers stay
scoped) or reads only accounts (who a case may be allocated to or shared with). Nothing here writes; services
import these, never the other way round.

- the pack: ``lado_pack``;
- deadlines: a contact's one-working-day clock for advice or a decision (``advice_due``), a case's clocks from
  its pack (``case_deadlines``, ``case_overdue``), the stored rows lists read instead (``with_overdue``: one
  query however many cases) and the monthly review of
  delay past three months (``delay_review_state``, ``three_months_on``, ``three_months_wording``). The clocks
  (``threshold.policy.clocks``) are applied at the case's tier (the LADO's decision, which may differ from the
  engine's advice) and stop when what they wait for happens: the initial decision, counted from when the contact
  was received, is met by the first decision on the contact (or the opening of the case); the evaluation
  meeting, counted from when the referral was received, by the first strategy or allegations management meeting
  held (a review meeting follows the evaluation, so it does not stop this clock); the resolution targets when the
  case concludes. Past three months an open case is reviewed monthly with the reason for delay (National LADO
  Network minimum standards, restated in the pack);
- investigations and referrals to other bodies: the row that stands for each line (``current_investigations``,
  ``latest_body_referrals``); the case page's case, its rows read once for all its panels (``case_for_page``);
- candidates: who a case may be allocated to (``lado_candidates``) or shared with (``partner_candidates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import HttpRequest
from django.utils import timezone

from threshold.access.fetch import access_case, deadlines_of_listed, visible_deadlines
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.core.querysets import latest_of_each
from threshold.lado.models import (
    BodyReferral,
    Case,
    CaseChild,
    CaseStatus,
    Contact,
    Decision,
    DelayReview,
    Investigation,
    Level,
)
from threshold.lado.models.meetings import Meeting, MeetingKind
from threshold.people.subjects import exclude_possible_subjects, users_not_about
from threshold.policy import (
    FactsError,
    Pack,
    add_months,
    add_working_days,
    decide_retention,
    parse_facts,
)
from threshold.policy.clocks import RESOLUTION_TARGETS, Clock, clock, delay_review_due, timescales_at_level
from threshold.policy.engine import due_date
from threshold.policy.facts import FactValue
from threshold.policy.results import RetentionDecision
from threshold.timescales.models import Deadline, DeadlineState


def lado_pack(local_authority: Organisation) -> Pack:
    """The policy pack the LADO service works under, as in force today."""
    return local_authority.pack_in_force()


def case_retention(case: Case) -> RetentionDecision:
    """How long the LADO service keeps the case's record, by its pack.

    KCSIE: "at least until the adult has reached normal pension age or for 10 years from the date of the
    allegation if that is longer". The allegation's date is the day the referral reached the service; the
    record is preserved whatever the period when the pack holds it (the IICSA instruction on child sexual
    abuse). Worked out afresh on each reading, from the case as it now is: a date of birth recorded later
    gives the date.
    """
    facts: dict[str, object] = {
        "record_type": "allegation",
        "reported_on": case.received_on.isoformat(),
        "allegation_date": case.received_on.isoformat(),
    }
    if case.adult_date_of_birth and case.adult_date_of_birth < case.received_on:
        facts["subject_date_of_birth"] = case.adult_date_of_birth.isoformat()
    # What the decision that opened the case answered counts too: the IICSA hold is for "a sexual interest in
    # children" as much as for sexual abuse, and the data set's categories may not say so.
    standing = standing_decision(case)
    decided = standing.facts if standing is not None and isinstance(standing.facts, dict) else {}
    categories = sorted({*case.abuse_categories, *(decided.get("abuse_categories") or [])})
    if categories:
        facts["abuse_categories"] = categories
    if decided.get("sexual_interest_in_children_concern") is True:
        facts["sexual_interest_in_children_concern"] = True
    if case.outcome:
        facts["outcome"] = case.outcome
    return decide_retention(lado_pack(case.local_authority), parse_facts(facts))


def consultation_retention(contact: Contact) -> RetentionDecision:
    """How long the LADO service keeps a consultation's record, by its pack.

    The protocol sets no period: "It is important that these details are recorded and could be drawn upon if
    further concerns come about in relation to that individual."
    """
    received = timezone.localdate(contact.received_at).isoformat()
    facts = {"record_type": "consultation", "reported_on": received, "allegation_date": received}
    return decide_retention(lado_pack(contact.local_authority), parse_facts(facts))


# ---------------------------------------------------------------- deadlines and the review of delay


@dataclass(frozen=True)
class AdviceClock:
    """The one-working-day clock on a contact: when advice is due, and whether it was met."""

    due: dt.date
    given_on: dt.date | None
    overdue: bool

    @property
    def met(self) -> bool:
        """Advice was given on or before the day it was due."""
        return self.given_on is not None and self.given_on <= self.due


def advice_due(contact: Contact, today: dt.date | None = None) -> AdviceClock:
    """The LADO's one-working-day clock: due the working day after the contact was received.

    Counts England's bank holidays (``threshold.policy.add_working_days``):
    a contact received on a Friday is due on the Monday.
    """
    today = today or timezone.localdate()
    due = add_working_days(timezone.localdate(contact.received_at), 1)
    given_on = timezone.localdate(contact.advice_given_at) if contact.advice_given_at else None
    return AdviceClock(due=due, given_on=given_on, overdue=given_on is None and today > due)


# The meetings that evaluate an allegation (the protocol's Tier 1 strategy or LADO-convened meeting).
EVALUATION_KINDS = (MeetingKind.STRATEGY, MeetingKind.ALLEGATIONS_MANAGEMENT)
# The pack timescales a case shows, with what stops each clock.
INITIAL_DECISION = "lado-initial-decision"
EVALUATION_MEETING = "evaluation-meeting"
THREE_MONTHS = "resolve-target-three-months"
CASE_TIMESCALES = {
    INITIAL_DECISION: ("Initial decision", "decision"),
    EVALUATION_MEETING: ("Evaluation meeting", "evaluation meeting"),
    **{target: (name, "conclusion") for target, name in RESOLUTION_TARGETS.items()},
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


# The clocks read a record's rows through ``.all()`` and order them here, not in SQL, so that a caller working
# on many records (an import's batch) can read each relation for all of them in one query
# (``threshold.lado.services.deadlines.cases_deadlines_sync``); one record alone costs one query per relation.


def _in_order(row: Any) -> tuple[Any, Any]:
    return (row.recorded_at, row.pk)


def first_decision(contact: Contact) -> Decision | None:
    """The contact's first decision (the one that met its clock), or None."""
    return min(contact.decisions.all(), key=_in_order, default=None)


def evaluation_meetings(case: Case) -> list[Meeting]:
    """The case's strategy and allegations management meetings, earliest first."""
    meetings = [meeting for meeting in case.meetings.all() if meeting.kind in EVALUATION_KINDS]
    return sorted(meetings, key=lambda meeting: (meeting.held_at, meeting.pk))


def standing_decision(case: Case) -> Decision | None:
    """The decision that stands on the case: its latest, leaving out a decision that only led to reopening.

    Read from ``case.decisions`` (prefetched on the page). A consultation reopened because a later contact
    came in records two decisions at once: the reopened one (keeping the consultation's facts, assessment and
    advice) and one on the later contact that led to it ("Led to reopening …", named by the first's
    ``prompted_by``), which assesses nothing; the first is what the case was decided on.
    """
    decisions = list(case.decisions.all())
    prompting = {decision.prompted_by_id for decision in decisions if decision.prompted_by_id is not None}
    own = [decision for decision in decisions if decision.contact_id not in prompting]
    return max(own or decisions, key=_in_order, default=None)


def police_required(decision: Decision) -> bool:
    """Whether the pack required the referral to the police on the facts ``decision`` stands on.

    A consultation reopened as a referral keeps its first decision's facts; until 2026-12-07 the reopened
    decision did not copy the flag, so such a decision also answers with the consultation it supersedes. Not
    any superseded row: an import's re-run supersedes a decision too, with what the log says now
    (``police_advised`` from its "Police involved" column, and no facts), and what it replaced no longer counts.
    """
    if decision.police_advised:
        return True
    earlier = decision.supersedes if decision.supersedes_id is not None else None
    return bool(
        earlier is not None
        and earlier.level == Level.CONSULTATION
        and decision.level != Level.CONSULTATION
        and decision.facts
        and earlier.facts == decision.facts
        and earlier.police_advised
    )


def _facts(case: Case) -> dict[str, FactValue]:
    """The facts the LADO decided the case on (for timescales whose ``when`` looks at facts)."""
    decision = standing_decision(case)
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
        first = first_decision(case.contact)
        if first is not None:
            return timezone.localdate(first.recorded_at)
    return timezone.localdate(case.opened_at)


def _first_meeting_on(case: Case, today: dt.date) -> dt.date | None:
    """The first strategy or allegations management meeting held (one booked for a later day has not happened).

    A review meeting reviews what an evaluation meeting decided: it never stops the evaluation clock.
    """
    for meeting in evaluation_meetings(case):
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
        if timescale.id == EVALUATION_MEETING:
            start = _tier_reached_on(case)
        deadlines.append(
            CaseDeadline(
                name=name,
                stopped_by=stopped_by,
                clock=clock(timescale, start=start, done_on=done[stopped_by], today=today, running=running),
            )
        )
    return deadlines


def _tier_reached_on(case: Case) -> dt.date:
    """The day the case reached its tier: its latest move to it, else the day it was received.

    The protocol manages a case as Tier 1 when, say, "a pattern of allegations are emerging": the meeting Tier 1
    holds is due from the day the case became Tier 1, not (overdue at once) from a receipt weeks before.
    """
    moves = [change for change in case.tier_changes.all() if change.to_tier == case.tier]
    latest = max(moves, key=lambda change: (change.recorded_at, change.pk), default=None)
    return max(case.received_on, timezone.localdate(latest.recorded_at)) if latest is not None else case.received_on


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
    """Whether an open case has a clock, a review of delay, a monitoring review or a meeting action overdue.

    The case page's answer, worked out from the case; lists read the stored rows instead (``with_overdue``).
    """
    if case.status != CaseStatus.OPEN:
        return False
    today = _today(today)
    review = delay_review_state(case, today)
    return (
        any(deadline.overdue for deadline in case_deadlines(case, today))
        or bool(review and review.overdue)
        or case.monitoring_reviews.filter(done_on__isnull=True, due_on__lt=today).exists()
        or case.meetings.filter(actions__done_on__isnull=True, actions__due_on__lt=today).exists()
    )


def with_overdue(
    cases: QuerySet[Case],
    today: dt.date | None = None,
    *,
    only_overdue: bool = False,
    seen_in_full: QuerySet[Case] | None = None,
) -> QuerySet[Case]:
    """``cases`` (built on ``visible_cases``) with ``overdue``: open, with a stored deadline open past its date.

    One annotation on the list's own query (an ``Exists`` over the case's rows: the list is scoped, and a
    deadline follows its record), so a list of two hundred cases costs what a list of two does, and ``overdue``
    can be filtered on in the database. The rows are written by the services that change a case
    (``threshold.lado.services.deadlines``): the pack's clocks, the reviews of delay, Tier 2 monitoring reviews
    and meeting actions. ``only_overdue`` keeps only the overdue cases. ``seen_in_full``: the cases the reader
    may see in full, when the list also holds some they see only in summary (a partner's): a summary shows no
    timescale, so those are never called overdue.
    """
    late = deadlines_of_listed("case").filter(state=DeadlineState.OPEN, due_on__lt=_today(today))
    may_be_late = Q(status=CaseStatus.OPEN)
    if seen_in_full is not None:
        may_be_late &= Q(pk__in=seen_in_full.values("pk"))
    condition = may_be_late & Exists(late)
    annotated = cases.annotate(overdue=ExpressionWrapper(condition, output_field=BooleanField()))
    return annotated.filter(overdue=True) if only_overdue else annotated


def case_open_deadlines(user: User, case: Case) -> QuerySet[Deadline]:
    """The case's stored deadlines still open, as the user may see them, soonest first (one query)."""
    return visible_deadlines(user, "view").filter(case=case, state=DeadlineState.OPEN).order_by("due_on", "pk")


# ---------------------------------------------------------------- the rows that stand


# A case's history rows are few (a line of investigation recorded a handful of times): they are read whole through
# ``.all()`` and the standing row picked here, so the case page, which reads them once for all its panels
# (``case_for_page``), asks nothing more.


def current_investigations(case: Case) -> list[Investigation]:
    """The row that stands for each line of investigation (a later row for a line supersedes the earlier)."""
    return latest_of_each(case.investigations.all(), "kind")


def latest_body_referrals(case: Case) -> dict[str, BodyReferral]:
    """The row that stands for each body the case was referred to (DBS, TRA, Ofsted…), by body."""
    return {row.body: row for row in latest_of_each(case.body_referrals.all(), "body")}


def children_in_order(case: Case) -> list[CaseChild]:
    """The case's children (victims) in the order they were added (child 1 first)."""
    return sorted(case.children.all(), key=lambda child: child.pk)


# What the case page's panels read of the case's own rows, each read once for all of them.
CASE_PAGE_ROWS = ("children", "investigations", "body_referrals", "risk_measures", "conclusions", "tier_changes")


def case_for_page(user: User, case_id: object, *, request: HttpRequest | None) -> Case:
    """The case for its page and its printed file, fetched for ``view`` (404 otherwise), its rows read once.

    Each of its own rows the panels read (``CASE_PAGE_ROWS`` and its decisions: the data set, "Still to record",
    the decisions panel, monitoring) is read once, one query per table. The records its keys name (its adult, its
    LADO, its contact) are not joined to the fetch: on PostgreSQL, planning the access condition over eight joined
    tables took 15 ms, five times the queries it saved. The related managers of a fetched case are scoped
    (``threshold.access.guard``), so this reads nothing the case's reader could not. The panels read them
    through ``.all()`` (and ``.first()``, ``.exists()`` on it), which these rows answer; a reader that filters
    or orders in SQL reads again.
    """
    case = access_case(user, case_id, "view", request=request)
    # The decisions that opened the case, with whom each names: its decisions panel and the facts its clocks read
    # (``_facts``). The first decision on its contact (``_decided_on``) is the contact's, read on its own.
    decisions = Prefetch("decisions", queryset=case.decisions.select_related("contact", "recorded_by", "prompted_by"))
    prefetch_related_objects([case], *CASE_PAGE_ROWS, decisions)
    return case


# ---------------------------------------------------------------- candidates


def lado_candidates(case: Case) -> list[User]:
    """Who a case may be allocated to: active LADOs and LADO managers of its local authority, never its subject."""
    users = User.objects.filter(
        is_active=True,
        memberships__organisation=case.local_authority,
        memberships__is_active=True,
        memberships__role__in=(Role.LADO, Role.LADO_MANAGER),
    )
    # Never a LADO the adult is or could be: another LADO handles it (ADR 0018).
    return users_not_about(case.subject, users.distinct().order_by("full_name"))


def _partner_memberships(case: Case) -> Q:
    """The memberships that make someone a partner this case may be shared with (a ``Membership`` filter).

    Children's social care is organised by local authority, and its
    organisations carry that link: only managers of the social care of the
    case's own local authority area are offered. Police forces have no area
    link in the model yet (a force covers several local authorities), so every
    active police liaison user is offered.
    """
    return Q(is_active=True, organisation__is_active=True) & (
        Q(role=Role.POLICE_LIAISON, organisation__kind=OrganisationKind.POLICE)
        | Q(
            role=Role.CSC_MANAGER,
            organisation__kind=OrganisationKind.CHILDRENS_SOCIAL_CARE,
            organisation__local_authority_id=case.local_authority_id,
        )
    )


def partner_candidates(case: Case) -> QuerySet[User]:
    """Who a case or its meetings may be shared with: active police liaison users, and the area's CSC managers.

    Children's social care managers are offered only from the social care of
    the case's local authority area. Police forces are not linked to an area
    yet, so all active police liaison users are offered; the list is ordered
    by agency (``agency_name``, annotated on each user) and then by name, so
    each force's people sit together under its name and the LADO picks the
    force that covers the area rather than a namesake in a neighbouring one.

    Never the adult the case is about, and never a system administrator
    (rule 4: they read no case data).
    """
    memberships = Membership.objects.filter(_partner_memberships(case))
    agency = memberships.filter(user=OuterRef("pk")).order_by("organisation__name").values("organisation__name")[:1]
    candidates = User.objects.filter(
        is_active=True, is_system_admin=False, pk__in=memberships.values("user_id")
    ).annotate(agency_name=Subquery(agency))
    # Never anyone the adult is or could be (ADR 0018).
    return exclude_possible_subjects(case.subject, candidates).order_by("agency_name", "full_name", "pk")
