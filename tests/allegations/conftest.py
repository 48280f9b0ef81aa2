"""Fixtures for the allegations tests: the demo world with its records."""

from __future__ import annotations

from typing import Any

import pytest

from threshold.allegations import services
from threshold.allegations.models import Allegation


@pytest.fixture
def chris_allegation(ids: dict[str, int]) -> Allegation:
    """The demo allegation about Chris Coach at Oakfield, managed by Hana."""
    return Allegation.objects.get(pk=ids["allegation_chris"])


def update_details(persona, allegation: Allegation, **changes: Any) -> Allegation:
    """Hana (the head, case manager) changes the allegation's own facts, the rest as they stand."""
    values: dict[str, Any] = {
        "came_to_attention_on": allegation.attention_date(),
        "subject_employment": allegation.subject_employment,
        "agency": allegation.agency,
        "subject_is_teacher": allegation.subject_is_teacher,
        "accused_by_pupil": allegation.accused_by_pupil,
        "reporting_restriction_ended_on": allegation.reporting_restriction_ended_on,
        "interim_prohibition_order": allegation.interim_prohibition_order,
        **changes,
    }
    return services.allegation_update(
        actor=persona("hana"), allegation=allegation, expected_version=allegation.version, **values
    )
