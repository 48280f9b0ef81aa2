"""The demo world: synthetic organisations and personas used by the demo, the tests and the README.

Every name and address here is invented; emails use the reserved ``.example``
domain. Loading is idempotent: running it again changes nothing that is
already there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.db import transaction

from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind as Kind
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.vocabularies import SchoolPhase

DEMO_PASSWORD = "demo-threshold-2026"
# One published base32 secret for every persona's authenticator (demo mode only).
DEMO_TOTP_SECRET = "DEMOTHRESHOLDTOTPSECRETAAAAAAAAA"


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation of the demo world."""

    name: str
    kind: str
    pack: str
    trust: str | None = None
    local_authority: str | None = None
    phase: str = ""


@dataclass(frozen=True)
class Persona:
    """A person of the demo world and the memberships they hold."""

    key: str
    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]
    is_system_admin: bool = False


NORTHSHIRE = "Northshire Council"
SOUTHVALE = "Southvale Council"
RIVERSIDE = "Riverside Learning Trust"
OAKFIELD = "Oakfield Primary School"
HILLCREST = "Hillcrest Academy"
MEADOW_LANE = "Meadow Lane Academy"
LITTLE_ACORNS = "Little Acorns Nursery"
SUPPLY_PARTNERS = "Supply Partners Ltd"
NORTHSHIRE_POLICE = "Northshire Police"
NORTHSHIRE_CSC = "Northshire Children's Social Care"

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(NORTHSHIRE, Kind.LOCAL_AUTHORITY, "bedford-luton-lado"),
    DemoOrganisation(SOUTHVALE, Kind.LOCAL_AUTHORITY, "kcsie"),
    DemoOrganisation(RIVERSIDE, Kind.ACADEMY_TRUST, "lead-academy-trust"),
    # Each school has its phase of education, so the LADO report's schools by phase shows more than one.
    DemoOrganisation(
        OAKFIELD,
        Kind.SCHOOL,
        "lead-academy-trust",
        trust=RIVERSIDE,
        local_authority=NORTHSHIRE,
        phase=SchoolPhase.PRIMARY,
    ),
    DemoOrganisation(
        HILLCREST,
        Kind.SCHOOL,
        "lead-academy-trust",
        trust=RIVERSIDE,
        local_authority=NORTHSHIRE,
        phase=SchoolPhase.SECONDARY,
    ),
    DemoOrganisation(
        MEADOW_LANE,
        Kind.SCHOOL,
        "lead-academy-trust",
        trust=RIVERSIDE,
        local_authority=SOUTHVALE,
        phase=SchoolPhase.ALL_THROUGH,
    ),
    DemoOrganisation(LITTLE_ACORNS, Kind.EARLY_YEARS, "kcsie", local_authority=NORTHSHIRE),
    DemoOrganisation(SUPPLY_PARTNERS, Kind.AGENCY, "kcsie", local_authority=NORTHSHIRE),
    DemoOrganisation(NORTHSHIRE_POLICE, Kind.POLICE, "kcsie"),
    DemoOrganisation(NORTHSHIRE_CSC, Kind.CHILDRENS_SOCIAL_CARE, "kcsie", local_authority=NORTHSHIRE),
)

PERSONAS: tuple[Persona, ...] = (
    Persona("lara", "lara.lado@northshire.example", "Lara Lado", ((NORTHSHIRE, Role.LADO),)),
    Persona("mo", "mo.manager@northshire.example", "Mo Manager", ((NORTHSHIRE, Role.LADO_MANAGER),)),
    Persona("sam", "sam.lado@southvale.example", "Sam Lado", ((SOUTHVALE, Role.LADO),)),
    Persona("hana", "hana.head@oakfield.example", "Hana Head", ((OAKFIELD, Role.CASE_MANAGER),)),
    # Dev is the DSL for two of the trust's schools, so has two memberships.
    Persona("dev", "dev.dsl@oakfield.example", "Dev Dsl", ((OAKFIELD, Role.DSL), (HILLCREST, Role.DSL))),
    Persona("tom", "tom.teacher@oakfield.example", "Tom Teacher", ((OAKFIELD, Role.STAFF),)),
    Persona("priya", "priya.director@riverside.example", "Priya Director", ((RIVERSIDE, Role.DIRECTOR_OF_SCHOOL),)),
    Persona("henry", "henry.hr@riverside.example", "Henry Hr", ((RIVERSIDE, Role.HR_BUSINESS_PARTNER),)),
    Persona("nina", "nina.nursery@littleacorns.example", "Nina Nursery", ((LITTLE_ACORNS, Role.CASE_MANAGER),)),
    # Little Acorns has no trust: Gina receives the concerns about its manager, Nina.
    Persona("gina", "gina.governor@littleacorns.example", "Gina Governor", ((LITTLE_ACORNS, Role.GOVERNANCE),)),
    Persona("pat", "pat.police@northshire-police.example", "Pat Police", ((NORTHSHIRE_POLICE, Role.POLICE_LIAISON),)),
    Persona("cara", "cara.csc@northshire.example", "Cara Csc", ((NORTHSHIRE_CSC, Role.CSC_MANAGER),)),
    Persona("ada", "ada.auditor@northshire.example", "Ada Auditor", ((NORTHSHIRE, Role.AUDITOR),)),
    Persona("olu", "olu.admin@riverside.example", "Olu Admin", ((RIVERSIDE, Role.ORG_ADMIN),)),
    Persona("sid", "sid.admin@threshold.example", "Sid Admin", (), is_system_admin=True),
)

PERSONAS_BY_KEY = {persona.key: persona for persona in PERSONAS}
PERSONAS_BY_EMAIL = {persona.email: persona for persona in PERSONAS}


def current_demo_code(at: float | None = None) -> str:
    """The 6-digit TOTP code every persona's authenticator shows now (demo mode only)."""
    counter = int((at if at is not None else time.time()) // 30)
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


def _organisation(spec: DemoOrganisation, by_name: dict[str, Organisation]) -> tuple[Organisation, bool]:
    organisation, created = Organisation.objects.get_or_create(
        name=spec.name,
        defaults={
            "kind": spec.kind,
            "policy_pack": spec.pack,
            "trust": by_name.get(spec.trust) if spec.trust else None,
            "local_authority": by_name.get(spec.local_authority) if spec.local_authority else None,
            "phase": spec.phase,
        },
    )
    if created:
        organisation.full_clean()
    elif spec.phase and not organisation.phase:
        # A world loaded before schools had a phase gains theirs; nothing else about it is changed.
        organisation.phase = spec.phase
        organisation.save(update_fields=["phase"])
    return organisation, created


def load_demo_world(*, with_mfa: bool = True) -> dict[str, int]:
    """Create the demo organisations and personas that are missing; return what was created.

    ``with_mfa`` gives each persona an authenticator from the demo secret and
    recovery codes; it is refused outside demo mode.
    """
    if with_mfa and not settings.DEMO_MODE:
        raise RuntimeError("Demo authenticators are only created in demo mode.")
    created = {"organisations": 0, "people": 0, "memberships": 0}
    with transaction.atomic():
        by_name: dict[str, Organisation] = {}
        for spec in ORGANISATIONS:
            organisation, made = _organisation(spec, by_name)
            by_name[spec.name] = organisation
            created["organisations"] += int(made)
        for persona in PERSONAS:
            user = User.objects.filter(email__iexact=persona.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=persona.email,
                    password=DEMO_PASSWORD,
                    full_name=persona.full_name,
                    is_system_admin=persona.is_system_admin,
                )
                created["people"] += 1
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            for org_name, role in persona.memberships:
                _membership, made = Membership.objects.get_or_create(
                    user=user, organisation=by_name[org_name], is_active=True, defaults={"role": role}
                )
                created["memberships"] += int(made)
            if with_mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
                RecoveryCodes.activate(user)
        if any(created.values()):
            audit_record(context=AuditContext.system("load_demo"), action="demo.loaded", details=created)
    return created
