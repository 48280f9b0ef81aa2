"""The allegations the heads' triage opened: referred to the LADO, managed through section 6, most concluded.

As ``allegation_open_in_transaction`` and ``referral_make`` do, each allegation is opened for the head as case
manager and referred to the LADO of the school's local authority the same day (the referral completes step 2
and puts a contact in the LADO's inbox: ``bench.synthetic.lado`` makes it). The case manager records the steps
of section 6 as the allegation goes on; one older than five months was concluded with an outcome, the DBS and
TRA referrals the pack advised, and (after an investigation) the section 11 review of lessons learned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bench.synthetic.common import Build
from bench.synthetic.concerns import FACTS, TRUST_PACK, Triaged
from bench.synthetic.insert import insert_objects, make
from bench.synthetic.organisations import Authority
from bench.synthetic.trail import Trail
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    LessonsReview,
    OutcomeRecord,
    Referral,
    Route,
    Step,
    StepRecord,
)
from threshold.core.references import ALLEGATION
from threshold.core.vocabularies import Outcome
from threshold.policy import add_calendar_days, add_working_days

CATEGORIES = {"harm": "physical", "risk": "conduct", "offence": "sexual"}
CAME_TO_LIGHT = ("disclosure_child", "disclosure_parent", "observed", "complaint")
TEACHING = ("Class teacher", "PE teacher", "Supply teacher", "Music teacher")
INVESTIGATED_OUTCOMES = (
    Outcome.SUBSTANTIATED,
    Outcome.UNSUBSTANTIATED,
    Outcome.UNFOUNDED,
    Outcome.FALSE,
    Outcome.MALICIOUS,
)
STEP_TEXT: dict[str, str] = {
    Step.BASIC_ENQUIRIES: "Spoke to the member of staff who shared the concern and read the pupil's account.",
    Step.SUSPENSION_CONSIDERED: "Alternative arrangements agreed with the LADO: no unsupervised contact with pupils.",
    Step.PARENTS_INFORMED: "The parents were told of the allegation by phone, after agreeing it with the LADO.",
    Step.HR_STRATEGY: "Discussed with the HR business partner; the member of staff was told the same day.",
    Step.INVESTIGATION: "Investigation completed by the deputy headteacher with HR advice; report written.",
    Step.NO_FURTHER_ACTION: "No further action, agreed with the LADO; written to the member of staff.",
    Step.PARENTS_KEPT_INFORMED: "The parents were told the allegation had been dealt with.",
}


@dataclass
class Managed:
    """One generated allegation and what its stored deadlines are worked out from."""

    allegation: Allegation
    referral: Referral
    start: dt.date
    # What the allegation's pack reads (``allegation_facts``), without its two dates.
    facts: dict[str, Any]
    facts_key: str
    concluded: bool
    # The level the pack advises on the referral's facts (the resolution targets of policy 6.4 follow from it).
    level: str = ""
    steps: dict[str, StepRecord] = field(default_factory=dict)
    outcome: OutcomeRecord | None = None
    lessons: LessonsReview | None = None


def _facts(facts_key: str, teacher: bool) -> dict[str, Any]:
    """The facts the allegation's pack reads (``allegation_facts``), without the two dates (filled per record)."""
    return {
        **FACTS[facts_key],
        "works_with_children": True,
        "adult_identified": True,
        "subject_is_teacher": teacher,
        "subject_employment": "employed",
        "setting_type": "school",
        "interim_prohibition_order": False,
    }


def build_allegations(build: Build, trail: Trail, authority: Authority, triaged: list[Triaged]) -> list[Managed]:
    """Open, refer and manage an allegation for each concern triaged as one; return them for the LADO side."""
    rng = build.rng
    la = authority.organisation
    managed: list[Managed] = []
    for item in triaged:
        concern, head = item.concern, item.school.head
        start = timezone.localdate(concern.created_at)
        teacher = concern.subject.role_title in TEACHING
        concluded = (build.today - start).days > 150 and rng.random() < 0.97
        allegation = make(
            Allegation,
            reference=build.references.new(ALLEGATION),
            organisation=item.school.organisation,
            subject=concern.subject,
            concern=concern,
            case_manager=head,
            summary=concern.summary,
            created_at=item.decided_at,
            came_to_attention_on=start,
            subject_is_teacher=teacher,
            status=AllegationStatus.CONCLUDED if concluded else AllegationStatus.REFERRED,
        )
        item.triage.allegation = allegation
        referred_at = item.decided_at + dt.timedelta(minutes=rng.randint(20, 180))
        pack = build.pack(TRUST_PACK, timezone.localdate(referred_at))
        base = _facts(item.facts_key, teacher)
        facts = {**base, "abuse_categories": [CATEGORIES[item.facts_key]]}
        assessment, stored_facts, stored = build.assessor.assess(
            pack, facts, start, key=f"referral-{item.facts_key}-{teacher}", dated=("reported_on", "allegation_date")
        )
        referral = make(
            Referral,
            allegation=allegation,
            local_authority=la,
            recorded_by=head,
            recorded_at=referred_at,
            adult_name=concern.subject.full_name,
            adult_role=concern.subject.role_title,
            employer_name=item.school.organisation.name,
            referring_organisation=item.school.organisation.name,
            referrer_name=head.full_name,
            referrer_contact=head.email,
            came_to_light=rng.choice(CAME_TO_LIGHT),
            abuse_categories=facts["abuse_categories"],
            summary=concern.summary,
            risk_managed=rng.choice(("restricted", "redeployed", "none", "suspended")),
            police_involved=item.facts_key == "offence",
            pack=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=stored_facts,
            assessment=stored,
        )
        managed.append(
            Managed(
                allegation,
                referral,
                start,
                facts=base,
                facts_key=item.facts_key,
                concluded=concluded,
                level=assessment.level,
            )
        )
    insert_objects(Allegation, [item.allegation for item in managed])
    insert_objects(Referral, [item.referral for item in managed])
    for made, source in zip(managed, triaged, strict=True):
        _open_events(trail, made, source, la.name)
    _steps(build, trail, managed, la.name)
    return managed


def _open_events(trail: Trail, item: Managed, source: Triaged, authority_name: str) -> None:
    allegation, referral = item.allegation, item.referral
    head_id = allegation.case_manager_id
    trail.allegation_event(
        allegation,
        user_id=head_id,
        at=source.decided_at,
        action="allegation.opened",
        text="Allegation opened.",
        details={"concern": allegation.concern_id, "from_triage": []},
    )
    trail.allegation_event(
        allegation,
        user_id=head_id,
        at=referral.recorded_at,
        action="allegation.referred",
        text=f"Referred to the LADO of {authority_name}.",
        row=referral.pk,
        details={"local_authority": referral.local_authority_id, "supersedes": None, "complete": True},
    )


def _steps(build: Build, trail: Trail, managed: list[Managed], authority_name: str) -> None:
    """Section 6's steps as far as each allegation has gone, its outcome and its review of lessons."""
    rng = build.rng
    today = build.today
    steps: list[StepRecord] = []
    for item in managed:
        allegation, head_id, start = item.allegation, item.allegation.case_manager_id, item.start
        age = (today - start).days
        concluded = item.concluded
        referred_on = timezone.localdate(item.referral.recorded_at)
        plan: list[tuple[str, dt.date, str]] = [
            (Step.BASIC_ENQUIRIES, start, ""),
            (Step.DISCUSS_WITH_LADO, referred_on, ""),
        ]
        route = Route.INVESTIGATION if rng.random() < 0.6 else Route.NO_FURTHER_ACTION
        if concluded or age > 5:
            plan += [
                (Step.SUSPENSION_CONSIDERED, add_working_days(start, 1), ""),
                (Step.PARENTS_INFORMED, add_working_days(start, 1), ""),
            ]
        if concluded or age > 10:
            plan.append((Step.HR_STRATEGY, add_working_days(start, 4), route))
        finished = None
        if concluded:
            if route == Route.INVESTIGATION:
                finished = add_calendar_days(start, rng.randint(20, 70))
                plan.append((Step.INVESTIGATION, finished, ""))
            else:
                finished = add_working_days(start, rng.randint(5, 10))
                plan.append((Step.NO_FURTHER_ACTION, finished, ""))
            plan.append((Step.PARENTS_KEPT_INFORMED, add_working_days(finished, 2), ""))
        for step, done_on, chosen in plan:
            done_on = min(done_on, today - dt.timedelta(days=1))
            recorded_at = max(build.office_time(done_on), item.referral.recorded_at + dt.timedelta(minutes=1))
            if step == Step.DISCUSS_WITH_LADO:
                decision = f"Referral made to the LADO of {authority_name} (referral {item.referral.reference})."
                recorded_at = item.referral.recorded_at
            else:
                decision = STEP_TEXT[step]
            record = make(
                StepRecord,
                allegation=allegation,
                step=step,
                done_on=done_on,
                decision=decision,
                route=chosen,
                recorded_by_id=head_id,
                recorded_at=recorded_at,
                agreed_with_lado=True if step == Step.NO_FURTHER_ACTION else None,
                action_for_individual="Reminder of the code of conduct." if step == Step.NO_FURTHER_ACTION else "",
            )
            item.steps[step] = record
            steps.append(record)
        if concluded and finished is not None:
            _conclude(build, item, route, finished)
    insert_objects(StepRecord, steps)
    outcomes = [item.outcome for item in managed if item.outcome is not None]
    insert_objects(OutcomeRecord, outcomes)
    lessons = [item.lessons for item in managed if item.lessons is not None]
    insert_objects(LessonsReview, lessons)
    for item in managed:
        _step_events(trail, item)


def _conclude(build: Build, item: Managed, route: str, finished: dt.date) -> None:
    """The outcome (section 6.3) with the pack's DBS and TRA advice, each referral made when advised."""
    rng = build.rng
    allegation = item.allegation
    concluded_on = min(add_working_days(finished, rng.randint(3, 15)), build.today - dt.timedelta(days=1))
    investigated = route == Route.INVESTIGATION
    outcome = (
        rng.choices(INVESTIGATED_OUTCOMES, weights=(35, 40, 15, 5, 5))[0]
        if investigated
        else rng.choice((Outcome.UNFOUNDED, Outcome.UNSUBSTANTIATED, Outcome.FALSE))
    )
    substantiated = outcome == Outcome.SUBSTANTIATED
    pack = build.pack(TRUST_PACK, concluded_on)
    facts = {
        **item.facts,
        "outcome": str(outcome),
        "removed_from_regulated_activity": substantiated,
        "resigned_before_conclusion": False,
    }
    _assessment, stored_facts, stored = build.assessor.assess(
        pack,
        facts,
        item.start,
        key=f"outcome-{item.facts_key}-{item.allegation.subject_is_teacher}-{outcome}",
        dated=("reported_on", "allegation_date"),
    )
    dbs = bool(stored["referrals"].get("dbs", {}).get("consider"))
    tra = bool(stored["referrals"].get("tra", {}).get("consider"))
    moment = build.office_time(concluded_on)
    item.outcome = make(
        OutcomeRecord,
        allegation=allegation,
        report="Investigation report and the panel's findings." if investigated else "No further action.",
        outcome=outcome,
        concluded_on=concluded_on,
        removed_from_regulated_activity=substantiated,
        disciplinary_route="Disciplinary hearing: final written warning." if investigated and substantiated else "",
        dbs_referred_on=concluded_on if dbs else None,
        dbs_reference=f"DBS-{rng.randint(100000, 999999)}" if dbs else "",
        tra_referred_on=concluded_on if tra else None,
        tra_reference=f"TRA-{rng.randint(100000, 999999)}" if tra else "",
        pack=pack.id,
        pack_version=pack.version,
        pack_digest=pack.digest,
        facts=stored_facts,
        assessment=stored,
        recorded_by_id=allegation.case_manager_id,
        recorded_at=moment,
    )
    if investigated:
        item.lessons = make(
            LessonsReview,
            allegation=allegation,
            reviewed_on=concluded_on,
            reviewed_with="The LADO and the headteacher",
            recorded_by_id=allegation.case_manager_id,
            recorded_at=moment + dt.timedelta(minutes=30),
        )


def _step_events(trail: Trail, item: Managed) -> None:
    allegation, head_id = item.allegation, item.allegation.case_manager_id
    for step, record in item.steps.items():
        if step == Step.DISCUSS_WITH_LADO:
            continue  # part of ``allegation.referred``
        details: dict[str, Any] = {"step": step, **({"route": record.route} if record.route else {})}
        trail.allegation_event(
            allegation,
            user_id=head_id,
            at=record.recorded_at,
            action="allegation.step_recorded",
            text=f"{Step(step).label}: {record.decision}",
            row=record.pk,
            details=details,
        )
    outcome = item.outcome
    if outcome is not None:
        trail.allegation_event(
            allegation,
            user_id=head_id,
            at=outcome.recorded_at,
            action="allegation.concluded",
            text=f"Outcome: {Outcome(outcome.outcome).label.lower()}.",
            row=outcome.pk,
            changes={"status": (AllegationStatus.REFERRED, AllegationStatus.CONCLUDED)},
            details={
                "outcome": outcome.outcome,
                "dbs": bool(outcome.dbs_referred_on),
                "tra": bool(outcome.tra_referred_on),
            },
        )
    if item.lessons is not None:
        trail.allegation_event(
            allegation,
            user_id=head_id,
            at=item.lessons.recorded_at,
            action="allegation.lessons_reviewed",
            text="Case reviewed for lessons learned: no improvements to procedures or practice identified.",
            row=item.lessons.pk,
        )
