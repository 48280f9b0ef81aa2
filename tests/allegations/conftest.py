"""Fixtures for the allegations tests: the demo world with its records."""

from __future__ import annotations

import pytest

from tests.conftest import demo_record_ids
from threshold.allegations.models import Allegation


@pytest.fixture
def ids(demo_world: None) -> dict[str, int]:
    """The demo records' ids."""
    return demo_record_ids()


@pytest.fixture
def chris_allegation(ids: dict[str, int]) -> Allegation:
    """The demo allegation about Chris Coach at Oakfield, managed by Hana."""
    return Allegation.objects.get(pk=ids["allegation_chris"])
