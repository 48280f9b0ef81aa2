"""Section 11: "After any cases where an investigation has been conducted, the case manager will review the
circumstances of the case with the LADO and Headteacher … This will be logged under the 'Lessons Learned' tab"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.allegations import selectors, services
from threshold.allegations.models import Allegation, Route, Step
from threshold.timescales.models import Deadline, DeadlineState

TODAY = timezone.localdate


def _investigate_and_conclude(persona, allegation: Allegation, route: str = Route.INVESTIGATION) -> None:
    hana = persona("hana")
    services.step_record(
        actor=hana,
        allegation=allegation,
        step=Step.DISCUSS_WITH_LADO,
        done_on=TODAY(),
        decision="Agreed with the LADO.",
        route=route,
    )
    services.outcome_record(
        actor=hana,
        allegation=allegation,
        report="Two witnesses and CCTV.",
        outcome="unsubstantiated",
        concluded_on=TODAY(),
    )


def _review(allegation: Allegation) -> Deadline | None:
    return Deadline.objects.filter(allegation=allegation, kind="lessons-review").first()


def test_after_an_investigated_case_the_lessons_learned_review_falls_due(signed_in, persona, chris_allegation) -> None:
    _investigate_and_conclude(persona, chris_allegation)
    row = _review(chris_allegation)
    assert row is not None
    assert row.state == DeadlineState.OPEN
    assert row.due_on == TODAY()
    assert row.label == "Review the case for lessons learned"
    chris_allegation.refresh_from_db()
    assert "Review the case for lessons learned" in [item.text for item in selectors.due_items(chris_allegation)]
    html = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "review the circumstances of the case with the LADO and the headteacher" in html
    assert reverse("allegation_lessons_review", args=[chris_allegation.pk]) in html


def test_reviewed_no_lessons_is_recordable_and_meets_the_review(signed_in, persona, chris_allegation) -> None:
    _investigate_and_conclude(persona, chris_allegation)
    chris_allegation.refresh_from_db()
    url = reverse("allegation_lessons_review", args=[chris_allegation.pk])
    hana = signed_in("hana")
    response = hana.post(url, {"reviewed_with": ""})
    assert response.status_code == 200
    assert "Enter who the case was reviewed with" in response.content.decode()
    today = TODAY()
    response = hana.post(
        url,
        {
            "reviewed_on_day": today.day,
            "reviewed_on_month": today.month,
            "reviewed_on_year": today.year,
            "reviewed_with": "The LADO and the headteacher",
        },
    )
    assert response.status_code == 302
    row = _review(chris_allegation)
    assert row is not None
    assert row.state == DeadlineState.MET
    assert row.met_on == today
    html = hana.get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Reviewed with The LADO and the headteacher on" in html
    assert "no lessons learned." in html


def test_logging_a_lesson_also_meets_the_review(persona, chris_allegation) -> None:
    _investigate_and_conclude(persona, chris_allegation)
    chris_allegation.refresh_from_db()
    services.lesson_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        text="Two adults supervise PE changing rooms.",
        reviewed_with="The LADO and the headteacher",
    )
    row = _review(chris_allegation)
    assert row is not None
    assert row.state == DeadlineState.MET
    # What stays due is section 8's record on file and telling the adult the outcome, not the review.
    assert [item.text for item in selectors.due_items(chris_allegation)] == [
        "Record what is kept on the confidential file",
        "Tell the adult the outcome",
    ]


def test_no_review_falls_due_after_no_further_action(persona, chris_allegation) -> None:
    _investigate_and_conclude(persona, chris_allegation, route=Route.NO_FURTHER_ACTION)
    assert _review(chris_allegation) is None


def test_the_review_waits_for_the_outcome(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.lessons_review_record(
            actor=persona("hana"), allegation=chris_allegation, reviewed_on=TODAY(), reviewed_with="The LADO"
        )
    assert raised.value.message_dict["__all__"] == ["Record the outcome before the review of the case"]


def test_the_review_due_is_in_hanas_work_until_done_and_keeps_the_allegation_on_her_home_page(
    signed_in, persona, chris_allegation
) -> None:
    _investigate_and_conclude(persona, chris_allegation)
    hana = signed_in("hana")
    home = hana.get("/").content.decode()
    assert chris_allegation.reference in home.split("Concluded allegations still to follow up")[1].split("</ul>")[0]
    assert "Review the case for lessons learned" in hana.get(reverse("my_work")).content.decode()
    services.lessons_review_record(
        actor=persona("hana"), allegation=chris_allegation, reviewed_on=TODAY(), reviewed_with="The LADO"
    )
    assert "Review the case for lessons learned" not in hana.get(reverse("my_work")).content.decode()
