"""Policy 6.4's resolution targets are kept as the allegation's deadlines, not only shown on its page.

"It is in everyone's interest to resolve cases as quickly as possible ... these targets should be achieved in
all but truly exceptional cases" (the trust's policy, 6.4; the pack's targets: 80% within one month, 90% within
three, all but the most exceptional within twelve). The allegation page showed each target "Overdue" while no
work list, reminder or team view knew of it. Now Hana, the head and case manager, has each target in her work
list from the day the allegation is triaged at Tier 3 or 4 until the outcome meets it. The targets count calendar
months, so Christmas, Easter and the late May bank holiday do not move them.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.allegations.conftest import concluded_unfounded, lado_discussed
from tests.allegations.test_attention_date import parents_complaint, triage_tier_4
from tests.clock import LONDON, on
from tests.timescales.test_employer_deadlines import _open, _rows
from threshold.allegations.advice import allegation_advice, resolution_targets
from threshold.allegations.models import Allegation
from threshold.concerns import services as concern_services
from threshold.concerns.models import Triage
from threshold.reports.employer.allegation_figures import overdue_steps
from threshold.reports.employer.readers import dashboard_for
from threshold.timescales.models import DeadlineState
from threshold.timescales.selectors import work_list

pytestmark = pytest.mark.django_db

TARGETS = ("resolve-target-one-month", "resolve-target-three-months", "resolve-target-twelve-months")


def _tier_4(persona, day: dt.date) -> Allegation:
    """A parent's complaint about Chris Coach raised with Oakfield on ``day``; Hana triages it at Tier 4 that day."""
    return triage_tier_4(persona, parents_complaint(persona, raised_on=day, recorded_on=day), day)


def _targets(allegation: Allegation) -> dict[str, tuple[dt.date, str]]:
    rows = _rows(allegation)
    return {kind: (rows[kind].due_on, rows[kind].state) for kind in TARGETS if kind in rows}


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        # Christmas Eve 2026: a month on is Sunday 24 January; no working days are counted.
        (dt.date(2026, 12, 24), (dt.date(2027, 1, 24), dt.date(2027, 3, 24), dt.date(2027, 12, 24))),
        # The Thursday before Good Friday 2027.
        (dt.date(2027, 3, 25), (dt.date(2027, 4, 25), dt.date(2027, 6, 25), dt.date(2028, 3, 25))),
        # A month on from 30 April 2027 is the Sunday before the late May bank holiday (31 May): not moved.
        (dt.date(2027, 4, 30), (dt.date(2027, 5, 30), dt.date(2027, 7, 30), dt.date(2028, 4, 30))),
    ],
    ids=["christmas-eve", "before-easter", "before-late-may"],
)
def test_a_tier_4_allegation_keeps_its_three_targets_in_calendar_months_from_the_day_it_was_raised(
    persona, raised, due
) -> None:
    allegation = _tier_4(persona, raised)

    assert _targets(allegation) == {kind: (day, DeadlineState.OPEN) for kind, day in zip(TARGETS, due, strict=True)}
    row = _rows(allegation)["resolve-target-one-month"]
    assert (row.owner, row.label, row.source) == (
        persona("hana"),
        "Resolved within one month",
        "Target: 80% of cases resolved within one month.",
    )
    # The stored rows are the page's targets: one calculator.
    shown = resolution_targets(allegation, allegation_advice(allegation).assessment, raised)
    assert {target.id: target.due for target in shown} == dict(zip(TARGETS, due, strict=True))


def test_a_missed_one_month_target_is_overdue_in_hanas_work_list_and_the_outcome_meets_all_three(persona) -> None:
    allegation = _tier_4(persona, dt.date(2026, 12, 24))

    # Monday 25 January 2027: the one-month target passed yesterday with no outcome.
    with time_machine.travel(dt.datetime(2027, 1, 25, 9, tzinfo=LONDON), tick=False):
        overdue = work_list(persona("hana"))["overdue"]
    hers = {item.deadline.kind: item.deadline.label for item in overdue if item.deadline.allegation_id == allegation.pk}
    assert hers["resolve-target-one-month"] == "Resolved within one month"
    assert "resolve-target-three-months" not in hers

    lado_discussed(persona, allegation, dt.date(2026, 12, 29))
    concluded_unfounded(persona, allegation, dt.date(2027, 2, 10))

    rows = _rows(allegation)
    assert {kind: (rows[kind].state, rows[kind].met_on) for kind in TARGETS} == {
        kind: (DeadlineState.MET, dt.date(2027, 2, 10)) for kind in TARGETS
    }
    # Met late: the row keeps the date it was due, so the lateness stays answerable.
    assert rows["resolve-target-one-month"].due_on == dt.date(2027, 1, 24)


def test_an_allegation_opened_without_any_harm_threshold_answer_keeps_no_targets(persona, records) -> None:
    # No tier is known, so the page shows no targets and nothing falls due for them.
    allegation = _open(persona, records, dt.date(2026, 12, 24))

    assert _targets(allegation) == {}
    assert not allegation_advice(allegation).answered


def test_a_missed_target_is_not_an_overdue_step_on_the_dashboard_or_the_trusts_view(persona, signed_in) -> None:
    """The dashboard's "Allegations with a step overdue" and Priya's trust view list steps someone must take."""
    allegation = _tier_4(persona, dt.date(2026, 12, 24))
    hana = persona("hana")
    target = _rows(allegation)["resolve-target-one-month"]

    with time_machine.travel(dt.datetime(2027, 1, 25, 9, tzinfo=LONDON), tick=False):
        steps = overdue_steps(user=hana, dashboard=dashboard_for(hana, "school"), today=dt.date(2027, 1, 25))
        trust = signed_in("priya").get(reverse("trust_work")).content.decode()

    assert target.status_on(dt.date(2027, 1, 25)) == "overdue"
    assert "Inform the LADO" in {row.label for row in steps.rows}  # step 2, overdue too: the table is not empty
    assert "Resolved within one month" not in {row.label for row in steps.rows}
    assert allegation.reference in trust
    assert "Resolved within one month" not in trust


def test_an_allegation_triaged_at_tier_2_keeps_no_targets(persona) -> None:
    """Policy 6.4's targets apply from Tier 3 in the trust's pack: conduct inconsistent with the code, no harm."""
    concern = parents_complaint(persona, raised_on=dt.date(2027, 3, 25), recorded_on=dt.date(2027, 3, 25))
    with on(dt.date(2027, 3, 25)):
        triage = concern_services.concern_triage(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            raw_facts={
                "harmed_or_may_have_harmed_child": False,
                "possible_criminal_offence": False,
                "behaviour_indicates_risk_of_harm": False,
                "may_be_unsuitable_to_work_with_children": False,
                "inconsistent_with_code_of_conduct": True,
            },
            decision="allegation",
            rationale="The parent has complained to the LADO; handled as an allegation.",
            override_reason="The parent took the complaint to the LADO, who asked for it to be handled as one.",
        )
    assert isinstance(triage, Triage)
    assert triage.allegation is not None
    allegation = Allegation.objects.get(pk=triage.allegation.pk)

    advice = allegation_advice(allegation)
    assert advice.answered
    assert advice.assessment.level == "tier-2"
    assert _targets(allegation) == {}
