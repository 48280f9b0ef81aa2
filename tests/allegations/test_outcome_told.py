"""Tier 3 of the trust's policy: "It is essential in these cases that there is a clear outcome and this is
communicated to the professional/volunteer."

Nothing asked for it: the outcome was recorded and the adult's side of it never came up again. Now, once there
is an outcome, "Tell the adult the outcome" falls due that day for the case manager (work list, reminders, the
allegation page), and Hana meets it by logging, from the allegation's support section, when the adult was told
and what. The policy gives no number of days; a date Hana chooses is never moved by a holiday.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.allegations.conftest import concluded_unfounded, engaged_through_agency, update_details
from tests.clock import LONDON, on
from threshold.allegations import services
from threshold.allegations.models import Allegation, OutcomeRecord
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = dt.date(2026, 12, 24)
TOLD = "outcome-told"


def _row(allegation: Allegation) -> Deadline:
    return Deadline.objects.get(allegation=allegation, kind=TOLD)


def test_the_outcome_given_on_christmas_eve_is_told_to_the_adult_after_the_holiday_and_the_log_meets_it(
    persona, signed_in, chris_allegation
) -> None:
    concluded_unfounded(persona, chris_allegation, CHRISTMAS_EVE)
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
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 3, 25))

    row = _row(chris_allegation)
    assert (row.due_on, row.state) == (dt.date(2027, 3, 25), DeadlineState.OPEN)
    assert row.status_on(dt.date(2027, 3, 30)) == "overdue"  # the Tuesday after Easter Monday


def test_an_update_dated_before_the_outcome_is_refused_once_the_allegation_is_concluded(
    persona, chris_allegation
) -> None:
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 2, 1))
    with on(dt.date(2027, 2, 3)), pytest.raises(ValidationError) as refused:
        services.progress_update_add(
            actor=persona("hana"),
            allegation=chris_allegation,
            given_on=dt.date(2027, 1, 20),
            text="A catch-up from before the outcome.",
        )
    assert refused.value.message_dict == {
        "given_on": ["The allegation is concluded: the adult is told the outcome on or after 1 February 2027"]
    }
    assert _row(chris_allegation).state == DeadlineState.OPEN


def test_while_the_police_object_to_the_adult_being_told_the_outcome_waits(persona, chris_allegation) -> None:
    with on(dt.date(2027, 1, 6)):
        services.support_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            informed_on=None,
            informed_of="",
            representative_name="Sam Rep",
            representative_contact="sam.rep@union.example",
            union_advised=True,
            eap_offered=True,
            occupational_health_offered=False,
            opened_at=0,
            objection="police",
            objection_detail="Not until the police have interviewed the adult.",
        )
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 2, 1))

    row = _row(chris_allegation)
    assert row.state == DeadlineState.STOPPED
    assert row.reason.startswith("Not told yet: ")


def test_a_supply_workers_outcome_is_told_by_the_agency_and_an_old_outcome_asks_nothing(
    persona, chris_allegation
) -> None:
    supply = engaged_through_agency(persona, chris_allegation)
    concluded_unfounded(persona, supply, dt.date(2027, 2, 1))
    assert not Deadline.objects.filter(allegation=supply, kind=TOLD).exists()  # "Send the outcome to the agency"

    # An outcome recorded before Threshold asked (as the migration marks them): nothing falls due on a re-sync.
    employed = update_details(persona, Allegation.objects.get(pk=supply.pk), subject_employment="employed")
    OutcomeRecord.objects.filter(allegation=employed).update(adult_told_asked=False)
    call_command("deadlines_sync", stdout=StringIO())
    assert not Deadline.objects.filter(allegation=employed, kind=TOLD).exists()
