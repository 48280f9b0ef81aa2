"""The demo world is exactly the one issue 2 describes, and loading it again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import call_command

from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import OrganisationKind as Kind
from threshold.accounts.roles import Role

pytestmark = pytest.mark.django_db

RIVERSIDE, NORTHSHIRE, SOUTHVALE = "Riverside Learning Trust", "Northshire Council", "Southvale Council"
# name: (kind, pack, trust, local authority area, phase of education); the schools' phases were added for issue 14.
ORGANISATIONS = {
    "Northshire Council": (Kind.LOCAL_AUTHORITY, "bedford-luton-lado", None, None, ""),
    "Southvale Council": (Kind.LOCAL_AUTHORITY, "kcsie", None, None, ""),
    "Riverside Learning Trust": (Kind.ACADEMY_TRUST, "lead-academy-trust", None, None, ""),
    "Oakfield Primary School": (Kind.SCHOOL, "lead-academy-trust", RIVERSIDE, NORTHSHIRE, "primary"),
    "Hillcrest Academy": (Kind.SCHOOL, "lead-academy-trust", RIVERSIDE, NORTHSHIRE, "secondary"),
    "Meadow Lane Academy": (Kind.SCHOOL, "lead-academy-trust", RIVERSIDE, SOUTHVALE, "all_through"),
    "Little Acorns Nursery": (Kind.EARLY_YEARS, "kcsie", None, NORTHSHIRE, ""),
    "Supply Partners Ltd": (Kind.AGENCY, "kcsie", None, NORTHSHIRE, ""),
    "Northshire Police": (Kind.POLICE, "kcsie", None, None, ""),
    "Northshire Children's Social Care": (Kind.CHILDRENS_SOCIAL_CARE, "kcsie", None, NORTHSHIRE, ""),
}

# email: {organisation: role}; a system administrator holds no membership (ADR 0004).
PERSONAS = {
    "lara.lado@northshire.example": {"Northshire Council": Role.LADO},
    "mo.manager@northshire.example": {"Northshire Council": Role.LADO_MANAGER},
    "sam.lado@southvale.example": {"Southvale Council": Role.LADO},
    "hana.head@oakfield.example": {"Oakfield Primary School": Role.CASE_MANAGER},
    # Dev is DSL at two of the trust's schools, so the header's switcher has something to switch.
    "dev.dsl@oakfield.example": {"Oakfield Primary School": Role.DSL, "Hillcrest Academy": Role.DSL},
    "tom.teacher@oakfield.example": {"Oakfield Primary School": Role.STAFF},
    "priya.director@riverside.example": {"Riverside Learning Trust": Role.DIRECTOR_OF_SCHOOL},
    "henry.hr@riverside.example": {"Riverside Learning Trust": Role.HR_BUSINESS_PARTNER},
    "nina.nursery@littleacorns.example": {"Little Acorns Nursery": Role.CASE_MANAGER},
    "pat.police@northshire-police.example": {"Northshire Police": Role.POLICE_LIAISON},
    "cara.csc@northshire.example": {"Northshire Children's Social Care": Role.CSC_MANAGER},
    "ada.auditor@northshire.example": {"Northshire Council": Role.AUDITOR},
    "sid.admin@threshold.example": {},
    # Added after issue 2: an organisation admin (ADR 0004) and, for a setting
    # without a trust, the chair of its management committee (issue 5).
    "olu.admin@riverside.example": {"Riverside Learning Trust": Role.ORG_ADMIN},
    "gina.governor@littleacorns.example": {"Little Acorns Nursery": Role.GOVERNANCE},
}


def test_the_demo_organisations_are_exactly_those_of_issue_2(demo_world) -> None:
    found = {
        org.name: (
            org.kind,
            org.policy_pack,
            org.trust.name if org.trust else None,
            org.local_authority.name if org.local_authority else None,
            org.phase,
        )
        for org in Organisation.objects.select_related("trust", "local_authority")
    }
    assert found == ORGANISATIONS


def test_the_demo_personas_hold_exactly_the_roles_of_issue_2(demo_world) -> None:
    found = {
        user.email: {m.organisation.name: m.role for m in user.memberships.filter(is_active=True)}
        for user in User.objects.prefetch_related("memberships__organisation")
    }
    assert found == PERSONAS
    assert list(User.objects.filter(is_system_admin=True).values_list("email", flat=True)) == [
        "sid.admin@threshold.example"
    ]
    # Every persona signs in with the documented authenticator.
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(PERSONAS)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label != "audit"
    }


def test_running_load_demo_twice_creates_nothing_new(db) -> None:
    call_command("load_demo", stdout=StringIO())
    before = _counts()
    assert before["accounts.Organisation"] == len(ORGANISATIONS)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "0 organisations, 0 people, 0 memberships created" in out.getvalue()
    assert Membership.objects.filter(is_active=True).count() == sum(len(roles) for roles in PERSONAS.values())


def test_a_world_loaded_before_schools_had_a_phase_gains_theirs_and_a_phase_already_set_stays(db) -> None:
    call_command("load_demo", stdout=StringIO())
    Organisation.objects.filter(kind=Kind.SCHOOL).update(phase="")
    Organisation.objects.filter(name="Oakfield Primary School").update(phase="special")
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == before
    assert dict(Organisation.objects.filter(kind=Kind.SCHOOL).values_list("name", "phase")) == {
        "Oakfield Primary School": "special",
        "Hillcrest Academy": "secondary",
        "Meadow Lane Academy": "all_through",
    }
