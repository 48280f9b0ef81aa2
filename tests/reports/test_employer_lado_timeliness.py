"""The employer dashboard's "Time from coming to attention to informing the LADO", counted in the database.

In time means informed on or before the allegation's own stored due date for informing the LADO (ADR 0024),
or, where none is stored, within the ``inform-lado`` timescale of the setting's pack: across Christmas and the
May bank holidays as ``threshold.policy`` counts England and Wales working days. The median is of calendar days
(the row says so), and the table costs the same queries however many allegations there are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation, AllegationStatus, Referral, Step, StepRecord
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.demo import world
from threshold.people.models import Person
from threshold.policy import get_pack
from threshold.policy.pack import Pack
from threshold.reports.employer import allegation_figures
from threshold.reports.employer.allegation_figures import dashboard_allegations, lado_timeliness
from threshold.reports.employer.readers import dashboard_for
from threshold.reports.periods import Period
from threshold.reports.tables import Table
from threshold.reports.terms import employer_period
from threshold.timescales.models import Deadline

LONDON = ZoneInfo("Europe/London")
CHRISTMAS = employer_period(dt.date(2026, 12, 21), dt.date(2026, 12, 31))
LATE_MAY = employer_period(dt.date(2027, 5, 24), dt.date(2027, 6, 4))
OCTOBER = employer_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
THURSDAY_CHRISTMAS_EVE = dt.date(2026, 12, 24)
FRIDAY_BEFORE_LATE_MAY = dt.date(2027, 5, 28)


@pytest.fixture
def in_january(demo_world: None) -> Iterator[dt.date]:
    """The clock on Monday 11 January 2027, after the Christmas holidays."""
    with time_machine.travel(dt.datetime(2027, 1, 11, 12, 0, tzinfo=LONDON), tick=False):
        yield dt.date(2027, 1, 11)


@pytest.fixture
def in_june(demo_world: None) -> Iterator[dt.date]:
    """The clock on Thursday 10 June 2027, after the late May bank holiday (Monday 31 May)."""
    with time_machine.travel(dt.datetime(2027, 6, 10, 12, 0, tzinfo=LONDON), tick=False):
        yield dt.date(2027, 6, 10)


def hillcrest() -> Organisation:
    return Organisation.objects.get(name=world.HILLCREST)


def allegation(
    came: dt.date | None, *, referred_at: dt.datetime | None = None, step_two_on: dt.date | None = None, **extra: Any
) -> Allegation:
    """An allegation at Hillcrest that came to attention on ``came``; referred, and step 2 recorded, when given."""
    school = hillcrest()
    adult = Person.objects.create(organisation=school, full_name="Sally Supply", employer=school)
    made = Allegation.objects.create(
        organisation=school, subject=adult, summary="An allegation for the timeliness figure.",
        came_to_attention_on=came, status=AllegationStatus.REFERRED, **extra,
    )  # fmt: skip
    if referred_at is not None:
        Referral.objects.create(
            allegation=made, local_authority=Organisation.objects.get(name=world.NORTHSHIRE), adult_name="The adult",
            employer_name=school.name, referring_organisation=school.name, referrer_name="The case manager",
            summary="Referred.", pack="lead-academy-trust", pack_version="1.1", pack_digest="sha256:" + "0" * 64,
            recorded_by=user("hana"), recorded_at=referred_at,
        )  # fmt: skip
    if step_two_on is not None:
        StepRecord.objects.create(
            allegation=made, step=Step.DISCUSS_WITH_LADO, done_on=step_two_on, decision="Discussed.",
            recorded_by=user("hana"),
        )  # fmt: skip
    return made


def user(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=LONDON)


def timeliness_table(persona, period: Period, today: dt.date) -> Table:
    """The figure on Priya's trust dashboard (Hillcrest is one of the trust's schools)."""
    priya = persona("priya")
    dashboard = dashboard_for(priya, "trust")
    allegations = dashboard_allegations(user=priya, dashboard=dashboard)
    return lado_timeliness(allegations, period, dashboard=dashboard, today=today)


def figures(table: Table) -> dict[str, Any]:
    return {row.key: row.values[0] for row in table.rows}


def test_christmas_eve_to_tuesday_29_december_is_within_one_working_day_and_the_wednesday_is_not(
    in_january: dt.date, persona
) -> None:
    allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 29)))  # 25 and 28 December are holidays
    allegation(THURSDAY_CHRISTMAS_EVE, step_two_on=dt.date(2026, 12, 30))  # 2 working days
    allegation(dt.date(2026, 12, 23), referred_at=at_nine(THURSDAY_CHRISTMAS_EVE))  # the next day
    table = timeliness_table(persona, CHRISTMAS, in_january)
    assert figures(table) == {
        "came_to_attention": 3,
        "informed": 3,
        "not_informed": 0,
        "within_one_working_day": 2,
        "within_one_working_day_percent": 66.7,
        "median_days": 5,  # calendar days, of 5, 6 and 1
    }
    assert [row.label for row in table.rows][3] == "Informed within one working day"
    assert table.rows[5].label == "Median calendar days from attention to informing the LADO"
    assert table.summary == "Allegations should be reported to the LADO within one working day."


def test_friday_before_the_late_may_bank_holiday_to_tuesday_is_one_working_day_and_the_median_of_four_is_a_mean(
    in_june: dt.date, persona
) -> None:
    allegation(FRIDAY_BEFORE_LATE_MAY, step_two_on=FRIDAY_BEFORE_LATE_MAY)  # the same day
    allegation(FRIDAY_BEFORE_LATE_MAY, referred_at=at_nine(dt.date(2027, 6, 1)))  # 1 working day: 31 May is a holiday
    allegation(FRIDAY_BEFORE_LATE_MAY, referred_at=at_nine(dt.date(2027, 6, 2)))  # 2 working days, 5 calendar days
    allegation(FRIDAY_BEFORE_LATE_MAY, step_two_on=dt.date(2027, 6, 3))  # 3 working days
    allegation(FRIDAY_BEFORE_LATE_MAY)  # not yet
    assert figures(timeliness_table(persona, LATE_MAY, in_june)) == {
        "came_to_attention": 5,
        "informed": 4,
        "not_informed": 1,
        "within_one_working_day": 2,
        "within_one_working_day_percent": 50.0,
        "median_days": 4.5,  # calendar days: the mean of the middle two of 0, 4, 5 and 6
    }


def test_the_allegations_stored_due_date_decides_where_it_has_one(in_january: dt.date, persona) -> None:
    synced = allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 29)))
    with transaction.atomic():
        allegation_deadlines_sync(synced)
    stored = Deadline.objects.get(allegation=synced, kind="inform-lado")
    assert stored.due_on == dt.date(2026, 12, 29)  # the services' own count across Christmas
    # Counted under a pack that gave two working days: its stored row is due on Wednesday 30 December.
    earlier_pack = allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 30)))
    Deadline.objects.create(
        allegation=earlier_pack, organisation=earlier_pack.organisation, record_key=f"allegation:{earlier_pack.pk}",
        kind="inform-lado", reference=earlier_pack.reference, label="Inform the LADO", due_on=dt.date(2026, 12, 30),
    )  # fmt: skip
    late = allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 31)))
    with transaction.atomic():
        allegation_deadlines_sync(late)
    counted = figures(timeliness_table(persona, CHRISTMAS, in_january))
    assert counted["within_one_working_day"] == 2
    assert counted["median_days"] == 6  # calendar days, of 5, 6 and 7


def test_without_a_stored_row_the_settings_pack_gives_the_working_days(
    in_january: dt.date, persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 30)))
    allegation(THURSDAY_CHRISTMAS_EVE, referred_at=at_nine(dt.date(2026, 12, 31)))
    shipped = get_pack(hillcrest().policy_pack, on=in_january)
    two_days = tuple(
        dataclasses.replace(timescale, count=2) if timescale.id == "inform-lado" else timescale
        for timescale in shipped.timescales
    )
    packs = {"two": dataclasses.replace(shipped, timescales=two_days)}

    def pack_of(ref: str, *, on: dt.date | None = None) -> Pack:
        assert on == in_january  # the pack in force today, as the allegation's own clocks read it
        return packs["two"]

    monkeypatch.setattr(allegation_figures, "get_pack", pack_of)
    table = timeliness_table(persona, CHRISTMAS, in_january)
    assert figures(table)["within_one_working_day"] == 1  # Wednesday 30 December is the second working day
    assert table.rows[3].label == "Informed within 2 working days"
    assert table.summary == "Allegations should be reported to the LADO within 2 working days."
    # A pack that sets no such timescale: the national pack's one working day.
    packs["two"] = dataclasses.replace(
        shipped, timescales=tuple(timescale for timescale in shipped.timescales if timescale.id != "inform-lado")
    )
    assert figures(timeliness_table(persona, CHRISTMAS, in_january))["within_one_working_day"] == 0


def test_an_allegation_opened_at_half_past_midnight_came_to_attention_on_its_london_day(
    in_january: dt.date, persona
) -> None:
    # No date of coming to attention: opened at 00:30 BST on Friday 2 October (still Thursday in UTC).
    allegation(
        None, created_at=dt.datetime(2026, 10, 2, 0, 30, tzinfo=LONDON), referred_at=at_nine(dt.date(2026, 10, 5))
    )
    counted = figures(timeliness_table(persona, OCTOBER, in_january))
    assert counted["within_one_working_day"] == 1  # Friday to Monday, not Thursday to Monday
    assert counted["median_days"] == 3


def test_a_referral_dated_before_the_day_of_coming_to_attention_counts_as_the_same_day(
    in_january: dt.date, persona
) -> None:
    allegation(dt.date(2026, 12, 23), referred_at=at_nine(dt.date(2026, 12, 22)))
    counted = figures(timeliness_table(persona, CHRISTMAS, in_january))
    assert (counted["within_one_working_day"], counted["median_days"]) == (1, 0)


def test_the_timeliness_table_takes_the_same_queries_for_3_and_30_allegations(in_january: dt.date, persona) -> None:
    def add(how_many: int) -> None:
        for number in range(how_many):
            came = dt.date(2026, 12, 21) + dt.timedelta(days=number % 4)
            made = allegation(came, referred_at=at_nine(came + dt.timedelta(days=number % 9)))
            if number % 3 == 0:
                StepRecord.objects.create(
                    allegation=made, step=Step.DISCUSS_WITH_LADO, done_on=came, decision="Discussed.",
                    recorded_by=user("hana"),
                )  # fmt: skip
            if number % 2 == 0:
                with transaction.atomic():
                    allegation_deadlines_sync(made)

    priya = persona("priya")
    dashboard = dashboard_for(priya, "trust")

    def queries() -> tuple[int, int]:
        allegations = dashboard_allegations(user=priya, dashboard=dashboard)
        with CaptureQueriesContext(connection) as captured:
            table = lado_timeliness(allegations, CHRISTMAS, dashboard=dashboard, today=in_january)
        return len(captured.captured_queries), figures(table)["came_to_attention"]

    add(3)
    three = queries()
    add(27)
    thirty = queries()
    assert (three[1], thirty[1]) == (3, 30)
    assert thirty[0] == three[0] == 2  # the counts, and the median's middle rows
