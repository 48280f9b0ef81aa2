"""Ten years of concerns in an authority's schools: shared by staff (a few anonymously), triaged by the head.

Each school records the adults concerns are about once (``concerns.services.common._subject_person``: one
person per name in the organisation), so an adult's later concerns find the earlier ones. The head triages on
the trust's pack (``lead-academy-trust``, the version in force on the day), deciding as the pack advises:
appropriate conduct, a low-level concern, or an allegation, which opens an allegation for the head as case
manager (``bench.synthetic.allegations``). Concerns shared in the last fortnight may still wait for triage.
Each school completed its termly pattern review every term before this one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from bench.synthetic.common import LONDON, Build, working_day_on_or_after
from bench.synthetic.insert import insert_objects, insert_values, make
from bench.synthetic.names import People
from bench.synthetic.organisations import Authority, School
from bench.synthetic.trail import Trail
from threshold.concerns.models import (
    Concern,
    ConcernDetails,
    ConcernStatus,
    Decision,
    HowArose,
    PatternReview,
    Routing,
    Triage,
)
from threshold.concerns.selectors import previous_term, term_of
from threshold.concerns.services.triage import advised_decision
from threshold.core.names import record_keys
from threshold.core.references import CONCERN
from threshold.people.models import Person, PersonKey, PersonKind
from threshold.policy import add_working_days

TRUST_PACK = "lead-academy-trust"
NO_LIMB = {
    "harmed_or_may_have_harmed_child": False,
    "possible_criminal_offence": False,
    "behaviour_indicates_risk_of_harm": False,
    "may_be_unsuitable_to_work_with_children": False,
}
FACTS: dict[str, dict[str, Any]] = {
    "appropriate": {"inconsistent_with_code_of_conduct": False, **NO_LIMB},
    "low_accidental": {"inconsistent_with_code_of_conduct": True, **NO_LIMB, "incident_pattern": "accidental"},
    "low_neglectful": {"inconsistent_with_code_of_conduct": True, **NO_LIMB, "incident_pattern": "neglectful"},
    "harm": {"harmed_or_may_have_harmed_child": True, "corroborating_evidence": True},
    "risk": {"behaviour_indicates_risk_of_harm": True},
    "offence": {"possible_criminal_offence": True},
}
ALLEGATION_FACTS = ("harm", "risk", "offence")
SUMMARIES = (
    "Kept a pupil behind alone in a classroom after the lesson had ended.",
    "Was seen messaging a pupil from a personal phone.",
    "Shouted at a pupil in the corridor and called them stupid.",
    "Gave a pupil a lift home without telling the office.",
    "Made comments about a pupil's appearance in front of the class.",
    "Grabbed a pupil by the arm to move them out of a queue.",
    "Followed pupils on a social media account.",
    "Swore at a group of pupils on the playground.",
    "Shared a photograph of pupils on a personal account.",
    "Arrived at school smelling of alcohol.",
    "Played a game with pupils that involved physical contact.",
    "Gave one pupil gifts that others did not receive.",
)
HOW = tuple(HowArose.values)
PERSON_KIND = str(PersonKind.ADULT)


STATUS: dict[str, str] = {
    Decision.LOW_LEVEL: ConcernStatus.LOW_LEVEL,
    Decision.ALLEGATION: ConcernStatus.ALLEGATION,
    Decision.APPROPRIATE: ConcernStatus.APPROPRIATE,
}
ROLES = (
    "Class teacher",
    "Teaching assistant",
    "Lunchtime supervisor",
    "PE teacher",
    "Caretaker",
    "Learning support assistant",
    "Sports coach",
    "Supply teacher",
    "Music teacher",
    "School cook",
)


@dataclass
class Triaged:
    """A concern the head decided is an allegation: what ``bench.synthetic.allegations`` opens one for."""

    concern: Concern
    school: School
    facts_key: str
    decided_at: dt.datetime
    triage: Triage


def _day_only(moment: dt.datetime) -> dt.datetime:
    """Midnight of the day, London time (``concerns.services.common._day_only``): all an anonymous share keeps."""
    return dt.datetime.combine(moment.astimezone(LONDON).date(), dt.time(), tzinfo=LONDON)


def build_concerns(build: Build, trail: Trail, authority: Authority, *, concerns: int, allegations: int) -> Triages:
    """Create the concerns, their details and subjects; return the triage decisions, written by ``write_triage``.

    The triage rows wait for ``write_triage`` because a triage names the allegation it opened, which
    ``bench.synthetic.allegations`` creates from ``Triages.allegations`` first.
    """
    rng = build.rng
    plans: list[tuple[dt.date, dt.datetime, School]] = []
    for _ in range(concerns):
        raised = build.day()
        plans.append((raised, build.office_time(raised), rng.choice(authority.schools)))
    plans.sort(key=lambda plan: plan[1])
    decided = [index for index, plan in enumerate(plans) if (build.today - plan[0]).days > 14 or rng.random() < 0.6]
    as_allegation = set(rng.sample(decided, min(allegations, len(decided))))
    decided_set = set(decided)
    pools: dict[int, list[Person]] = {school.organisation.pk: [] for school in authority.schools}
    names: dict[int, set[str]] = {school.organisation.pk: set() for school in authority.schools}
    people: list[Person] = []
    rows: list[tuple[Concern, School, Any, bool, bool, str]] = []
    triages = Triages()
    seen_subjects: set[int] = set()
    for index, (raised_on, moment, school) in enumerate(plans):
        pool = pools[school.organisation.pk]
        anonymous = rng.random() < 0.03
        created_at = _day_only(moment) if anonymous else moment
        new = not pool or rng.random() >= 0.75
        if new:
            subject = make(
                Person,
                organisation=school.organisation,
                kind=PERSON_KIND,
                full_name=unique_name(build, names[school.organisation.pk]),
                role_title=rng.choice(ROLES),
                employer=school.organisation,
                created_at=created_at,
            )
            pool.append(subject)
            people.append(subject)
        else:
            # Some adults are the subject of many concerns over the years: the patterns a review looks for.
            subject = (
                pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)] if rng.random() < 0.5 else rng.choice(pool)
            )
        reporter = rng.choice((*school.staff, school.dsl))
        concern = make(
            Concern,
            reference=build.references.new(CONCERN),
            organisation=school.organisation,
            subject=subject,
            reporter=None if anonymous else reporter,
            is_anonymous=anonymous,
            summary=rng.choice(SUMMARIES),
            raised_on=raised_on,
            created_at=created_at,
            status=ConcernStatus.NEW,
        )
        rows.append((concern, school, reporter, new, anonymous, rng.choice(HOW)))
        previous = id(subject) in seen_subjects
        seen_subjects.add(id(subject))
        if index in as_allegation:
            facts_key = rng.choice(ALLEGATION_FACTS)
        elif index in decided_set:
            facts_key = rng.choices(("appropriate", "low_accidental", "low_neglectful"), weights=(18, 62, 20))[0]
        else:
            continue
        triages.plan(build, concern, school, facts_key, previous=previous)
    insert_objects(Person, people)
    write_person_keys(people)
    insert_objects(Concern, [row[0] for row in rows])
    insert_objects(
        ConcernDetails,
        [
            make(
                ConcernDetails,
                concern=concern,
                subject_role=concern.subject.role_title,
                how_arose=how,
                routing=Routing.SETTING,
                signed_name="" if anonymous else reporter.full_name,
                signed_at=concern.created_at,
            )
            for concern, _school, reporter, _new, anonymous, how in rows
        ],
    )
    for concern, _school, reporter, new, anonymous, _how in rows:
        _shared_events(trail, concern, reporter, new=new, anonymous=anonymous)
    _pattern_reviews(build, trail, authority)
    return triages


def unique_name(build: Build, taken: set[str]) -> str:
    """A name not yet recorded in the organisation (each organisation records a person once by name)."""
    people = People(build.rng)
    while True:
        name = people.name()
        if name.lower() not in taken:
            taken.add(name.lower())
            return name


def write_person_keys(people: list[Person]) -> None:
    """Each person's match keys as ``Person.save`` writes them (``person_keys_write``): subject exclusion reads them."""
    cache: dict[tuple[str, str], frozenset[str]] = {}
    rows: list[dict[str, Any]] = []
    for person in people:
        identity = (person.full_name, person.email)
        keys = cache.get(identity)
        if keys is None:
            keys = cache[identity] = record_keys(name=person.full_name, email=person.email)
        rows.extend({"person_id": person.pk, "key": key} for key in sorted(keys))
    insert_values(PersonKey, rows)


def _shared_events(trail: Trail, concern: Concern, reporter: Any, *, new: bool, anonymous: bool) -> None:
    """``concern_share``'s events: the subject recorded, the share and its chronology line (ADR 0012 if anonymous)."""
    school_id = concern.organisation_id
    if anonymous:
        # The nightly anonymous-intake batch records the share (and a subject it recorded) the next day.
        night = concern.created_at + dt.timedelta(days=1, hours=2)
        if new:
            trail.record(
                at=night,
                user_id=None,
                organisation_id=school_id,
                action="person.recorded",
                record_type="person",
                record_id=concern.subject_id,
                details={"kind": "adult", "recorded_for": "anonymous concern"},
                job="anonymous-intake",
            )
        trail.record(
            at=night,
            user_id=None,
            organisation_id=school_id,
            action="concern.shared",
            record_type="concern",
            record_id=concern.pk,
            job="anonymous-intake",
            details={
                "routing": Routing.SETTING,
                "anonymous": True,
                "self_referral": False,
                "shared_on": timezone.localdate(concern.created_at).isoformat(),
            },
        )
        trail.line(
            record_field="concern",
            record_id=concern.pk,
            organisation_id=school_id,
            at=concern.created_at,
            user_id=None,
            text="Concern shared anonymously.",
        )
        return
    if new:
        trail.record(
            at=concern.created_at,
            user_id=reporter.pk,
            organisation_id=school_id,
            action="person.recorded",
            record_type="person",
            record_id=concern.subject_id,
            details={"kind": PersonKind.ADULT, "linked_to_account": False},
        )
    trail.record(
        at=concern.created_at,
        user_id=reporter.pk,
        organisation_id=school_id,
        action="concern.shared",
        record_type="concern",
        record_id=concern.pk,
        details={"routing": Routing.SETTING, "anonymous": False, "self_referral": False},
    )
    trail.line(
        record_field="concern",
        record_id=concern.pk,
        organisation_id=school_id,
        at=concern.created_at,
        user_id=reporter.pk,
        text=f"Concern shared by {reporter.full_name}.",
    )


class Triages:
    """The heads' triage decisions, planned before the concerns are written and written after the allegations."""

    def __init__(self) -> None:
        self.rows: list[tuple[Triage, Any]] = []
        self.allegations: list[Triaged] = []

    def plan(self, build: Build, concern: Concern, school: School, facts_key: str, *, previous: bool) -> None:
        """The head's decision (``concern_triage``): as the trust's pack in force that day advises, with its stamp."""
        rng = build.rng
        after = rng.choice((0, 1, 1, 2, 3))
        day = add_working_days(concern.raised_on, after) if after else concern.raised_on
        day = min(day, build.today - dt.timedelta(days=1))
        decided_at = max(build.office_time(day), concern.created_at + dt.timedelta(hours=1))
        pack = build.pack(TRUST_PACK, timezone.localdate(decided_at))
        assessment, facts, result = build.assessor.assess(pack, FACTS[facts_key], concern.raised_on, key=facts_key)
        decision = advised_decision(assessment)
        triage = make(
            Triage,
            concern=concern,
            decision=decision,
            advised_decision=decision,
            rationale="Decided as the policy advises, after speaking to the member of staff who shared it.",
            advice_hr=rng.random() < 0.3,
            advice_trust=rng.random() < 0.1,
            advice_lado=decision == Decision.ALLEGATION,
            previous_concerns=previous,
            pack_id=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=facts,
            result=result,
            decided_by=school.head,
            decided_at=decided_at,
        )
        concern.status = STATUS[decision]
        self.rows.append((triage, assessment))
        if decision == Decision.ALLEGATION:
            self.allegations.append(Triaged(concern, school, facts_key, decided_at, triage))


def write_triage(trail: Trail, triages: Triages) -> int:
    """Insert the triage rows (naming the allegations opened by now) and record each ``concern.triaged``."""
    insert_objects(Triage, [triage for triage, _ in triages.rows])
    for triage, assessment in triages.rows:
        concern = triage.concern
        trail.record(
            at=triage.decided_at,
            user_id=triage.decided_by_id,
            organisation_id=concern.organisation_id,
            action="concern.triaged",
            record_type="concern",
            record_id=concern.pk,
            changes={"status": (ConcernStatus.NEW, concern.status)},
            details={
                "decision": triage.decision,
                "advised": triage.advised_decision,
                "level": assessment.level,
                "pack": f"{triage.pack_id}@{triage.pack_version}",
                "allegation": triage.allegation.pk if triage.allegation else None,
            },
        )
        trail.line(
            record_field="concern",
            record_id=concern.pk,
            organisation_id=concern.organisation_id,
            at=triage.decided_at,
            user_id=triage.decided_by_id,
            text=f"Triaged as {Decision(triage.decision).label.lower()} (the policy advised {assessment.level_title}).",
        )
    return len(triages.rows)


def _pattern_reviews(build: Build, trail: Trail, authority: Authority) -> None:
    """Each school's termly pattern review, started and completed by its DSL at the end of every past term."""
    current = term_of(build.today)
    terms = []
    term = previous_term(current)
    while term.end >= build.start:
        terms.append(term)
        term = previous_term(term)
    reviews = []
    for school in authority.schools:
        for term in terms:
            started = build.office_time(working_day_on_or_after(term.end - dt.timedelta(days=6)))
            reviews.append(
                make(
                    PatternReview,
                    organisation=school.organisation,
                    period_start=term.start,
                    period_end=term.end,
                    started_by=school.dsl,
                    started_at=started,
                    completed_by=school.dsl,
                    completed_at=started + dt.timedelta(hours=2),
                    summary="No pattern found this term.",
                )
            )
    insert_objects(PatternReview, reviews)
    for review in reviews:
        for action, moment, details in (
            (
                "pattern_review.started",
                review.started_at,
                {"period_start": review.period_start, "period_end": review.period_end},
            ),
            ("pattern_review.completed", review.completed_at, {}),
        ):
            trail.record(
                at=moment or review.started_at,
                user_id=review.started_by_id,
                organisation_id=review.organisation_id,
                action=action,
                record_type="pattern_review",
                record_id=review.pk,
                details=details,
            )
