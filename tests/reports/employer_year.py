"""A hand-built academic year at Riverside Learning Trust, for the employer's dashboards.

Today is Wednesday 10 March 2027; the academic year runs from 1 September 2026 to 31 August 2027.

Low-level concerns (raised on, school, adult, tier advised, category):

- Chris Coach at Oakfield: 1 September 2026 (the year's first day), Tier 1, professional boundaries;
  20 November 2026, Tier 2, photographs or devices; 15 January 2027, Tier 2, no record yet.
- Hana Head at Oakfield (not routed past her: only subject exclusion keeps it from her): 5 October 2026,
  Tier 1, language.
- Sally Supply at Hillcrest: 1 February 2027, Tier 1, boundaries; 20 February 2027, Tier 2, one-to-one.
- Chris at Oakfield, 31 August 2026: last year's, never counted.

Other concerns at Oakfield: one triaged as an allegation (1 December 2026), one as appropriate conduct
(1 October 2026), one not yet decided (1 March 2027).

Allegations:

- A1, Chris at Oakfield: came to attention Friday 2 October 2026; referred at 00:30 on Tuesday 6 October (BST:
  still 5 October in UTC), 2 working days; outcome "unsubstantiated" on 1 December, then recorded again as
  "substantiated" on 10 December (the latter stands).
- A2, Hana at Oakfield: came Friday 8 January 2027; step 2 recorded Wednesday 13 January, 3 working days;
  referred, open, its investigation report overdue since 1 March.
- A3, Sally at Hillcrest: came Thursday 24 December 2026; referred Tuesday 29 December, the first working day
  after Christmas and the Boxing Day bank holiday on Monday 28: within one working day. Open; the suspension's
  written confirmation (due 5 January) and investigation report (due 5 March) overdue, a later step due
  20 March (not overdue) and a step met late (not overdue).
- A4, Sally at Hillcrest: opened Monday 8 March 2027 with no date of coming to attention recorded; the LADO not
  yet informed.
- A5, Chris at Oakfield: came 20 August 2026 (last year); outcome "false" on 15 September 2026 (this year).
- A6, at Meadow Lane: outcome "unfounded" on 25 August 2026 (last year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation, AllegationStatus, OutcomeRecord, Referral, Step, StepRecord
from threshold.concerns.models import Concern, ConcernStatus, Decision, LowLevelRecord, Triage
from threshold.demo import world
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2027, 3, 10)
NOW = dt.datetime(2027, 3, 10, 12, 0, tzinfo=LONDON)
TIERS = {
    "tier-1": "Tier 1: Low level concern incident that needs recording and may be a conduct issue.",
    "tier-2": "Tier 2: Low Level concern incident that does not require a referral to LADO but needs investigating"
    " and recording.",
}

STATUS_AFTER: dict[str, str] = {Decision.LOW_LEVEL.value: ConcernStatus.LOW_LEVEL}


@dataclass
class Year:
    """The ids of the year's records, by name."""

    concerns: dict[str, Concern]
    allegations: dict[str, Allegation]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _user(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


def _person(school: str, name: str, user: User | None = None) -> Person:
    return Person.objects.create(
        organisation=_org(school), full_name=name, user=user, email=user.email if user else "", employer=_org(school)
    )


def _concern(
    school: str,
    subject: Person,
    raised_on: dt.date,
    decision: str | None,
    *,
    tier: str = "",
    category: str | None = None,
) -> Concern:
    concern = Concern.objects.create(
        organisation=_org(school),
        subject=subject,
        summary="A concern for the dashboard.",
        raised_on=raised_on,
        status=ConcernStatus.NEW if decision is None else STATUS_AFTER.get(decision, ConcernStatus.CLOSED),
    )
    if decision is not None:
        result = {"level": tier, "level_title": TIERS[tier]} if tier else {"level": "tier-3", "level_title": "Tier 3"}
        Triage.objects.create(
            concern=concern,
            decision=decision,
            advised_decision=decision,
            rationale="Triaged.",
            pack_id="lead-academy-trust",
            pack_version="1.1",
            pack_digest="sha256:" + "0" * 64,
            result=result,
            decided_by=_user("dev"),
        )
    if category is not None:
        LowLevelRecord.objects.create(concern=concern, breach_category=category, updated_by=_user("dev"))
    return concern


def _allegation(school: str, subject: Person, came: dt.date | None, status: str, **extra: object) -> Allegation:
    return Allegation.objects.create(
        organisation=_org(school),
        subject=subject,
        summary="An allegation for the dashboard.",
        came_to_attention_on=came,
        status=status,
        **extra,
    )


def _referral(allegation: Allegation, at: dt.datetime) -> None:
    Referral.objects.create(
        allegation=allegation, local_authority=_org(world.NORTHSHIRE), adult_name="The adult",
        employer_name=allegation.organisation.name, referring_organisation=allegation.organisation.name,
        referrer_name="The case manager", summary="Referred.", pack="lead-academy-trust", pack_version="1.1",
        pack_digest="sha256:" + "0" * 64, recorded_by=_user("hana"), recorded_at=at,
    )  # fmt: skip


def _outcome(allegation: Allegation, outcome: str, on: dt.date) -> None:
    OutcomeRecord.objects.create(
        allegation=allegation, report="Report.", outcome=outcome, concluded_on=on, pack="lead-academy-trust",
        pack_version="1.1", pack_digest="sha256:" + "0" * 64, recorded_by=_user("hana"),
    )  # fmt: skip


def _deadline(allegation: Allegation, kind: str, label: str, due_on: dt.date, state: str = DeadlineState.OPEN) -> None:
    Deadline.objects.create(
        allegation=allegation, organisation=allegation.organisation, record_key=f"allegation:{allegation.pk}",
        kind=kind, reference=allegation.reference, label=label, due_on=due_on, state=state,
        met_on=due_on + dt.timedelta(days=3) if state == DeadlineState.MET else None,
    )  # fmt: skip


def build_year() -> Year:
    """The year's people, concerns, allegations and deadlines (the demo world must be loaded)."""
    chris = _person(world.OAKFIELD, "Chris Coach")
    hana = _person(world.OAKFIELD, "Hana Head", _user("hana"))
    sally = _person(world.HILLCREST, "Sally Supply")
    mo = _person(world.MEADOW_LANE, "Morgan Music")
    low = Decision.LOW_LEVEL
    concerns = {
        "chris_1": _concern(world.OAKFIELD, chris, dt.date(2026, 9, 1), low, tier="tier-1", category="boundaries"),
        "chris_2": _concern(world.OAKFIELD, chris, dt.date(2026, 11, 20), low, tier="tier-2", category="devices"),
        "chris_3": _concern(world.OAKFIELD, chris, dt.date(2027, 1, 15), low, tier="tier-2"),
        "hana": _concern(world.OAKFIELD, hana, dt.date(2026, 10, 5), low, tier="tier-1", category="language"),
        "sally_1": _concern(world.HILLCREST, sally, dt.date(2027, 2, 1), low, tier="tier-1", category="boundaries"),
        "sally_2": _concern(world.HILLCREST, sally, dt.date(2027, 2, 20), low, tier="tier-2", category="one_to_one"),
        "last_year": _concern(world.OAKFIELD, chris, dt.date(2026, 8, 31), low, tier="tier-1", category="boundaries"),
        "allegation": _concern(world.OAKFIELD, chris, dt.date(2026, 12, 1), Decision.ALLEGATION),
        "appropriate": _concern(world.OAKFIELD, chris, dt.date(2026, 10, 1), Decision.APPROPRIATE),
        "undecided": _concern(world.OAKFIELD, chris, dt.date(2027, 3, 1), None),
    }
    a1 = _allegation(world.OAKFIELD, chris, dt.date(2026, 10, 2), AllegationStatus.CONCLUDED)
    _referral(a1, dt.datetime(2026, 10, 6, 0, 30, tzinfo=LONDON))
    _outcome(a1, "unsubstantiated", dt.date(2026, 12, 1))
    _outcome(a1, "substantiated", dt.date(2026, 12, 10))
    a2 = _allegation(world.OAKFIELD, hana, dt.date(2027, 1, 8), AllegationStatus.REFERRED, case_manager=_user("dev"))
    StepRecord.objects.create(
        allegation=a2, step=Step.DISCUSS_WITH_LADO, done_on=dt.date(2027, 1, 13), decision="Discussed.",
        recorded_by=_user("dev"),
    )  # fmt: skip
    _deadline(a2, "investigation-report", "Investigation report", dt.date(2027, 3, 1))
    a3 = _allegation(world.HILLCREST, sally, dt.date(2026, 12, 24), AllegationStatus.REFERRED)
    _referral(a3, dt.datetime(2026, 12, 29, 9, 0, tzinfo=LONDON))
    _deadline(a3, "suspension-written-confirmation", "Written confirmation (step 6)", dt.date(2027, 1, 5))
    _deadline(a3, "investigation-report", "Investigation report", dt.date(2027, 3, 5))
    _deadline(a3, "disciplinary-hearing", "Disciplinary hearing", dt.date(2027, 3, 20))
    _deadline(a3, "inform-lado", "Inform the LADO", dt.date(2026, 12, 29), DeadlineState.MET)
    a4 = _allegation(
        world.HILLCREST, sally, None, AllegationStatus.OPEN, created_at=dt.datetime(2027, 3, 8, 10, 0, tzinfo=LONDON)
    )
    a5 = _allegation(world.OAKFIELD, chris, dt.date(2026, 8, 20), AllegationStatus.CONCLUDED)
    _outcome(a5, "false", dt.date(2026, 9, 15))
    a6 = _allegation(world.MEADOW_LANE, mo, dt.date(2026, 6, 1), AllegationStatus.CONCLUDED)
    _outcome(a6, "unfounded", dt.date(2026, 8, 25))
    allegations = {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6}
    return Year(concerns=concerns, allegations=allegations)
