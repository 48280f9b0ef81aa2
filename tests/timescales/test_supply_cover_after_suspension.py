"""Appendix 4: "If suspension is deemed appropriate, the agency must be notified and will be required to provide a
replacement."

The replacement cover fell due only once the agency's part was recorded with the day the supply worker was
suspended or removed, so a supply worker suspended on the risk assessment alone left nothing due: nobody was told
the agency must be notified and cover found. Now the suspension decided on the risk assessment starts the 48
hours too, until the agency's part says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.allegations.conftest import engaged_through_agency
from tests.clock import LONDON, on
from tests.timescales.test_employer_deadlines import EASTER_THURSDAY, _open, _risk, _rows
from threshold.allegations import services
from threshold.allegations.models import Allegation
from threshold.timescales.models import DeadlineState

pytestmark = pytest.mark.django_db


def _supply(persona, records: dict[str, int], day: dt.date) -> Allegation:
    """Chris, engaged through Supply Teachers Ltd, came to attention at Oakfield on ``day``."""
    with on(day):
        return engaged_through_agency(persona, _open(persona, records, day), came_to_attention_on=day)


def test_a_supply_worker_suspended_before_easter_needs_cover_48_hours_on_though_the_agency_is_not_yet_recorded(
    persona, records
) -> None:
    allegation = _supply(persona, records, EASTER_THURSDAY)
    assert "replacement-cover" not in _rows(allegation)

    _risk(persona, allegation, EASTER_THURSDAY, EASTER_THURSDAY + dt.timedelta(days=14), decision="suspend")

    cover = _rows(allegation)["replacement-cover"]
    # 48 hours from the start of Thursday: Saturday, Good Friday or not (the agency works to hours).
    assert (cover.due_at, cover.state, cover.owner) == (
        dt.datetime(2027, 3, 27, 0, 0, tzinfo=LONDON),
        DeadlineState.OPEN,
        persona("hana"),
    )

    # Easter Monday: Hana records the agency told on Thursday and cover arranged.
    with on(dt.date(2027, 3, 29)):
        services.agency_record(
            actor=persona("hana"),
            allegation=allegation,
            notified_at=dt.datetime(2027, 3, 25, 11, tzinfo=LONDON),
            suspension_discussed="Suspended from the placement, as the risk assessment decided.",
            cover_arranged_on=dt.date(2027, 3, 29),
        )
    cover = _rows(allegation)["replacement-cover"]
    assert (cover.state, cover.met_on) == (DeadlineState.MET, dt.date(2027, 3, 29))


def test_alternative_arrangements_instead_of_suspension_ask_for_no_cover(persona, records) -> None:
    allegation = _supply(persona, records, EASTER_THURSDAY)

    _risk(persona, allegation, EASTER_THURSDAY, EASTER_THURSDAY + dt.timedelta(days=14), decision="alternatives")

    assert "replacement-cover" not in _rows(allegation)


def test_a_later_removal_date_or_a_lifted_suspension_does_not_move_or_remove_a_missed_cover(persona, records) -> None:
    allegation = _supply(persona, records, dt.date(2027, 1, 4))
    _risk(persona, allegation, dt.date(2027, 1, 4), dt.date(2027, 1, 18), decision="suspend")
    due = dt.datetime(2027, 1, 6, 0, 0, tzinfo=LONDON)
    assert _rows(allegation)["replacement-cover"].due_at == due

    with on(dt.date(2027, 1, 8)):
        services.agency_record(
            actor=persona("hana"),
            allegation=allegation,
            notified_at=dt.datetime(2027, 1, 7, 9, tzinfo=LONDON),
            suspension_discussed="Removed from the placement.",
            removed_on=dt.date(2027, 1, 7),
        )
    assert _rows(allegation)["replacement-cover"].due_at == due  # the first day counts, not the later one

    _risk(persona, allegation, dt.date(2027, 1, 11), dt.date(2027, 1, 25), decision="alternatives")
    cover = _rows(allegation)["replacement-cover"]
    assert (cover.due_at, cover.state) == (due, DeadlineState.OPEN)  # still to be arranged, or closed with a reason
