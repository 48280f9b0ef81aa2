"""Stored deadlines are kept in step with a record's rules, and a person's "not needed" stands."""

from __future__ import annotations

import datetime as dt

import pytest

from threshold.access.fetch import visible_deadlines
from threshold.allegations.models import Allegation
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.services import DeadlineSpec, deadlines_sync

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def allegation(records: dict[str, int]) -> Allegation:
    """The demo allegation about Chris at Oakfield, which Hana manages."""
    return Allegation.objects.get(pk=records["allegation_chris"])


def _sync(allegation: Allegation, *specs: DeadlineSpec, kinds: tuple[str, ...] = ("first", "second")) -> None:
    deadlines_sync(
        record=allegation,
        organisation=allegation.organisation,
        reference=allegation.reference,
        specs=specs,
        kinds=kinds,
    )


def test_a_sync_writes_one_row_per_clock_and_a_second_sync_moves_it_rather_than_adding_one(allegation) -> None:
    _sync(allegation, DeadlineSpec(kind="first", label="Inform the LADO", due_on=MONDAY))
    _sync(allegation, DeadlineSpec(kind="first", label="Inform the LADO", due_on=MONDAY + dt.timedelta(days=1)))

    rows = Deadline.objects.filter(record_key=f"allegation:{allegation.pk}", kind="first")
    assert [(row.allegation_id, row.due_on, row.state) for row in rows] == [
        (allegation.pk, MONDAY + dt.timedelta(days=1), DeadlineState.OPEN)
    ]
    assert rows[0].reference == allegation.reference


def test_a_clock_that_no_longer_applies_is_removed_but_only_among_the_kinds_the_caller_owns(allegation) -> None:
    _sync(allegation, DeadlineSpec(kind="first", label="One", due_on=MONDAY))
    deadlines_sync(
        record=allegation,
        organisation=allegation.organisation,
        reference=allegation.reference,
        specs=[DeadlineSpec(kind="other", label="Someone else's", due_on=MONDAY)],
        kinds=["other"],
    )
    _sync(allegation)  # "first" no longer applies

    kinds = set(Deadline.objects.filter(record_key=f"allegation:{allegation.pk}").values_list("kind", flat=True))
    assert "first" not in kinds
    assert "other" in kinds


def test_a_step_a_person_closed_as_not_needed_stays_closed_until_it_is_done(allegation, persona) -> None:
    _sync(allegation, DeadlineSpec(kind="first", label="One", due_on=MONDAY))
    row = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="first")
    Deadline.objects.filter(pk=row.pk).update(
        state=DeadlineState.NOT_NEEDED, reason="Agreed with the LADO", closed_by=persona("hana")
    )

    _sync(allegation, DeadlineSpec(kind="first", label="One", due_on=MONDAY + dt.timedelta(days=3)))
    row.refresh_from_db()
    assert (row.state, row.reason, row.due_on) == (
        DeadlineState.NOT_NEEDED,
        "Agreed with the LADO",
        MONDAY + dt.timedelta(days=3),
    )

    _sync(allegation, DeadlineSpec(kind="first", label="One", due_on=MONDAY, state=DeadlineState.MET, met_on=MONDAY))
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, MONDAY)


def test_a_deadline_follows_its_record_so_nobody_sees_one_about_themselves(allegation, persona) -> None:
    _sync(allegation, DeadlineSpec(kind="first", label="One", due_on=MONDAY))
    row = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="first")

    assert visible_deadlines(persona("hana")).filter(pk=row.pk).exists()
    assert not visible_deadlines(persona("lara")).filter(pk=row.pk).exists()  # another organisation's step
    assert not visible_deadlines(persona("tom")).filter(pk=row.pk).exists()  # staff do not handle allegations


def test_the_status_of_an_open_row_is_read_against_the_day_asked_about() -> None:
    row = Deadline(due_on=MONDAY, state=DeadlineState.OPEN)
    assert [row.status_on(day) for day in (MONDAY + dt.timedelta(days=1), MONDAY, MONDAY - dt.timedelta(days=7))] == [
        "overdue",
        "today",
        "week",
    ]
    assert row.status_on(MONDAY - dt.timedelta(days=8)) == "later"
    assert Deadline(due_on=MONDAY, state=DeadlineState.MET).status_on(MONDAY) == "met"
