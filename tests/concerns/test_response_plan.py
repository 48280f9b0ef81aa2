"""The response matrix is a plan on the low-level record, not text (appendix 3).

"Accidental (Generally the first incident): Meeting with individual, Investigate, Advise, Monitor, Review";
"Neglectful (a further incident): … Formal plan in place for addressing issue / behaviour, Monitor, Review".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.concerns import services
from threshold.concerns.models import Concern, LowLevelRecord
from threshold.timescales.models import Deadline, DeadlineState

from .conftest import TIER_2_FACTS
from .test_review_and_close import COMPLETE_RECORD

pytestmark = pytest.mark.django_db


def _low_level(persona, concern: Concern) -> Concern:
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    return concern


def _plan(**overrides: object) -> services.LowLevelDetails:
    today = timezone.localdate()
    values = {
        **COMPLETE_RECORD,
        "matrix_column": "accidental",
        "met_individual_on": today,
        "advice_given": "Keep the door open when working one to one with a pupil.",
        "formal_plan": "",
        "monitor_until": today + dt.timedelta(days=28),
        "review_on": today + dt.timedelta(days=35),
    }
    values.update(overrides)
    return values  # type: ignore[return-value]


def test_a_first_incident_holds_the_meeting_the_advice_a_monitoring_period_and_a_review_date(share, persona) -> None:
    concern = _low_level(persona, share(persona("tom")))
    services.low_level_record_save(actor=persona("hana"), concern=concern, expected_version=0, values=_plan())
    record = LowLevelRecord.objects.get(concern=concern)
    assert record.matrix_column == "accidental"
    assert record.met_individual_on == timezone.localdate()
    assert record.advice_given.startswith("Keep the door open")
    assert record.monitor_until == timezone.localdate() + dt.timedelta(days=28)
    # "Review" falls due in the handler's work list.
    review = Deadline.objects.get(concern=concern, kind="low-level-review")
    assert review.due_on == timezone.localdate() + dt.timedelta(days=35)
    assert review.state == DeadlineState.OPEN


def test_a_further_incident_is_neglectful_and_needs_the_formal_plan(share, persona) -> None:
    concern = _low_level(persona, share(persona("tom")))
    with pytest.raises(ValidationError) as error:
        services.low_level_record_save(
            actor=persona("hana"), concern=concern, expected_version=0, values=_plan(matrix_column="neglectful")
        )
    assert error.value.message_dict["formal_plan"] == [
        "Enter the formal plan for addressing the behaviour: a further incident needs one"
    ]
    assert not LowLevelRecord.objects.filter(concern=concern).exists()
    services.low_level_record_save(
        actor=persona("hana"), concern=concern, expected_version=0,
        values=_plan(matrix_column="neglectful", formal_plan="Weekly check-ins with the DSL for half a term."),
    )  # fmt: skip
    assert LowLevelRecord.objects.get(concern=concern).formal_plan.startswith("Weekly check-ins")


def test_the_review_cannot_come_before_monitoring_ends(share, persona) -> None:
    concern = _low_level(persona, share(persona("tom")))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.low_level_record_save(
            actor=persona("hana"), concern=concern, expected_version=0,
            values=_plan(monitor_until=today + dt.timedelta(days=30), review_on=today + dt.timedelta(days=10)),
        )  # fmt: skip
    assert "review_on" in error.value.message_dict


def test_the_form_suggests_accidental_for_a_first_incident_and_neglectful_when_earlier_concerns_are_shown(
    share, persona, signed_in
) -> None:
    hana = signed_in("hana")
    first = _low_level(persona, share(persona("tom"), raised_on=timezone.localdate() - dt.timedelta(days=20)))
    page = hana.get(reverse("concern_low_level", args=[first.pk])).content.decode()
    assert "Suggested: accidental" in page
    assert 'value="accidental" checked' in page
    second = _low_level(persona, share(persona("tom")))
    page = hana.get(reverse("concern_low_level", args=[second.pk])).content.decode()
    assert "Suggested: neglectful" in page
    assert 'value="neglectful" checked' in page


def test_on_the_page_the_missing_formal_plan_is_shown_beside_its_box_and_the_plan_then_shows_on_the_concern(
    share, persona, signed_in
) -> None:
    concern = _low_level(persona, share(persona("tom")))
    hana = signed_in("hana")
    url = reverse("concern_low_level", args=[concern.pk])
    today = timezone.localdate()
    form = {
        "version": 0, "investigation_steps": "Spoke to Tom and to Chris.", "breach_category": "one_to_one",
        "further_action": "none", "matrix_column": "neglectful",
        "review_on_day": today.day, "review_on_month": today.month, "review_on_year": today.year + 1,
    }  # fmt: skip
    refused = hana.post(url, form).content.decode()
    assert "Enter the formal plan for addressing the behaviour" in refused
    assert "govuk-error-summary" in refused
    saved = hana.post(url, {**form, "formal_plan": "Weekly check-ins with the DSL."})
    assert saved.status_code == 302
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Neglectful (a further incident)" in detail
    assert "Weekly check-ins with the DSL." in detail
