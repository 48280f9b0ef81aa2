"""Tier 3 of the trust's policy: "It is essential in these cases that there is a clear outcome and this is
communicated to the professional/volunteer."

Nothing asked for it: the outcome was recorded and the adult's side of it never came up again. Now, once there
is an outcome, "Tell the adult the outcome" falls due that day for the case manager (work list, reminders, the
allegation page), and Hana meets it by logging, from the allegation's support section, when the adult was told
and what. The policy gives no number of days; a date Hana chooses is never moved by a holiday.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.clock import LONDON, on
from threshold.allegations import services
from threshold.allegations.models import Allegation
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = dt.date(2026, 12, 24)
TOLD = "outcome-told"


def _conclude(persona, allegation: Allegation, day: dt.date) -> None:
    with on(day):
        services.outcome_record(
            actor=persona("hana"),
            allegation=allegation,
            report="The witnesses did not support the pupil's account.",
            outcome="unfounded",
            concluded_on=day,
        )


def _row(allegation: Allegation) -> Deadline:
    return Deadline.objects.get(allegation=allegation, kind=TOLD)


def test_the_outcome_given_on_christmas_eve_is_told_to_the_adult_after_the_holiday_and_the_log_meets_it(
    persona, signed_in, chris_allegation
) -> None:
    _conclude(persona, chris_allegation, CHRISTMAS_EVE)
    row = _row(chris_allegation)
    assert (row.due_on, row.state, row.owner, row.label) == (
        CHRISTMAS_EVE,
        DeadlineState.OPEN,
        persona("hana"),
        "Tell the adult the outcome",
    )

    # Tuesday 29 December, the first working day after Christmas: overdue in Hana's work list and on the page.
    with time_machine.travel(dt.datetime(2026, 12, 29, 9, tzinfo=LONDON), tick=False):
        overdue = work_list(persona("hana"))["overdue"]
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert TOLD in {item.deadline.kind for item in overdue if item.deadline.allegation_id == chris_allegation.pk}
    assert 'href="#support"' in page
    assert "Tell the adult the outcome" in page
    assert "Log that the adult was told the outcome" in page

    with on(dt.date(2026, 12, 29)):
        response = signed_in("hana").post(
            reverse("allegation_progress_update", args=[chris_allegation.pk]),
            {
                "given_on_day": "29",
                "given_on_month": "12",
                "given_on_year": "2026",
                "text": "Told by phone that the allegation was unfounded, and confirmed in a letter.",
            },
        )
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert response.status_code == 302
    row = _row(chris_allegation)
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2026, 12, 29))
    assert "Tell the adult the outcome" not in page


def test_an_update_given_before_the_outcome_was_recorded_did_not_tell_the_adult_how_it_ended(
    persona, chris_allegation
) -> None:
    with on(dt.date(2027, 3, 25)):  # the Thursday before Good Friday
        services.progress_update_add(
            actor=persona("hana"),
            allegation=chris_allegation,
            given_on=dt.date(2027, 3, 25),
            text="The investigation is nearly finished.",
        )
    _conclude(persona, chris_allegation, dt.date(2027, 3, 25))

    row = _row(chris_allegation)
    assert (row.due_on, row.state) == (dt.date(2027, 3, 25), DeadlineState.OPEN)
    assert row.status_on(dt.date(2027, 3, 30)) == "overdue"  # the Tuesday after Easter Monday
