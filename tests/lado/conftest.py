"""Fixtures for the LADO tests: the demo world with its records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.lado.nursery import open_nursery_case
from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.lado.services.contacts import contact_record


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    """Northshire Council, whose LADO service Lara and Mo work in."""
    return Organisation.objects.get(name=world.NORTHSHIRE)


@pytest.fixture
def nursery_case(persona, ids: dict[str, int]) -> Case:
    """Little Acorns' referral about Nell, decided Tier 2 by Lara (Nina is the nursery's case manager).

    Some modules take it further under the same name (the nursery's outcome accepted by Lara).
    """
    return open_nursery_case(persona, ids)


@pytest.fixture
def chris_case(ids: dict[str, int]) -> Case:
    """The demo Tier 1 case about Chris Coach, allocated to Lara."""
    return Case.objects.get(pk=ids["case_chris"])


@pytest.fixture
def chris_contact(ids: dict[str, int]) -> Contact:
    """The demo contact (Oakfield's referral) that opened Chris's case."""
    return Contact.objects.get(pk=ids["contact_chris"])


@pytest.fixture
def new_contact(persona, northshire: Organisation) -> Contact:
    """A phone call Lara has just recorded about a youth club volunteer."""
    return contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=2),
        method="phone",
        source="employer",
        referrer_name="Kim Clubmanager",
        referrer_agency="Northshire Youth Club",
        adult_name="Robyn Youthleader",
        adult_date_of_birth=dt.date(1996, 2, 11),
        employer_name="Northshire Youth Club",
        summary="The volunteer was seen pushing a young person against a wall.",
    )
