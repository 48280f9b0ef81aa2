"""What happens on a LADO case after it opens: planned before the cases are written, recorded after.

``plan_case`` decides each case's course (open, or concluded after days to months, with an outcome) and the
rows its LADO records on the way, each as the service writes it: the data set completed (the incident date
and whether it is non-recent, the sector), how the risk is managed, the lines of investigation, the strategy
or LADO-chaired meeting (most Tier 1 cases), a referral to Ofsted for an early years employer, monthly reviews
of delay past three months, and the conclusion with its DBS and TRA referrals. ``write_case_records`` inserts
them once the cases have ids and records their audit events and chronology lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bench.synthetic.common import Build, at
from bench.synthetic.insert import make
from bench.synthetic.lado import Decided
from bench.synthetic.organisations import LADO_PACK
from threshold.core.vocabularies import Outcome
from threshold.lado.models import (
    BodyReferral,
    Case,
    CaseStatus,
    Conclusion,
    DelayReview,
    Investigation,
    Level,
    Meeting,
    RiskMeasure,
)
from threshold.lado.models.cases import Body, InvestigationKind, RegulatedActivity, RiskMeasureKind
from threshold.lado.selectors import THREE_MONTHS
from threshold.lado.services.case_agencies import INVESTIGATION_OUTCOMES, ONGOING
from threshold.lado.services.conclusion import outcome_definitions
from threshold.policy import add_months, add_working_days, get_pack, non_recent, parse_facts
from threshold.policy.clocks import next_delay_review, timescales_at_level
from threshold.policy.engine import due_date

CONCLUDED_OUTCOMES = (
    Outcome.SUBSTANTIATED,
    Outcome.UNSUBSTANTIATED,
    Outcome.UNFOUNDED,
    Outcome.FALSE,
    Outcome.MALICIOUS,
)
DELAY_REASONS = (
    "Waiting for the police investigation to finish.",
    "The employer's disciplinary hearing is booked for next month.",
    "Waiting for the child's account through children's social care.",
)


@dataclass
class Life:
    """A case's course and the rows recorded on it, before they have ids."""

    concluded_on: dt.date | None = None
    dataset_at: dt.datetime | None = None
    dataset_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    risk: RiskMeasure | None = None
    investigations: list[Investigation] = field(default_factory=list)
    meeting: Meeting | None = None
    ofsted: BodyReferral | None = None
    reviews: list[DelayReview] = field(default_factory=list)
    conclusion: Conclusion | None = None
    concluding_referrals: list[BodyReferral] = field(default_factory=list)


def three_months_after(case: Case) -> dt.date:
    """``lado.selectors.three_months_on``: the pack's three-month target (today's version), or three months."""
    pack = get_pack(LADO_PACK)
    for timescale in timescales_at_level(pack, case.tier, ids=[THREE_MONTHS]):
        return due_date(timescale, case.received_on)
    return add_months(case.received_on, 3)


def _course(build: Build, row: Decided) -> dt.date | None:
    """When the case concluded, or ``None`` while it is open (recent cases mostly are; Lara's all are)."""
    rng = build.rng
    case = row.case
    assert case is not None
    assert row.decided_at is not None
    if getattr(row.contact, "_bench_lara", False):
        return None
    age = (build.today - case.received_on).days
    open_chance = 0.9 if age < 60 else 0.25 if age < 365 else 0.05 if age < 730 else 0.0
    if rng.random() < open_chance:
        return None
    span = rng.choices(((10, 30), (31, 90), (91, 300)), weights=(60, 30, 10))[0]
    earliest = timezone.localdate(row.decided_at) + dt.timedelta(days=1)
    concluded = max(earliest, case.received_on + dt.timedelta(days=rng.randint(*span)))
    return concluded if concluded < build.today else None


def plan_case(build: Build, row: Decided) -> Life:
    """Decide the case's course and plan its rows; sets the case's own fields (written with it)."""
    rng = build.rng
    case = row.case
    assert case is not None
    assert row.decided_at is not None
    life = Life(concluded_on=_course(build, row))
    end = life.concluded_on or build.today
    lado = row.decider
    # The data set completed a few days in: the incident date (one in seven over a year before), the sector.
    incident = case.received_on - dt.timedelta(
        days=rng.randint(400, 3000) if rng.random() < 1 / 7 else rng.randint(1, 40)
    )
    pack = build.pack(LADO_PACK, case.received_on)
    facts = parse_facts({"incident_date": incident.isoformat(), "reported_on": case.received_on.isoformat()})
    life.dataset_changes = {"incident_date": (None, incident), "non_recent": (None, non_recent(pack, facts))}
    sector = getattr(row.contact, "_bench_sector", "")
    if not case.sector and sector:
        life.dataset_changes["sector"] = ("", sector)
    life.dataset_at = min(build.later(row.decided_at, minutes=(60, 60 * 24 * 5)), _moment(build, end, row.decided_at))
    for name, (_old, new) in life.dataset_changes.items():
        setattr(case, name, new)
    if rng.random() < 0.6:
        kind = rng.choice(("suspended", "restricted", "redeployed", "none"))
        started = case.received_on if kind != RiskMeasureKind.NONE else None
        life.risk = make(
            RiskMeasure,
            case=case,
            kind=kind,
            started_on=started,
            ended_on=life.concluded_on if started and life.concluded_on else None,
            recorded_by=lado,
            recorded_at=_moment(build, case.received_on, row.decided_at),
        )
    lines = [InvestigationKind.CRIMINAL] if case.tier == Level.TIER_1 and rng.random() < 0.7 else []
    if rng.random() < 0.5:
        lines.append(InvestigationKind.DISCIPLINARY)
    for kind in lines:
        referred_on = min(add_working_days(case.received_on, 1), end)
        codes = [code for code, _ in INVESTIGATION_OUTCOMES[kind] if code not in (ONGOING, "other")]
        outcome = rng.choice(codes) if life.concluded_on else ONGOING
        life.investigations.append(
            make(
                Investigation,
                case=case,
                kind=kind,
                referred_on=referred_on,
                outcome=outcome,
                outcome_on=life.concluded_on if life.concluded_on else None,
                reference=f"{'PR' if kind == InvestigationKind.CRIMINAL else 'HR'}-{rng.randint(10000, 99999)}",
                lead="DC " + case.adult_name.split()[-1][::-1].title() if kind == InvestigationKind.CRIMINAL else "HR",
                recorded_by=lado,
                recorded_at=_moment(build, life.concluded_on or referred_on, row.decided_at),
            )
        )
    _meeting(build, row, life, end)
    if case.sector == "early_years":
        referred_on = add_working_days(case.received_on, 2)
        if referred_on < end:
            life.ofsted = make(
                BodyReferral,
                case=case,
                body=Body.OFSTED,
                referred=True,
                referred_on=referred_on,
                reference=f"OF-{rng.randint(100000, 999999)}",
                recorded_by=lado,
                recorded_at=_moment(build, referred_on, row.decided_at),
            )
    _reviews(build, row, life)
    if life.concluded_on is not None:
        _conclude(build, row, life)
    return life


def _moment(build: Build, day: dt.date, after: dt.datetime) -> dt.datetime:
    """A time on ``day`` in office hours, and after ``after`` (the case was opened then)."""
    return max(build.office_time(day), after + dt.timedelta(minutes=5))


def _meeting(build: Build, row: Decided, life: Life, end: dt.date) -> None:
    """A strategy meeting for most Tier 1 cases (within five working days, a few late); a few Tier 2 meetings."""
    rng = build.rng
    case = row.case
    assert case is not None
    assert row.decided_at is not None
    if case.tier == Level.TIER_1 and rng.random() < 0.85:
        held_on, kind = (
            add_working_days(case.received_on, rng.randint(6, 9) if rng.random() < 0.1 else rng.randint(1, 5)),
            "strategy",
        )
    elif case.tier == Level.TIER_2 and rng.random() < 0.15:
        held_on, kind = add_working_days(case.received_on, rng.randint(5, 15)), "allegations_management"
    else:
        return
    if held_on >= end or held_on >= build.today:
        return
    held_at = max(at(held_on, 10), row.decided_at + dt.timedelta(minutes=30))
    chair = (
        ("Children's social care", "Team manager") if kind == "strategy" else ("LADO service", row.decider.full_name)
    )
    life.meeting = make(
        Meeting,
        case=case,
        kind=kind,
        held_at=held_at,
        chair_name=chair[1],
        chair_agency=chair[0],
        decisions="Police to interview the adult; the employer keeps the adult away from children meanwhile.",
        created_by=row.decider,
        created_at=held_at + dt.timedelta(hours=2),
    )


def _reviews(build: Build, row: Decided, life: Life) -> None:
    """Monthly reviews of delay once past three months; an open case's latest may be missed (overdue)."""
    case = row.case
    assert case is not None
    assert row.decided_at is not None
    due = three_months_after(case)
    reviews = []
    while (due <= life.concluded_on) if life.concluded_on else (due < build.today):
        reviews.append(
            make(
                DelayReview,
                case=case,
                reviewed_on=due,
                reason=build.rng.choice(DELAY_REASONS),
                next_review_on=next_delay_review(due),
                recorded_by=row.decider,
                recorded_at=_moment(build, due, row.decided_at),
            )
        )
        due = next_delay_review(due)
    if reviews and life.concluded_on is None and build.rng.random() < 0.25:
        reviews.pop()
    life.reviews = reviews


def _conclude(build: Build, row: Decided, life: Life) -> None:
    """The conclusion (``case_conclude``): outcome, the pack's definition, DBS and TRA referrals, and why not."""
    rng = build.rng
    case = row.case
    assert case is not None
    assert life.concluded_on is not None
    assert row.decided_at is not None
    outcome = rng.choices(CONCLUDED_OUTCOMES, weights=(30, 40, 18, 7, 5))[0]
    case.status, case.outcome, case.concluded_on = CaseStatus.CONCLUDED, outcome, life.concluded_on
    pack = build.pack(LADO_PACK, life.concluded_on)
    definitions = {choice.value: choice.definition for choice in outcome_definitions(pack)[0]}
    substantiated = outcome == Outcome.SUBSTANTIATED
    moment = _moment(build, life.concluded_on, row.decided_at)
    life.conclusion = make(
        Conclusion,
        case=case,
        outcome=outcome,
        concluded_on=life.concluded_on,
        summary="Concluded with the employer and the police.",
        pack=pack.id,
        pack_version=pack.version,
        definition=definitions.get(outcome, ""),
        no_meeting_reason="The police and children's social care agreed by phone that no meeting was needed."
        if case.tier == Level.TIER_1 and life.meeting is None
        else "",
        no_quality_assurance_reason="The employer's outcome was agreed with the LADO at the review."
        if case.tier == Level.TIER_2
        else "",
        regulated_activity=RegulatedActivity.REMOVED if substantiated else RegulatedActivity.NOT_REMOVED,
        recorded_by=row.decider,
        recorded_at=moment,
    )
    if substantiated:
        bodies = [Body.DBS, *([Body.TRA] if "teacher" in case.adult_role.lower() else [])]
        life.concluding_referrals = [
            make(
                BodyReferral,
                case=case,
                body=body,
                referred=True,
                referred_on=life.concluded_on,
                reference=f"{body.upper()}-{rng.randint(100000, 999999)}",
                recorded_by=row.decider,
                recorded_at=moment,
            )
            for body in bodies
        ]
