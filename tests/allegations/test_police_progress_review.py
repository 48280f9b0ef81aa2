"""Policy 5.3: the academy reviews "the progress of cases in which there is a Police Officer investigation".

The policy gives no interval, so when Hana (the head, case manager) records that the police are involved she is
asked when she will next review their investigation's progress. That date is a deadline on the allegation, in her
work list and reminders, and on the allegation page; the next police record (an update, the police's authority
to proceed, or that they are no longer involved) meets it. A date a person chose is never moved by a holiday.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.allegations.conftest import concluded_unfounded, police_recorded
from tests.clock import LONDON, on
from tests.notifications.test_reminders import run
from threshold.allegations.models import Allegation, PoliceInvolvement
from threshold.notifications.models import EmailDelivery, Notification
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list
from threshold.timescales.services import deadline_close

pytestmark = pytest.mark.django_db

REVIEW = "police-progress-review"


def _reviews(allegation: Allegation) -> list[tuple[dt.date, str, dt.date | None]]:
    rows = Deadline.objects.filter(allegation=allegation, kind=REVIEW).order_by("due_on")
    return [(row.due_on, row.state, row.met_on) for row in rows]


def _form(day: dt.date | None = None) -> dict[str, str]:
    data = {"involved": "yes", "police_reference": "NP/55", "consent_to_share": "requested", "notes": ""}
    if day is not None:
        data |= {"next_review_on_day": str(day.day), "next_review_on_month": str(day.month)}
        data["next_review_on_year"] = str(day.year)
    return data


def test_recording_the_police_involved_without_a_review_date_says_so_beside_the_date_and_saves_nothing(
    signed_in, chris_allegation
) -> None:
    client = signed_in("hana")
    url = reverse("allegation_police", args=[chris_allegation.pk])

    with on(dt.date(2026, 12, 1)):
        response = client.post(url, _form())

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    message = "Enter when you will next review the progress of the police investigation"
    assert f'href="#id_next_review_on_day">{message}' in html
    beside = r'id="next_review_on-date-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span> '
    assert re.search(beside + message, html)
    assert not PoliceInvolvement.objects.filter(allegation=chris_allegation).exists()

    with on(dt.date(2026, 12, 1)):
        response = client.post(url, _form(dt.date(2026, 11, 30)))
    assert "The next review of the police investigation must be today or in the future" in response.content.decode()
    assert not PoliceInvolvement.objects.filter(allegation=chris_allegation).exists()


def test_the_review_hana_chooses_falls_due_on_christmas_eve_and_each_police_record_meets_the_one_before(
    persona, signed_in, chris_allegation
) -> None:
    # 1 December: the police are investigating; Hana will review their progress on Christmas Eve.
    with on(dt.date(2026, 12, 1)):
        response = signed_in("hana").post(
            reverse("allegation_police", args=[chris_allegation.pk]), _form(dt.date(2026, 12, 24))
        )
    assert response.status_code == 302
    row = Deadline.objects.get(allegation=chris_allegation, kind=REVIEW)
    assert (row.due_on, row.state, row.owner, row.label) == (
        dt.date(2026, 12, 24),
        DeadlineState.OPEN,
        persona("hana"),
        "Progress review (policy 5.3)",  # emailed: nothing says the police are involved
    )
    assert row.source.startswith("Policy 5.3")
    with on(dt.date(2026, 12, 2)):
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Next review of the police investigation&#39;s progress: 24 December 2026." in page

    # Tuesday 29 December, the first working day after Christmas: it is overdue in her work list.
    with time_machine.travel(dt.datetime(2026, 12, 29, 9, tzinfo=LONDON), tick=False):
        overdue = work_list(persona("hana"))["overdue"]
    assert REVIEW in {item.deadline.kind for item in overdue if item.deadline.allegation_id == chris_allegation.pk}

    # 5 January 2027: Hana records the police's update and the next review, after Easter Monday.
    police_recorded(persona, chris_allegation, dt.date(2027, 1, 5), next_review_on=dt.date(2027, 3, 29))
    assert _reviews(chris_allegation) == [
        (dt.date(2026, 12, 24), DeadlineState.MET, dt.date(2027, 1, 5)),
        (dt.date(2027, 3, 29), DeadlineState.OPEN, None),  # Easter Monday: the date she chose, not moved
    ]

    # 27 May 2027: the police are no longer involved; that meets the review and asks for no other.
    police_recorded(
        persona, chris_allegation, dt.date(2027, 5, 27), involved=False, next_review_on=dt.date(2027, 5, 31)
    )
    assert _reviews(chris_allegation) == [
        (dt.date(2026, 12, 24), DeadlineState.MET, dt.date(2027, 1, 5)),
        (dt.date(2027, 3, 29), DeadlineState.MET, dt.date(2027, 5, 27)),
    ]
    # A date typed before answering "No" is not kept.
    assert PoliceInvolvement.objects.filter(allegation=chris_allegation).latest("pk").next_review_on is None


def test_a_review_due_after_the_outcome_no_longer_applies_once_the_outcome_is_recorded(
    persona, chris_allegation
) -> None:
    police_recorded(persona, chris_allegation, dt.date(2027, 5, 20), next_review_on=dt.date(2027, 6, 30))
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 5, 28))

    row = Deadline.objects.get(allegation=chris_allegation, kind=REVIEW)
    assert (row.state, row.reason) == (
        DeadlineState.STOPPED,
        "The outcome was recorded on 28 May 2027, before the review date.",
    )


def test_the_reminder_of_a_missed_review_names_neither_the_adult_nor_the_police(persona, chris_allegation) -> None:
    police_recorded(persona, chris_allegation, dt.date(2026, 12, 1), next_review_on=dt.date(2026, 12, 24))

    run(dt.date(2026, 12, 29))

    notes = Notification.objects.filter(recipient=persona("hana"), key__endswith=":overdue")
    said = [note.text for note in notes if "Progress review" in note.text]
    assert said == [
        f"Deadline missed: Progress review (policy 5.3) on {chris_allegation.reference} was due 24 December 2026"
    ]
    emails = [delivery.body for delivery in EmailDelivery.objects.filter(recipient=persona("hana"))]
    assert emails
    assert not any("police" in body.lower() or "Chris" in body for body in emails)


def test_a_missed_review_counts_on_the_allegation_list_until_the_police_are_recorded_again(
    persona, signed_in, chris_allegation
) -> None:
    overdue = re.compile(r"(\d+) overdue</strong>")
    police_recorded(persona, chris_allegation, dt.date(2026, 12, 1), next_review_on=dt.date(2026, 12, 2))
    with on(dt.date(2026, 12, 10)):
        missed = int(overdue.findall(signed_in("hana").get(reverse("allegation_list")).content.decode())[0])
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Review the police investigation&#39;s progress" in page[page.index('id="due"') :]

    police_recorded(persona, chris_allegation, dt.date(2026, 12, 10), next_review_on=dt.date(2027, 1, 7))
    with on(dt.date(2026, 12, 10)):
        reviewed = int(overdue.findall(signed_in("hana").get(reverse("allegation_list")).content.decode())[0])
    assert reviewed == missed - 1


def test_a_review_hana_closes_as_not_needed_leaves_the_allegation_page_too(
    persona, signed_in, chris_allegation
) -> None:
    police_recorded(persona, chris_allegation, dt.date(2026, 12, 1), next_review_on=dt.date(2026, 12, 2))
    row = Deadline.objects.get(allegation=chris_allegation, kind=REVIEW)
    with on(dt.date(2026, 12, 10)):
        deadline_close(
            actor=persona("hana"),
            deadline=row,
            reason="The police charged the adult; the LADO reviews progress at the case's meetings.",
            expected_version=row.version,
        )
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Review the police investigation&#39;s progress" not in page[page.index('id="due"') :]


def test_every_missing_answer_shows_at_once_and_a_date_is_not_asked_once_the_police_are_not_involved(
    signed_in, chris_allegation
) -> None:
    client = signed_in("hana")
    url = reverse("allegation_police", args=[chris_allegation.pk])
    with on(dt.date(2026, 12, 1)):
        both = client.post(url, {"involved": "yes"}).content.decode()
        # "No", with a date half typed before changing the answer: saved, the date ignored.
        saved = client.post(url, {"involved": "no", "consent_to_share": "given", "next_review_on_day": "31"})
    assert 'href="#id_consent_to_share">' in both
    assert 'href="#id_next_review_on_day">Enter when you will next review' in both
    assert saved.status_code == 302
    record = PoliceInvolvement.objects.get(allegation=chris_allegation)
    assert (record.involved, record.next_review_on) == (False, None)


def test_a_police_record_made_before_the_date_was_asked_for_says_no_review_is_set(
    persona, signed_in, chris_allegation
) -> None:
    police_recorded(persona, chris_allegation, dt.date(2026, 12, 1), next_review_on=dt.date(2026, 12, 24))
    PoliceInvolvement.objects.filter(allegation=chris_allegation).update(next_review_on=None)  # as migrated rows are
    with on(dt.date(2026, 12, 2)):
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "No review of the police investigation&#39;s progress is set" in page


def test_a_past_review_date_is_said_with_the_forms_other_errors(signed_in, chris_allegation) -> None:
    with on(dt.date(2026, 12, 1)):
        html = (
            signed_in("hana")
            .post(
                reverse("allegation_police", args=[chris_allegation.pk]),
                {"involved": "yes", **{k: v for k, v in _form(dt.date(2026, 11, 30)).items() if k.startswith("next")}},
            )
            .content.decode()
        )
    assert 'href="#id_consent_to_share">' in html
    assert 'href="#id_next_review_on_day">The next review of the police investigation must be today' in html


def test_once_concluded_the_police_form_asks_no_review_date(persona, signed_in, chris_allegation) -> None:
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 1, 8))
    url = reverse("allegation_police", args=[chris_allegation.pk])
    with on(dt.date(2027, 1, 11)):
        form = signed_in("hana").get(url).content.decode()
        saved = signed_in("hana").post(url, {"involved": "yes", "consent_to_share": "given"})
    assert "When will you next review" not in form
    assert saved.status_code == 302
    assert PoliceInvolvement.objects.get(allegation=chris_allegation).next_review_on is None
    assert not Deadline.objects.filter(allegation=chris_allegation, kind=REVIEW).exists()


def test_a_review_missed_before_the_outcome_stays_on_the_concluded_allegations_page_as_in_the_work_list(
    persona, signed_in, chris_allegation
) -> None:
    police_recorded(persona, chris_allegation, dt.date(2026, 12, 1), next_review_on=dt.date(2026, 12, 2))
    concluded_unfounded(persona, chris_allegation, dt.date(2026, 12, 10))
    assert Deadline.objects.get(allegation=chris_allegation, kind=REVIEW).state == DeadlineState.OPEN

    with on(dt.date(2026, 12, 11)):
        page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    due = page[page.index('id="due"') :]
    assert "Review the police investigation&#39;s progress" in due
    assert "2 December 2026" in due
