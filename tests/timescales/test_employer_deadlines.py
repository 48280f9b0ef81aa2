"""The employer's clocks are stored rows, written by the services that start, meet, pause or stop them.

Dates are counted in England and Wales working days, so the tests stand on the holidays: Christmas 2026
(25 and 28 December, 1 January), Easter 2027 (Good Friday 26 March, Easter Monday 29 March) and the late
May bank holiday (31 May 2027).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.allegations.conftest import engaged_through_agency
from tests.clock import LONDON, on
from threshold.access.fetch import visible_deadlines
from threshold.accounts.models import Organisation
from threshold.allegations import services
from threshold.allegations.models import Allegation, Step
from threshold.concerns.models import Concern, ConcernStatus, PatternReview
from threshold.concerns.services import LowLevelDetails, low_level_record_save, pattern_review_complete
from threshold.concerns.services.deadlines import pattern_review_deadline_sync
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = dt.date(2026, 12, 24)  # a Thursday
EASTER_THURSDAY = dt.date(2027, 3, 25)  # the day before Good Friday
BEFORE_LATE_MAY = dt.date(2027, 5, 27)  # the Thursday before the late May bank holiday


def _open(persona, records: dict[str, int], day: dt.date, *, nursery: bool = False) -> Allegation:
    """An allegation opened on ``day``: about Chris at Oakfield by Hana, or about Nell at Little Acorns by Nina."""
    subject = Person.objects.get(pk=records["person_nell" if nursery else "person_chris"])
    with on(day):
        return services.allegation_open(
            actor=persona("nina" if nursery else "hana"),
            organisation=subject.organisation,
            subject=subject,
            summary="Opened for the deadline tests.",
        )


def _rows(allegation: Allegation) -> dict[str, Deadline]:
    return {row.kind: row for row in Deadline.objects.filter(record_key=f"allegation:{allegation.pk}", key="")}


def _step(persona, allegation: Allegation, step: str, day: dt.date, **extra: Any) -> None:
    with on(day):
        services.step_record(
            actor=persona("hana"), allegation=allegation, step=step, done_on=day, decision="Done.", **extra
        )


def _risk(persona, allegation: Allegation, decided_on: dt.date, review_on: dt.date, decision: str = "suspend") -> Any:
    with on(decided_on):
        return services.risk_assessment_record(
            actor=persona("hana"),
            allegation=allegation,
            rows=[{"area": "PE", "potential_risks": "Contact with pupils", "mitigation": "Away from PE"}],
            context="The LADO advised a risk assessment.",
            additional_notes="",
            period_for_measures="Until the evaluation",
            review_on=review_on,
            alternatives=[],
            decision=decision,
            decided_on=decided_on,
            decision_reason="Injury to a child.",
            hr_discussed_on=decided_on,
            lado_reviewed_on=decided_on,
        )


def _police(
    persona, allegation: Allegation, day: dt.date, *, authorised: bool = False, next_review_on: dt.date | None = None
) -> None:
    """Hana records that the police are involved, with the next review of their progress four weeks on unless given."""
    with on(day):
        services.police_record(
            actor=persona("hana"),
            allegation=allegation,
            involved=True,
            police_reference="NP/1",
            consent_to_share="requested",
            notes="",
            proceedings_authorised=authorised,
            next_review_on=next_review_on or day + dt.timedelta(days=28),
        )


def _conclude(persona, allegation: Allegation, day: dt.date, **extra: Any) -> None:
    values: dict[str, Any] = {
        "report": "Witnesses heard.",
        "outcome": "substantiated",
        "concluded_on": day,
        "removed_from_regulated_activity": True,
        "disciplinary_route": "Dismissed after a hearing.",
    }
    values.update(extra)
    with on(day):
        services.outcome_record(actor=persona("hana"), allegation=allegation, **values)


# ---------------------------------------------------------------- due dates over the holidays


def test_an_allegation_opened_on_christmas_eve_must_be_told_to_the_lado_after_the_bank_holidays(
    persona, records
) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE)

    inform = _rows(allegation)["inform-lado"]
    # Friday 25 December and Monday 28 December (Boxing Day's substitute) are not working days.
    assert (inform.due_on, inform.state, inform.owner, inform.label) == (
        dt.date(2026, 12, 29),
        DeadlineState.OPEN,
        persona("hana"),
        "Inform the LADO",
    )
    assert inform.reference == allegation.reference
    assert inform.organisation_id == allegation.organisation_id
    # Steps 7 and 8 wait for the course of action; a school does not notify Ofsted.
    assert not {"no-further-action-employer-action", "investigation-report", "ofsted-notification"} & set(
        _rows(allegation)
    )


def test_agreeing_an_investigation_meets_step_2_starts_the_report_and_hearing_and_stops_step_7(
    persona, records
) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE)
    _step(persona, allegation, Step.DISCUSS_WITH_LADO, dt.date(2026, 12, 29), route="investigation")

    rows = _rows(allegation)
    assert (rows["inform-lado"].state, rows["inform-lado"].met_on) == (DeadlineState.MET, dt.date(2026, 12, 29))
    # Ten working days from 24 December, skipping 25 and 28 December and 1 January.
    assert (rows["investigation-report"].due_on, rows["investigation-report"].state) == (
        dt.date(2027, 1, 12),
        DeadlineState.OPEN,
    )
    # No hearing falls due while the investigation runs (its 15 working days run from the report).
    assert "disciplinary-hearing" not in rows
    no_further_action = rows["no-further-action-employer-action"]
    assert no_further_action.state == DeadlineState.STOPPED
    assert "Not the course of action agreed: Investigate the allegation" in no_further_action.reason


def test_the_hearing_after_an_investigation_is_due_15_working_days_from_its_report_and_met_by_the_outcome(
    persona, records
) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE)
    _step(persona, allegation, Step.DISCUSS_WITH_LADO, dt.date(2026, 12, 29), route="investigation")
    # The report arrives on Friday 19 March 2027: fifteen working days on, over Good Friday and Easter Monday.
    _step(persona, allegation, Step.INVESTIGATION, dt.date(2027, 3, 19))
    hearing = _rows(allegation)["disciplinary-hearing"]
    assert (hearing.due_on, hearing.state) == (dt.date(2027, 4, 13), DeadlineState.OPEN)
    _conclude(persona, allegation, dt.date(2027, 4, 8))
    hearing = _rows(allegation)["disciplinary-hearing"]
    assert (hearing.state, hearing.met_on) == (DeadlineState.MET, dt.date(2027, 4, 8))


def test_written_confirmation_of_a_suspension_decided_before_easter_falls_due_after_easter_monday(
    persona, records
) -> None:
    allegation = _open(persona, records, dt.date(2027, 3, 24))
    first = _risk(persona, allegation, EASTER_THURSDAY, review_on=dt.date(2027, 4, 8))

    rows = _rows(allegation)
    confirm = rows["suspension-written-confirmation"]
    assert (confirm.due_on, confirm.state) == (dt.date(2027, 3, 30), DeadlineState.OPEN)
    review = Deadline.objects.get(record_key=f"allegation:{allegation.pk}", kind="risk-assessment-review")
    assert (review.key, review.due_on, review.state) == (f"assessment-{first.pk}", dt.date(2027, 4, 8), "open")

    _step(persona, allegation, Step.SUSPENSION_CONFIRMED, dt.date(2027, 3, 30))
    second = _risk(persona, allegation, dt.date(2027, 4, 8), review_on=dt.date(2027, 4, 22))

    assert (_rows(allegation)["suspension-written-confirmation"].state, confirm.due_on) == (
        DeadlineState.MET,
        dt.date(2027, 3, 30),
    )
    reviews = {
        row.key: (row.state, row.met_on, row.due_on)
        for row in Deadline.objects.filter(record_key=f"allegation:{allegation.pk}", kind="risk-assessment-review")
    }
    assert reviews == {
        f"assessment-{first.pk}": (DeadlineState.MET, dt.date(2027, 4, 8), dt.date(2027, 4, 8)),
        f"assessment-{second.pk}": (DeadlineState.OPEN, None, dt.date(2027, 4, 22)),
    }


def test_a_decision_not_to_suspend_stops_the_written_confirmation_and_names_the_decision(persona, records) -> None:
    allegation = _open(persona, records, dt.date(2027, 3, 24))
    _risk(persona, allegation, EASTER_THURSDAY, review_on=dt.date(2027, 4, 8), decision="alternatives")

    confirm = _rows(allegation)["suspension-written-confirmation"]
    assert confirm.state == DeadlineState.STOPPED
    assert "Not suspended" in confirm.reason
    assert "alternative arrangements" in confirm.reason


def test_no_further_action_agreed_before_the_late_may_bank_holiday_is_due_three_working_days_later(
    persona, records
) -> None:
    allegation = _open(persona, records, BEFORE_LATE_MAY)
    _step(persona, allegation, Step.DISCUSS_WITH_LADO, BEFORE_LATE_MAY, route="no-further-action")

    rows = _rows(allegation)
    # Friday 28 May, (not Monday 31 May), Tuesday 1 June, Wednesday 2 June.
    assert (rows["no-further-action-employer-action"].due_on, rows["no-further-action-employer-action"].state) == (
        dt.date(2027, 6, 2),
        DeadlineState.OPEN,
    )
    assert rows["investigation-report"].state == DeadlineState.STOPPED
    assert "disciplinary-hearing" not in rows  # there is no investigation's report for it to follow


# ---------------------------------------------------------------- paused while the police investigate


def test_the_police_investigating_pauses_the_internal_clocks_and_their_authority_restarts_them(
    persona, records
) -> None:
    allegation = _open(persona, records, BEFORE_LATE_MAY)
    _step(persona, allegation, Step.DISCUSS_WITH_LADO, BEFORE_LATE_MAY, route="no-further-action")
    _police(persona, allegation, dt.date(2027, 5, 28))

    paused = _rows(allegation)["no-further-action-employer-action"]
    assert paused.state == DeadlineState.PAUSED
    assert "police" in paused.reason
    assert paused.due_on == dt.date(2027, 6, 2)
    assert _rows(allegation)["inform-lado"].state == DeadlineState.MET  # not a step that waits for the police

    _police(persona, allegation, dt.date(2027, 6, 1), authorised=True)
    assert _rows(allegation)["no-further-action-employer-action"].state == DeadlineState.OPEN


# ---------------------------------------------------------------- concluding never makes a step "not needed"


def test_concluding_leaves_every_step_nobody_recorded_open_and_the_dbs_referral_falls_due(persona, records) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE)
    _step(persona, allegation, Step.HR_STRATEGY, dt.date(2027, 1, 4), route="investigation")
    _conclude(persona, allegation, dt.date(2027, 1, 20))

    rows = _rows(allegation)
    assert rows["inform-lado"].state == DeadlineState.OPEN
    assert rows["investigation-report"].state == DeadlineState.OPEN
    assert not any(row.state == DeadlineState.NOT_NEEDED for row in rows.values())
    # The four steps with no clock of their own that nobody recorded (A-3's four) stay open from the outcome,
    # in Hana's work list, until she closes each with a reason; the step she recorded has no such row.
    not_recorded = {kind: row for kind, row in rows.items() if kind.startswith("step-")}
    assert set(not_recorded) == {
        "step-basic-enquiries",
        "step-suspension-considered",
        "step-parents-informed",
        "step-parents-kept-informed",
    }
    assert {(row.state, row.due_on, row.owner) for row in not_recorded.values()} == {
        (DeadlineState.OPEN, dt.date(2027, 1, 20), persona("hana"))
    }
    assert not_recorded["step-parents-informed"].label == "Step 4: not recorded before the outcome"
    # No investigation's report was recorded, so no hearing's clock ever started.
    assert "disciplinary-hearing" not in rows
    dbs = rows["dbs-referral"]
    assert (dbs.state, dbs.due_on, dbs.owner) == (DeadlineState.OPEN, dt.date(2027, 1, 20), persona("hana"))

    with on(dt.date(2027, 1, 22)):
        services.referral_follow_up_record(
            actor=persona("hana"), allegation=allegation, body="dbs", referred_on=dt.date(2027, 1, 22)
        )
    assert (_rows(allegation)["dbs-referral"].state, _rows(allegation)["dbs-referral"].met_on) == (
        DeadlineState.MET,
        dt.date(2027, 1, 22),
    )


def supply_worker_removed(persona, records: dict[str, int], day: dt.date) -> Allegation:
    """Chris, a supply teacher from an agency, came to attention on ``day`` and was removed from the placement."""
    allegation = _open(persona, records, day)
    with on(day):
        allegation = engaged_through_agency(persona, allegation, came_to_attention_on=day)
        services.agency_record(
            actor=persona("hana"),
            allegation=allegation,
            notified_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=LONDON),
            suspension_discussed="Suspended from the placement.",
            removed_on=day,
        )
    return allegation


def test_a_supply_worker_removed_on_christmas_eve_needs_cover_within_48_hours_until_it_is_arranged(
    persona, records
) -> None:
    allegation = supply_worker_removed(persona, records, CHRISTMAS_EVE)
    cover = _rows(allegation)["replacement-cover"]
    assert (cover.due_at, cover.due_on, cover.state) == (
        dt.datetime(2026, 12, 26, 0, 0, tzinfo=LONDON),
        dt.date(2026, 12, 26),
        DeadlineState.OPEN,
    )

    with on(dt.date(2026, 12, 29)):
        services.agency_record(
            actor=persona("hana"),
            allegation=allegation,
            notified_at=dt.datetime(2026, 12, 24, 9, tzinfo=LONDON),
            suspension_discussed="Suspended from the placement.",
            removed_on=CHRISTMAS_EVE,
            cover_arranged_on=dt.date(2026, 12, 29),
        )
    assert (_rows(allegation)["replacement-cover"].state, _rows(allegation)["replacement-cover"].met_on) == (
        DeadlineState.MET,
        dt.date(2026, 12, 29),
    )


def test_a_nursery_notifies_ofsted_within_fourteen_calendar_days_holidays_or_not(persona, records) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE, nursery=True)

    ofsted = _rows(allegation)["ofsted-notification"]
    assert (ofsted.due_on, ofsted.owner, ofsted.label) == (dt.date(2027, 1, 7), persona("nina"), "Notify Ofsted")


def test_the_sync_leaves_other_kinds_on_the_allegation_alone(persona, records) -> None:
    allegation = _open(persona, records, CHRISTMAS_EVE)
    Deadline.objects.create(
        allegation=allegation,
        organisation=allegation.organisation,
        record_key=f"allegation:{allegation.pk}",
        kind="information-request",
        key="request-1",
        reference=allegation.reference,
        label="Information requested by the LADO",
        due_on=dt.date(2027, 1, 5),
    )
    _step(persona, allegation, Step.BASIC_ENQUIRIES, dt.date(2026, 12, 29))

    assert Deadline.objects.filter(record_key=f"allegation:{allegation.pk}", kind="information-request").exists()


# ---------------------------------------------------------------- never shown to the adult it is about


def test_a_deadline_on_an_allegation_about_someone_is_not_in_their_own_deadlines(persona, records) -> None:
    dev = persona("dev")
    oakfield = Organisation.objects.get(pk=Allegation.objects.get(pk=records["allegation_chris"]).organisation_id)
    about_dev = Person.objects.create(organisation=oakfield, full_name=dev.full_name, user=dev, email=dev.email)
    with on(CHRISTMAS_EVE):
        allegation = services.allegation_open(
            actor=persona("hana"), organisation=oakfield, subject=about_dev, summary="About the DSL."
        )
    about_chris = _open(persona, records, CHRISTMAS_EVE)

    def inform_rows(user: Any) -> set[int]:
        return set(visible_deadlines(user, "view").filter(kind="inform-lado").values_list("allegation_id", flat=True))

    assert allegation.pk in inform_rows(persona("hana"))
    assert allegation.pk not in inform_rows(dev)
    assert about_chris.pk in inform_rows(dev)  # the DSL sees the others


# ---------------------------------------------------------------- the concerns side


def test_a_low_level_further_action_is_due_on_its_date_nobody_owns_it_and_doing_it_meets_it(persona, records) -> None:
    concern = Concern.objects.get(pk=records["concern_about_tom"])
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.LOW_LEVEL)
    concern.refresh_from_db()
    values: LowLevelDetails = {
        "investigation_steps": "Spoke to the teacher.",
        "breach_category": "boundaries",
        "further_action": "conversation",
        "action_owner": "The headteacher",
        "action_due_on": dt.date(2027, 1, 4),
    }
    with on(CHRISTMAS_EVE):
        record = low_level_record_save(actor=persona("dev"), concern=concern, expected_version=0, values=values)
    row = Deadline.objects.get(record_key=f"concern:{concern.pk}", kind="low-level-action")
    assert (row.due_on, row.owner, row.state, row.concern_id) == (dt.date(2027, 1, 4), None, "open", concern.pk)

    with on(dt.date(2027, 1, 4)):
        low_level_record_save(
            actor=persona("dev"),
            concern=concern,
            expected_version=record.version,
            values={**values, "action_done_on": dt.date(2027, 1, 4)},
        )
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 1, 4))


def test_the_termly_pattern_review_is_due_at_the_end_of_term_and_completing_it_brings_next_term_s(
    persona, records
) -> None:
    oakfield = Organisation.objects.get(pk=Allegation.objects.get(pk=records["allegation_chris"]).organisation_id)
    with on(dt.date(2026, 12, 7)):
        pattern_review_deadline_sync(oakfield)
    rows = {row.key: row for row in Deadline.objects.filter(record_key=f"organisation:{oakfield.pk}")}
    assert (rows["2026-autumn"].due_on, rows["2026-autumn"].state) == (dt.date(2026, 12, 31), DeadlineState.OPEN)
    assert "2026-summer" not in rows  # no concern was on record by the end of last term: nothing was missed

    Concern.objects.filter(organisation=oakfield).update(raised_on=dt.date(2026, 6, 1))
    with on(dt.date(2026, 12, 7)):
        pattern_review_deadline_sync(oakfield)
    rows = {row.key: row for row in Deadline.objects.filter(record_key=f"organisation:{oakfield.pk}")}
    assert rows["2026-summer"].state == DeadlineState.OPEN  # last term had concerns and was not reviewed: overdue
    assert "2027-spring" not in rows

    review = PatternReview.objects.create(
        organisation=oakfield,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 12, 18),
        started_by=persona("dev"),
    )
    with on(dt.date(2026, 12, 18)):
        pattern_review_complete(actor=persona("dev"), review=review, summary="No patterns.")
    rows = {row.key: row for row in Deadline.objects.filter(record_key=f"organisation:{oakfield.pk}")}
    assert (rows["2026-autumn"].state, rows["2026-autumn"].met_on) == (DeadlineState.MET, dt.date(2026, 12, 18))
    assert (rows["2027-spring"].due_on, rows["2027-spring"].state) == (dt.date(2027, 4, 30), DeadlineState.OPEN)
    assert {row.kind for row in rows.values()} == {"pattern-review"}
