"""The local authorities and the people who work in them, made as the demo world makes its own.

Authority 1 is the demo world's Northshire (its LADO Lara and its manager Mo, plus generated LADOs);
authorities 2 to N are new local authorities on the same policy pack. Each has academy trusts whose schools
have a headteacher (the case manager), a designated safeguarding lead and staff who share concerns, and a
director of school for the trust: the roles the concern and allegation records need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password

from bench.synthetic.common import Build
from bench.synthetic.names import People
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.demo import world

PLACES = (
    "Northshire",
    "Eastmoor",
    "Westbridge",
    "Kingsford",
    "Ashdale",
    "Fernhurst",
    "Glenmouth",
    "Harrowfield",
    "Lowther",
    "Marston",
    "Oakhampton",
    "Penbury",
    "Redcliffe",
    "Stanmore",
    "Thornbury",
    "Upwood",
    "Wexcombe",
)
SCHOOL_NAMES = (
    "Primary School",
    "Academy",
    "Junior School",
    "Infant School",
    "High School",
    "Church of England Primary",
    "Community College",
    "Primary Academy",
)
SCHOOL_PLACES = (
    "Abbey",
    "Beacon",
    "Brook",
    "Castle",
    "Chestnut",
    "Church",
    "Elm",
    "Fairfield",
    "Field",
    "Green",
    "Heath",
    "Highfield",
    "Hill",
    "Lake",
    "Manor",
    "Meadow",
    "Mill",
    "Orchard",
    "Park",
    "Priory",
    "Queen's",
    "Ridge",
    "River",
    "St John's",
    "St Mary's",
    "Valley",
    "Willow",
    "Woodland",
)
LADO_PACK = "bedford-luton-lado"
TRUST_PACK = "lead-academy-trust"
STAFF_PER_SCHOOL = 6
SCHOOLS_PER_TRUST = 10


@dataclass
class School:
    """A school with the people who share and handle its concerns."""

    organisation: Organisation
    head: User
    dsl: User
    staff: list[User]
    subjects: list[Any] = field(default_factory=list)


@dataclass
class Authority:
    """A local authority's LADO service, its area's schools and what was generated there."""

    organisation: Organisation
    place: str
    lados: list[User]
    manager: User
    schools: list[School]
    trusts: list[Organisation]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", text.lower()).strip(".")


class Staffing:
    """Makes organisations and accounts in bulk, with unique names and addresses."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.people = People(build.rng)
        self.emails = set(User.objects.values_list("email", flat=True))
        self.names = set(Organisation.objects.values_list("name", flat=True))
        self.password = make_password(None)

    def _user(self, domain: str) -> User:
        name = self.people.name()
        base = _slug(name)
        email, number = f"{base}@{domain}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{domain}"
        self.emails.add(email)
        return User(email=email, full_name=name, password=self.password)

    def _name(self, wanted: str) -> str:
        name, number = wanted, 1
        while name in self.names:
            number += 1
            name = f"{wanted} ({number})"
        self.names.add(name)
        return name

    def authority(self, index: int, *, lados: int, schools: int) -> Authority:
        """Authority ``index`` (0 is Northshire, from the demo world) with its LADOs, manager, trusts and schools."""
        if index == 0:
            organisation = Organisation.objects.get(name=world.NORTHSHIRE)
            lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
            manager = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)
            place, team, new_manager = "Northshire", [lara], None
        else:
            place = PLACES[index % len(PLACES)] if index < len(PLACES) else f"{PLACES[index % len(PLACES)]} {index}"
            organisation = Organisation.objects.create(
                name=self._name(f"{place} Council"), kind=OrganisationKind.LOCAL_AUTHORITY, policy_pack=LADO_PACK
            )
            new_manager = self._user(f"{_slug(place)}.example")
            team, manager = [], new_manager
        domain = f"{_slug(place)}.example"
        new_lados = [self._user(domain) for _ in range(lados - len(team))]
        trusts = [
            Organisation(
                name=self._name(f"{place} {word} Trust"), kind=OrganisationKind.ACADEMY_TRUST, policy_pack=TRUST_PACK
            )
            for word in ("Learning", "Education", "Schools", "Academies", "Partnership", "Collaborative")[
                : max(1, -(-schools // SCHOOLS_PER_TRUST))
            ]
        ]
        Organisation.objects.bulk_create(trusts)
        school_rows = [
            Organisation(
                name=self._name(
                    f"{self.build.rng.choice(SCHOOL_PLACES)} {self.build.rng.choice(SCHOOL_NAMES)}, {place}"
                ),
                kind=OrganisationKind.SCHOOL,
                policy_pack=TRUST_PACK,
                trust=trusts[number % len(trusts)],
                local_authority=organisation,
            )
            for number in range(schools)
        ]
        Organisation.objects.bulk_create(school_rows)
        directors = [self._user(f"{_slug(trust.name)}.example") for trust in trusts]
        staffing = []
        for school in school_rows:
            school_domain = f"{_slug(school.name)}.example"
            staffing.append([self._user(school_domain) for _ in range(2 + STAFF_PER_SCHOOL)])
        users = [*new_lados, *([new_manager] if new_manager else []), *directors, *(u for row in staffing for u in row)]
        User.objects.bulk_create(users)
        memberships = [Membership(user=user, organisation=organisation, role=Role.LADO) for user in new_lados]
        if new_manager is not None:
            memberships.append(Membership(user=new_manager, organisation=organisation, role=Role.LADO_MANAGER))
        memberships += [
            Membership(user=director, organisation=trust, role=Role.DIRECTOR_OF_SCHOOL)
            for director, trust in zip(directors, trusts, strict=True)
        ]
        schools_made = []
        for school, (head, dsl, *staff) in zip(school_rows, staffing, strict=True):
            memberships += [
                Membership(user=head, organisation=school, role=Role.CASE_MANAGER),
                Membership(user=dsl, organisation=school, role=Role.DSL),
                *(Membership(user=member, organisation=school, role=Role.STAFF) for member in staff),
            ]
            schools_made.append(School(organisation=school, head=head, dsl=dsl, staff=staff))
        Membership.objects.bulk_create(memberships)
        return Authority(
            organisation=organisation,
            place=place,
            lados=[*team, *new_lados],
            manager=manager,
            schools=schools_made,
            trusts=trusts,
        )
