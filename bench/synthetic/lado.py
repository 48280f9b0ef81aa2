"""An authority's LADO service over ten years: contacts, the LADOs' decisions, and the cases they opened.

Contacts come two ways, as in the product: recorded by a LADO from a phone call, email or form (about a new
person of the local authority each time, ``contacts._adult_person``; about one in eight is an adult the
service has heard of before, with the same name, date of birth and employer, so "previous contacts about this
adult" finds them), or from an employer's referral in Threshold (``contact_from_referral``: allocated by the
manager, then decided). A LADO decides each contact on the facts with the pack's advice (the version in force
that day); a Tier 1 or Tier 2 decision opens a case with the recording data set (``case_open_from_contact``).
A contact of the last two days may still wait in the inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from bench.synthetic.allegations import Managed
from bench.synthetic.common import Build
from bench.synthetic.concerns import write_person_keys
from bench.synthetic.insert import insert_objects, make
from bench.synthetic.names import People
from bench.synthetic.organisations import LADO_PACK, Authority
from threshold.accounts.models import User
from threshold.core.references import LADO_CASE, LADO_CONTACT
from threshold.lado.models import Case, CaseStatus, ConsultationReason, Contact, ContactStatus, Decision, Level
from threshold.lado.services.cases import SECTOR_BY_KIND
from threshold.lado.services.decision_dataset import dataset_from_decision, manager_from_advice
from threshold.people.models import Person, PersonKind
from threshold.policy import add_working_days

BASE = {"works_with_children": True, "adult_identified": True}
LEVEL_FACTS: dict[str, tuple[tuple[dict[str, Any], str], ...]] = {
    Level.TIER_1: (
        (
            {
                **BASE,
                "safeguarding_concern": True,
                "harmed_or_may_have_harmed_child": True,
                "abuse_categories": ["physical"],
                "injury": "visible",
            },
            "",
        ),
        ({**BASE, "safeguarding_concern": True, "possible_criminal_offence": True, "abuse_categories": ["sexual"]}, ""),
    ),
    Level.TIER_2: (
        (
            {
                **BASE,
                "safeguarding_concern": True,
                "behaviour_indicates_risk_of_harm": True,
                "abuse_categories": ["conduct"],
            },
            "",
        ),
        (
            {
                **BASE,
                "safeguarding_concern": True,
                "harmed_or_may_have_harmed_child": True,
                "abuse_categories": ["physical"],
                "injury": "none",
            },
            "",
        ),
    ),
    Level.CONSULTATION: (
        ({**BASE, "safeguarding_concern": False, "practice_issue_only": True}, ConsultationReason.PRACTICE_ISSUE),
        ({**BASE, "safeguarding_concern": False}, ConsultationReason.NO_SAFEGUARDING_CONCERN),
        ({"works_with_children": False, "adult_identified": True}, ConsultationReason.NOT_WORKING_WITH_CHILDREN),
    ),
}
SECTORS = ("school", "early_years", "sport", "faith", "voluntary", "health", "transport", "social_care")
SECTOR_WEIGHTS = (35, 10, 12, 8, 12, 8, 7, 8)
SETTING_TYPE = {"school": "school", "early_years": "early_years"}
METHODS = (("phone", 55), ("email", 30), ("online", 10), ("letter", 5))
SOURCES = (
    ("employer", 50),
    ("police", 10),
    ("childrens_social_care", 10),
    ("parent", 12),
    ("health", 6),
    ("other", 12),
)
SUMMARIES = (
    "A parent says the adult sent their child messages on a personal social media account.",
    "A pupil disclosed that the adult grabbed them by the arm, leaving a red mark.",
    "The adult was arrested at home after a domestic incident; children live in the household.",
    "A colleague saw the adult give a child a lift home alone after a session.",
    "The adult shouted at and pushed a child during training.",
    "Concerns about images found on the adult's work laptop.",
    "The adult restrained a child in a way the setting's policy does not allow.",
    "A child said the adult made sexual comments to them.",
    "The adult left children unsupervised near the pool.",
    "Anonymous report that the adult has a relationship with a sixth-form pupil.",
)
RATIONALE: dict[str, str] = {
    Level.TIER_1: "Meets the definition of an allegation and needs the police: a strategy meeting follows.",
    Level.TIER_2: "Meets the definition of an allegation; the employer can manage it with the LADO monitoring.",
    Level.CONSULTATION: "Advice given: the definition of an allegation is not met, so a risk was not identified.",
}


@dataclass
class Decided:
    """One contact and what became of it: the decision, and the case it opened."""

    contact: Contact
    decider: User
    decided_at: dt.datetime | None
    level: str
    facts_index: int
    managed: Managed | None = None
    decision: Decision | None = None
    case: Case | None = None
    assessment: Any = None


def build_contacts(
    build: Build, authority: Authority, *, contacts: int, cases: int, managed: list[Managed], lara_open: int
) -> list[Decided]:
    """Create the contacts and their subjects; plan the decisions and cases (``write_decisions`` writes them)."""
    rng = build.rng
    la = authority.organisation
    people = People(rng)
    adults: list[tuple[str, dt.date | None, str, str, Any]] = []
    rows: list[Decided] = []
    for item in managed:
        referral, allegation = item.referral, item.allegation
        subject = make(
            Person,
            organisation=la,
            kind=PersonKind.ADULT,
            full_name=referral.adult_name,
            role_title=referral.adult_role,
            employer=allegation.organisation,
            created_at=referral.recorded_at,
        )
        contact = make(
            Contact,
            reference=build.references.new(LADO_CONTACT),
            local_authority=la,
            subject=subject,
            employer=allegation.organisation,
            allegation=allegation,
            referral=referral,
            received_at=referral.recorded_at,
            method="threshold",
            source="threshold",
            referrer_name=referral.referrer_name,
            referrer_agency=referral.referring_organisation,
            referrer_contact=referral.referrer_contact,
            adult_name=referral.adult_name,
            adult_role=referral.adult_role,
            employer_name=referral.employer_name,
            summary=referral.summary,
            employer_knew_on=item.start,
            subject_is_teacher=allegation.subject_is_teacher,
            recorded_by=allegation.case_manager,
            created_at=referral.recorded_at,
        )
        level = Level.TIER_1 if referral.police_involved or "physical" in referral.abuse_categories else Level.TIER_2
        rows.append(Decided(contact, rng.choice(authority.lados), None, level, 0, managed=item))
    for _ in range(max(0, contacts - len(managed))):
        day = build.day()
        received_at = build.office_time(day)
        lado = rng.choice(authority.lados)
        if adults and rng.random() < 0.12:
            name, born, role, sector, employer = rng.choice(adults)
        else:
            sector = rng.choices(SECTORS, weights=SECTOR_WEIGHTS)[0]
            name, born, role = people.name(), people.born(day), people.role(sector)
            employer = (
                rng.choice(authority.schools).organisation
                if sector == "school" and rng.random() < 0.7
                else people.employer(sector, authority.place)
            )
            adults.append((name, born, role, sector, employer))
        employer_org = None if isinstance(employer, str) else employer
        subject = make(
            Person,
            organisation=la,
            kind=PersonKind.ADULT,
            full_name=name,
            date_of_birth=born,
            role_title=role,
            created_at=received_at,
        )
        source = rng.choices([value for value, _ in SOURCES], weights=[weight for _, weight in SOURCES])[0]
        contact = make(
            Contact,
            reference=build.references.new(LADO_CONTACT),
            local_authority=la,
            subject=subject,
            employer=employer_org,
            received_at=received_at,
            method=rng.choices([v for v, _ in METHODS], weights=[w for _, w in METHODS])[0],
            source=source,
            referrer_name=people.name(),
            referrer_agency="" if source == "parent" else (employer_org.name if employer_org else employer),
            referrer_contact=f"01632 {rng.randint(100000, 999999)}",
            adult_name=name,
            adult_date_of_birth=born,
            adult_role=role,
            employer_name=employer_org.name if employer_org else employer,
            summary=rng.choice(SUMMARIES),
            recorded_by=lado,
            created_at=received_at,
        )
        contact._bench_sector = sector  # type: ignore[attr-defined]
        rows.append(Decided(contact, lado, None, Level.CONSULTATION, 0))
    rows.sort(key=lambda row: row.contact.received_at)
    _levels(build, rows, cases=cases, authority=authority, lara_open=lara_open)
    _decide(build, rows)
    insert_objects(Person, [row.contact.subject for row in rows])
    write_person_keys([row.contact.subject for row in rows])
    insert_objects(Contact, [row.contact for row in rows])
    return rows


def _levels(build: Build, rows: list[Decided], *, cases: int, authority: Authority, lara_open: int) -> None:
    """Which contacts are still in the inbox, which were consultations and which opened a case (and whose)."""
    rng = build.rng
    recent = build.today - dt.timedelta(days=3)
    inbox = [row for row in rows if row.managed is None and timezone.localdate(row.contact.received_at) >= recent]
    for row in inbox:
        if rng.random() < 0.5:
            row.level = ""
    referred = [row for row in rows if row.managed is not None]
    candidates = [row for row in rows if row.managed is None and row.level]
    wanted = max(0, cases - len(referred))
    for row in rng.sample(candidates, min(wanted, len(candidates))):
        row.level = Level.TIER_1 if rng.random() < 0.4 else Level.TIER_2
    for row in rows:
        if row.level:
            row.facts_index = rng.randrange(len(LEVEL_FACTS[row.level]))
    # Lara (Northshire's LADO in the demo world) holds the most recent open cases: her work lists are full.
    if lara_open:
        lara = authority.lados[0]
        year_ago = build.today - dt.timedelta(days=365)
        tiers = [
            row
            for row in rows
            if row.level in (Level.TIER_1, Level.TIER_2) and timezone.localdate(row.contact.received_at) >= year_ago
        ]
        for row in tiers[-lara_open:]:
            row.decider = lara
            row.contact._bench_lara = True  # type: ignore[attr-defined]


def _decide(build: Build, rows: list[Decided]) -> None:
    """Each decision (``contact_decide``) and the case a Tier 1 or Tier 2 decision opens, not yet written."""
    rng = build.rng
    for row in rows:
        contact = row.contact
        if row.managed is not None:
            contact.allocated_to = row.decider
        if not row.level:
            contact.status = ContactStatus.NEW
            continue
        received_on = timezone.localdate(contact.received_at)
        if row.level == Level.CONSULTATION:
            decided_at = build.later(contact.received_at, minutes=(20, 120))
        else:
            day = min(add_working_days(received_on, 1) if rng.random() < 1 / 3 else received_on, build.today)
            decided_at = max(build.office_time(day), build.later(contact.received_at, minutes=(30, 60)))
        row.decided_at = decided_at
        pack = build.pack(LADO_PACK, timezone.localdate(decided_at))
        template, reason = LEVEL_FACTS[row.level][row.facts_index]
        sector = getattr(contact, "_bench_sector", "school")
        facts = {**template, **({"setting_type": SETTING_TYPE[sector]} if sector in SETTING_TYPE else {})}
        assessment, stored_facts, stored = build.assessor.assess(
            pack, facts, received_on, key=f"{row.level}-{row.facts_index}-{SETTING_TYPE.get(sector, '')}"
        )
        row.assessment = assessment
        row.decision = make(
            Decision,
            contact=contact,
            level=row.level,
            advised_level=assessment.level,
            consultation_reason=reason,
            rationale=RATIONALE[row.level],
            pack=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=stored_facts,
            assessment=stored,
            recorded_by=row.decider,
            recorded_at=decided_at,
            police_advised=assessment.referrals["police"].required,
            childrens_social_care_advised=assessment.referrals["childrens_social_care"].required,
        )
        contact.status = ContactStatus.DECIDED
        if row.level == Level.CONSULTATION and rng.random() < 0.3:
            contact.advice = "Advice given to the referrer on the setting's own procedures."
            contact.advice_given_at = decided_at - dt.timedelta(minutes=5)
            contact.advice_given_by = row.decider
        if row.level != Level.CONSULTATION:
            row.case = _case(build, row, stored_facts, assessment)


def _case(build: Build, row: Decided, facts: dict[str, Any], assessment: Any) -> Case:
    """The case a tier decision opens, with the data set the contact, its referral and the decision carry."""
    contact = row.contact
    referral = row.managed.referral if row.managed else None
    employer = contact.employer
    decided = dataset_from_decision(facts, contact)
    sector = str(SECTOR_BY_KIND.get(employer.kind, "")) if employer is not None else ""  # type: ignore[call-overload]
    return make(
        Case,
        reference=build.references.new(LADO_CASE),
        local_authority=contact.local_authority,
        subject=contact.subject,
        contact=contact,
        lado=row.decider,
        tier=row.level,
        status=CaseStatus.OPEN,
        summary=(referral.summary if referral else "") or contact.summary,
        received_on=timezone.localdate(contact.received_at),
        opened_at=row.decided_at,
        adult_name=contact.adult_name,
        adult_date_of_birth=contact.adult_date_of_birth,
        adult_role=contact.adult_role,
        referring_agency=contact.referrer_agency,
        employer=employer,
        employer_name=contact.employer_name,
        sector=sector or decided.get("sector", ""),
        came_to_light=(referral.came_to_light if referral else "") or decided.get("came_to_light", ""),
        abuse_categories=decided.get("abuse_categories") or (list(referral.abuse_categories) if referral else []),
        injury=decided.get("injury", ""),
        non_recent=referral.non_recent if referral else None,
        managed_by=manager_from_advice(assessment.referrals["childrens_social_care"].required),
        pack=LADO_PACK,
    )
