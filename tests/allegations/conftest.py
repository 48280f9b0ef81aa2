"""Fixtures for the allegations tests: the demo world with its records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.clock import on
from threshold.allegations import services
from threshold.allegations.models import Allegation, OutcomeRecord, PoliceInvolvement, Route, Step


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


def engaged_through_agency(persona, allegation: Allegation, **changes: Any) -> Allegation:
    """Hana records that the adult is a supply worker engaged through Supply Teachers Ltd (appendix 4)."""
    return update_details(
        persona,
        allegation,
        subject_employment="supply",
        agency_name="Supply Teachers Ltd",
        agency_contact="bookings@supply.example",
        **changes,
    )


def lado_discussed(persona, allegation: Allegation, on_day: dt.date) -> None:
    """Hana records step 2: she rang the LADO, who agreed an investigation and what the adult may be told."""
    with on(on_day):
        services.step_record(
            actor=persona("hana"),
            allegation=allegation,
            step=Step.DISCUSS_WITH_LADO,
            done_on=on_day,
            decision="Discussed with the LADO by phone: investigate.",
            route=Route.INVESTIGATION,
        )


def concluded_unfounded(persona, allegation: Allegation, day: dt.date, **extra: Any) -> OutcomeRecord:
    """Hana records on ``day`` that the allegation was unfounded: the witnesses did not support the account."""
    with on(day):
        return services.outcome_record(
            actor=persona("hana"),
            allegation=allegation,
            report="The witnesses did not support the pupil's account.",
            outcome="unfounded",
            concluded_on=day,
            **extra,
        )


def police_recorded(
    persona, allegation: Allegation, day: dt.date, *, involved: bool = True, **extra: Any
) -> PoliceInvolvement:
    """Hana records on ``day`` the police's part (reference NP/55, consent to share statements requested)."""
    with on(day):
        return services.police_record(
            actor=persona("hana"),
            allegation=allegation,
            involved=involved,
            police_reference="NP/55",
            consent_to_share="requested",
            notes="",
            **extra,
        )
