"""Policy 6.1 and 6.5: HR and the LADO before a decision on suspension, and HR on the return to work after it.

"The case manager should discuss all options with the HR team prior to making any decisions on suspension in
addition to reviewing these options with the LADO." Hana, the head and case manager, records on the appendix 3
risk assessment when she discussed the options with HR and reviewed them with the LADO, or why she could not
before deciding (an interim prohibition order means suspending at once). The allegation page shows it.

"Individuals returning to work after suspension: The case manager, in conjunction with HR, will consider how best
to facilitate this return to work" (6.5): an outcome that leaves a suspended adult in post says how.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.allegations.conftest import engaged_through_agency, update_details
from tests.allegations.test_routes_and_follow_ups import _risk_post
from tests.allegations.test_services import _risk
from tests.clock import on
from threshold.allegations import services
from threshold.allegations.models import AllegationStatus, RiskAssessment, Step, StepRecord
from threshold.allegations.police_and_suspension import returns_from_suspension
from threshold.allegations.presenters.sections import _discussed

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 12, 3)


def test_a_decision_with_neither_discussion_nor_a_reason_is_refused_for_each_and_nothing_is_saved(
    persona, chris_allegation
) -> None:
    with on(DECIDED), pytest.raises(ValidationError) as refused:
        _risk(persona, chris_allegation, decided_on=DECIDED, hr_discussed_on=None, lado_reviewed_on=None)

    assert refused.value.message_dict == {
        "hr_discussed_on": ["Enter the date the options were discussed with HR, or say why they were not"],
        "lado_reviewed_on": ["Enter the date the options were reviewed with the LADO, or say why they were not"],
    }
    assert not RiskAssessment.objects.filter(allegation=chris_allegation).exists()
    assert not StepRecord.objects.filter(allegation=chris_allegation, step=Step.SUSPENSION_CONSIDERED).exists()


def test_a_discussion_after_the_decision_is_not_a_discussion_before_it(persona, chris_allegation) -> None:
    with on(DECIDED + dt.timedelta(days=1)), pytest.raises(ValidationError) as refused:
        _risk(persona, chris_allegation, decided_on=DECIDED, lado_reviewed_on=DECIDED + dt.timedelta(days=1))

    assert refused.value.message_dict == {
        "lado_reviewed_on": [
            "The date the options were reviewed with the LADO must be on or before the decision, or say why not"
        ]
    }

    # With the reason, the review's real date is kept, and the page says it came after.
    with on(DECIDED + dt.timedelta(days=1)):
        assessment = _risk(
            persona,
            chris_allegation,
            decided_on=DECIDED,
            lado_reviewed_on=DECIDED + dt.timedelta(days=1),
            not_discussed_reason="The LADO was on leave; the duty LADO reviewed it the next morning.",
        )
    assert (assessment.hr_discussed_on, assessment.lado_reviewed_on) == (DECIDED, DECIDED + dt.timedelta(days=1))
    assert _discussed(assessment.lado_reviewed_on, assessment.not_discussed_reason, DECIDED) == (
        "4 December 2026, after the decision: The LADO was on leave; the duty LADO reviewed it the next morning."
    )


def test_the_page_shows_when_hr_and_the_lado_were_consulted_or_why_not(persona, signed_in, chris_allegation) -> None:
    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, hr_discussed_on=dt.date(2026, 12, 2))
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    suspension = page[page.index('id="suspension"') :]
    assert "Options discussed with HR" in suspension
    assert "2 December 2026" in suspension
    assert "Options reviewed with the LADO" in suspension

    # An interim prohibition order: suspended at once, HR told afterwards.
    reason = "An interim prohibition order was made: suspended at once, HR told the same afternoon."
    with on(DECIDED + dt.timedelta(days=1)):
        _risk(
            persona,
            chris_allegation,
            decided_on=DECIDED + dt.timedelta(days=1),
            hr_discussed_on=None,
            not_discussed_reason=reason,
        )
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert f"Not before the decision: {reason}" in page


def test_the_form_says_beside_each_date_what_is_missing_and_keeps_what_hana_typed(signed_in, chris_allegation) -> None:
    client = signed_in("hana")
    data = _risk_post()
    del data["not_discussed_reason"]

    response = client.post(reverse("allegation_risk_assessment", args=[chris_allegation.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_hr_discussed_on_day">Enter the date the options were discussed with HR' in html
    assert 'href="#id_lado_reviewed_on_day">Enter the date the options were reviewed with the LADO' in html
    assert 'id="hr_discussed_on-date-error"' in html
    assert "Redeployment is enough." in html
    assert not RiskAssessment.objects.filter(allegation=chris_allegation).exists()


def test_an_outcome_that_leaves_a_suspended_adult_in_post_says_how_their_return_to_work_is_facilitated(
    persona, chris_allegation
) -> None:
    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, decision="suspend")
    outcome: dict[str, Any] = {
        "report": "The pupil's account was not supported by the witnesses.",
        "outcome": "unfounded",
        "concluded_on": dt.date(2027, 1, 8),
    }

    with on(dt.date(2027, 1, 8)), pytest.raises(ValidationError) as refused:
        services.outcome_record(actor=persona("hana"), allegation=chris_allegation, **outcome)
    assert refused.value.message_dict == {
        "return_to_work": ["Enter how the adult's return to work after suspension will be facilitated, with HR"]
    }
    chris_allegation.refresh_from_db()
    assert chris_allegation.status != AllegationStatus.CONCLUDED

    plan = "Phased return agreed with HR; no longer teaches the pupil's class this term."
    with on(dt.date(2027, 1, 8)):
        record = services.outcome_record(
            actor=persona("hana"), allegation=chris_allegation, return_to_work=plan, **outcome
        )
    assert record.return_to_work == plan


def test_an_adult_removed_from_regulated_activity_is_not_returning_so_nothing_is_asked(
    persona, chris_allegation
) -> None:
    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, decision="suspend")
    with on(dt.date(2027, 1, 8)):
        record = services.outcome_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            report="CCTV and two witnesses confirm it.",
            outcome="substantiated",
            concluded_on=dt.date(2027, 1, 8),
            removed_from_regulated_activity=True,
            disciplinary_route="Disciplinary hearing; dismissed.",
        )
    assert record.return_to_work == ""


def test_no_return_to_work_is_asked_when_the_adult_does_not_return_from_the_suspension(
    persona, chris_allegation
) -> None:
    """Resigned, or the suspension lifted by a later assessment: nothing to facilitate."""
    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, decision="suspend")
    outcome: dict[str, Any] = {
        "report": "The witnesses did not support the account.",
        "outcome": "unfounded",
        "concluded_on": dt.date(2027, 1, 8),
    }
    with on(dt.date(2027, 1, 8)):
        assert not returns_from_suspension(chris_allegation, removed=False, resigned=True)
        assert returns_from_suspension(chris_allegation, removed=False, resigned=False)
    with on(dt.date(2027, 1, 5)):
        _risk(persona, chris_allegation, decided_on=dt.date(2027, 1, 5), decision="alternatives")
    with on(dt.date(2027, 1, 8)):
        record = services.outcome_record(actor=persona("hana"), allegation=chris_allegation, **outcome)
    assert record.return_to_work == ""


def test_an_interim_prohibition_order_or_a_supply_worker_asks_no_return_to_work(persona, chris_allegation) -> None:
    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, decision="suspend")
    prohibited = update_details(persona, chris_allegation, interim_prohibition_order=True)
    assert not returns_from_suspension(prohibited, removed=False, resigned=False)
    supply = engaged_through_agency(persona, prohibited, interim_prohibition_order=False)
    assert not returns_from_suspension(supply, removed=False, resigned=False)


def test_the_forms_say_the_61_and_65_answers_with_their_other_errors_at_once(
    persona, signed_in, chris_allegation
) -> None:
    client = signed_in("hana")
    data = _risk_post(decided_on_day="31", decided_on_month="2")  # an impossible decision date, and no 6.1 answers
    del data["not_discussed_reason"]
    html = client.post(reverse("allegation_risk_assessment", args=[chris_allegation.pk]), data).content.decode()
    assert 'href="#id_decided_on_day">The date of the decision must be a real date' in html
    assert 'href="#id_hr_discussed_on_day">Enter the date the options were discussed with HR' in html
    assert not RiskAssessment.objects.filter(allegation=chris_allegation).exists()

    with on(DECIDED):
        _risk(persona, chris_allegation, decided_on=DECIDED, decision="suspend")
    with on(dt.date(2027, 1, 8)):
        response = signed_in("hana").post(
            reverse("allegation_outcome", args=[chris_allegation.pk]),
            {"outcome": "unfounded", "concluded_on_day": "8", "concluded_on_month": "1", "concluded_on_year": "2027"},
        )
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'href="#id_report">' in html
    assert 'href="#id_return_to_work">Enter how the adult&#39;s return to work after suspension' in html
