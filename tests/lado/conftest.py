"""Fixtures for the LADO tests: the demo world with its records."""

from __future__ import annotations

import pytest

from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case, Contact


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    """Northshire Council, whose LADO service Lara and Mo work in."""
    return Organisation.objects.get(name=world.NORTHSHIRE)


@pytest.fixture
def chris_case(ids: dict[str, int]) -> Case:
    """The demo Tier 1 case about Chris Coach, allocated to Lara."""
    return Case.objects.get(pk=ids["case_chris"])


@pytest.fixture
def chris_contact(ids: dict[str, int]) -> Contact:
    """The demo contact (Oakfield's referral) that opened Chris's case."""
    return Contact.objects.get(pk=ids["contact_chris"])
