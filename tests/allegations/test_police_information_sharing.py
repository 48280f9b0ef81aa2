"""Policy 5.3: the academy will "share information as appropriate, on completion of an investigation or related
prosecution".

Once the police have been involved, Hana (the head, case manager) recording that they no longer are is asked what
she has shared, and with whom. Until a police record says so, sharing is due on the allegation from the day the
police's part ended: on its page, in her work list and reminders, and in the allegation list's overdue count. A
prosecution may end after the employer's own outcome, so the outcome does not stop it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.allegations.conftest import concluded_unfounded, police_recorded
from tests.clock import on
from tests.notifications.test_reminders import run
from threshold.allegations.models import Allegation, PoliceInvolvement
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.chronology.models import ChronologyEntry
from threshold.notifications.models import EmailDelivery, Notification
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list
from threshold.timescales.services import deadline_close

pytestmark = pytest.mark.django_db

SHARING = "police-information-shared"
DUE_TEXT = "Share information now the police investigation or prosecution is complete"
SHARED = "Told the LADO and HR that the police took no further action; the LADO tells the parents."


def _police(persona, allegation: Allegation, day: dt.date, *, involved: bool, **extra) -> PoliceInvolvement:
    """Hana records the police's part on ``day``; while they are involved, she reviews their progress in a week."""
    if involved and allegation.status != "concluded":
        extra.setdefault("next_review_on", day + dt.timedelta(days=7))
    return police_recorded(persona, allegation, day, involved=involved, **extra)


def _page(signed_in, allegation: Allegation, day: dt.date) -> str:
    with on(day):
        return signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


def _due(page: str) -> str:
    """The page's "Due and overdue" list alone."""
    start = page.index('id="due"')
    return page[start : page.index('id="steps"', start)]


def _overdue_on_list(signed_in, day: dt.date) -> int:
    with on(day):
        html = signed_in("hana").get(reverse("allegation_list")).content.decode()
    return int(re.findall(r"(\d+) overdue</strong>", html)[0])


def test_nothing_is_asked_about_sharing_before_the_police_have_been_involved(signed_in, chris_allegation) -> None:
    url = reverse("allegation_police", args=[chris_allegation.pk])
    with on(dt.date(2026, 12, 1)):
        form = signed_in("hana").get(url).content.decode()
        saved = signed_in("hana").post(
            url, {"involved": "no", "consent_to_share": "not_asked", "information_shared": SHARED}
        )

    assert "what information have you shared" not in form
    assert saved.status_code == 302
    assert PoliceInvolvement.objects.get(allegation=chris_allegation).information_shared == ""
    assert not Deadline.objects.filter(allegation=chris_allegation, kind=SHARING).exists()


def test_the_police_finishing_on_christmas_eve_with_nothing_shared_is_due_until_hana_says_what_she_shared(
    persona, signed_in, chris_allegation
) -> None:
    # Hana will review the police's progress in February: no other police clock is overdue at Christmas.
    _police(persona, chris_allegation, dt.date(2026, 12, 1), involved=True, next_review_on=dt.date(2027, 2, 1))
    before = _overdue_on_list(signed_in, dt.date(2026, 12, 29))
    url = reverse("allegation_police", args=[chris_allegation.pk])
    with on(dt.date(2026, 12, 24)):
        form = signed_in("hana").get(url).content.decode()
        ended = signed_in("hana").post(url, {"involved": "no", "consent_to_share": "given"})
    assert "If the police are no longer involved: what information have you shared, and with whom?" in form
    assert ended.status_code == 302

    row = Deadline.objects.get(allegation=chris_allegation, kind=SHARING)
    completion = PoliceInvolvement.objects.filter(allegation=chris_allegation).latest("recorded_at", "pk")
    assert (row.key, row.due_on, row.state, row.owner, row.label) == (
        f"completion-{completion.pk}",
        dt.date(2026, 12, 24),
        DeadlineState.OPEN,
        persona("hana"),
        "Information sharing (policy 5.3)",
    )
    assert row.source.startswith("Policy 5.3: share information as appropriate")

    # Tuesday 29 December, after the bank holidays: overdue on the page, in her work list and on the list.
    page = _page(signed_in, chris_allegation, dt.date(2026, 12, 29))
    assert DUE_TEXT in _due(page)
    assert "Overdue" in _due(page)
    assert "What was shared on the completion of the police&#39;s part is not recorded yet." in page
    with on(dt.date(2026, 12, 29)):
        overdue = work_list(persona("hana"))["overdue"]
    assert row.pk in {item.deadline.pk for item in overdue}
    assert _overdue_on_list(signed_in, dt.date(2026, 12, 29)) == before + 1

    # 4 January 2027: Hana has told the LADO and HR, and records it.
    unshared = _overdue_on_list(signed_in, dt.date(2027, 1, 4))
    _police(persona, chris_allegation, dt.date(2027, 1, 4), involved=False, information_shared=SHARED)

    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date(2027, 1, 4))
    page = _page(signed_in, chris_allegation, dt.date(2027, 1, 4))
    assert DUE_TEXT not in _due(page)
    assert "Information shared on completion: Told the LADO and HR" in page
    assert _overdue_on_list(signed_in, dt.date(2027, 1, 4)) == unshared - 1


def test_what_was_shared_said_with_the_completion_meets_it_that_day_and_an_answer_yes_keeps_none(
    persona, signed_in, chris_allegation
) -> None:
    _police(persona, chris_allegation, dt.date(2027, 3, 24), involved=True)
    url = reverse("allegation_police", args=[chris_allegation.pk])
    form = {"consent_to_share": "given", "information_shared": SHARED}
    with on(dt.date(2027, 3, 25)):
        # Typed, then the answer changed to "Yes": the police are still involved, so nothing is complete.
        still = signed_in("hana").post(url, {**form, "involved": "yes", "next_review_on_day": "1"} | _month(4, 2027))
    assert still.status_code == 302
    assert PoliceInvolvement.objects.filter(allegation=chris_allegation).latest("pk").information_shared == ""

    # Maundy Thursday: the police are done, and she says what she shared in the same record.
    with on(dt.date(2027, 3, 25)):
        signed_in("hana").post(url, {**form, "involved": "no"})

    row = Deadline.objects.get(allegation=chris_allegation, kind=SHARING)
    assert (row.due_on, row.state, row.met_on) == (dt.date(2027, 3, 25), DeadlineState.MET, dt.date(2027, 3, 25))
    assert DUE_TEXT not in _due(_page(signed_in, chris_allegation, dt.date(2027, 3, 30)))


def _month(month: int, year: int) -> dict[str, str]:
    return {"next_review_on_month": str(month), "next_review_on_year": str(year)}


def test_a_prosecution_ending_after_the_outcome_still_asks_what_was_shared(
    persona, signed_in, chris_allegation
) -> None:
    _police(persona, chris_allegation, dt.date(2027, 5, 4), involved=True, proceedings_authorised=True)
    concluded_unfounded(persona, chris_allegation, dt.date(2027, 5, 20))
    before = _overdue_on_list(signed_in, dt.date(2027, 5, 27))

    # The Thursday before the late May bank holiday: the court case ends.
    _police(persona, chris_allegation, dt.date(2027, 5, 27), involved=False)

    row = Deadline.objects.get(allegation=chris_allegation, kind=SHARING)
    assert (row.due_on, row.state) == (dt.date(2027, 5, 27), DeadlineState.OPEN)
    page = _page(signed_in, chris_allegation, dt.date(2027, 6, 1))
    assert DUE_TEXT in _due(page)
    assert _overdue_on_list(signed_in, dt.date(2027, 6, 1)) == before + 1


def test_the_police_involved_again_before_anything_is_shared_stops_that_sharing_and_their_next_end_asks_again(
    persona, chris_allegation
) -> None:
    _police(persona, chris_allegation, dt.date(2027, 1, 5), involved=True)
    first = _police(persona, chris_allegation, dt.date(2027, 1, 12), involved=False)
    _police(persona, chris_allegation, dt.date(2027, 2, 1), involved=True)  # new evidence: they look again
    second = _police(persona, chris_allegation, dt.date(2027, 3, 1), involved=False, information_shared=SHARED)

    rows = {
        row.key: (row.due_on, row.state, row.met_on, row.reason)
        for row in Deadline.objects.filter(allegation=chris_allegation, kind=SHARING)
    }
    assert rows == {
        f"completion-{first.pk}": (
            dt.date(2027, 1, 12),
            DeadlineState.STOPPED,
            None,
            "The police were involved again from 1 February 2027.",
        ),
        f"completion-{second.pk}": (dt.date(2027, 3, 1), DeadlineState.MET, dt.date(2027, 3, 1), ""),
    }


def test_upgrading_asks_nothing_of_the_police_records_made_before_the_question(persona, chris_allegation) -> None:
    _police(persona, chris_allegation, dt.date(2026, 1, 5), involved=True)
    _police(persona, chris_allegation, dt.date(2026, 2, 2), involved=False)
    # As the migration leaves the records made before this release.
    PoliceInvolvement.objects.filter(allegation=chris_allegation).update(sharing_asked=False)
    Deadline.objects.filter(allegation=chris_allegation, kind=SHARING).delete()

    with on(dt.date(2026, 12, 1)):
        allegation_deadlines_sync(chris_allegation)

    assert not Deadline.objects.filter(allegation=chris_allegation, kind=SHARING).exists()


def test_an_allegation_imported_concluded_is_asked_what_was_shared_when_the_police_finish_after_the_import(
    persona, chris_allegation
) -> None:
    concluded_unfounded(persona, chris_allegation, dt.date(2026, 11, 2))
    Allegation.objects.filter(pk=chris_allegation.pk).update(imported=True)  # as a spreadsheet brought it in
    chris_allegation.refresh_from_db()
    _police(persona, chris_allegation, dt.date(2026, 11, 20), involved=True)
    _police(persona, chris_allegation, dt.date(2026, 12, 1), involved=False)

    row = Deadline.objects.get(allegation=chris_allegation, kind=SHARING)
    assert (row.state, row.due_on) == (DeadlineState.OPEN, dt.date(2026, 12, 1))


def test_hana_can_mark_sharing_as_not_needed_and_the_page_says_why(persona, signed_in, chris_allegation) -> None:
    _police(persona, chris_allegation, dt.date(2026, 12, 1), involved=True)
    _police(persona, chris_allegation, dt.date(2026, 12, 10), involved=False)
    row = Deadline.objects.get(allegation=chris_allegation, kind=SHARING)
    page = _page(signed_in, chris_allegation, dt.date(2026, 12, 11))
    assert reverse("deadline_close", args=[row.pk]) in page[page.index('id="police"') :]

    with on(dt.date(2026, 12, 11)):
        deadline_close(
            actor=persona("hana"),
            deadline=row,
            reason="The LADO shares the police's result at the case's evaluation meeting.",
            expected_version=row.version,
        )

    page = _page(signed_in, chris_allegation, dt.date(2026, 12, 11))
    assert DUE_TEXT not in _due(page)
    assert "not recorded yet" not in page
    assert "marked as not needed: The LADO shares the police&#39;s result" in page
    assert reverse("deadline_close", args=[row.pk]) not in page


def test_the_chronology_says_what_a_record_made_to_say_what_was_shared_records(persona, chris_allegation) -> None:
    _police(persona, chris_allegation, dt.date(2026, 12, 1), involved=True)
    _police(persona, chris_allegation, dt.date(2026, 12, 10), involved=False)
    concluded_unfounded(persona, chris_allegation, dt.date(2026, 12, 14))
    _police(persona, chris_allegation, dt.date(2026, 12, 15), involved=False, information_shared=SHARED)

    texts = list(
        ChronologyEntry.objects.filter(allegation=chris_allegation, text__startswith="Police")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert texts[-2:] == [
        "Police no longer involved: the internal investigation may proceed.",
        "Police still not involved. Information shared on completion recorded.",
    ]


def test_the_reminder_of_missed_sharing_names_neither_the_adult_nor_the_police(persona, chris_allegation) -> None:
    _police(persona, chris_allegation, dt.date(2026, 12, 1), involved=True, next_review_on=dt.date(2027, 2, 1))
    _police(persona, chris_allegation, dt.date(2026, 12, 24), involved=False)

    run(dt.date(2026, 12, 29))

    said = [
        note.text
        for note in Notification.objects.filter(recipient=persona("hana"), key__endswith=":overdue")
        if "Information sharing" in note.text
    ]
    reference = chris_allegation.reference
    assert said == [f"Deadline missed: Information sharing (policy 5.3) on {reference} was due 24 December 2026"]
    emails = [delivery.body for delivery in EmailDelivery.objects.filter(recipient=persona("hana"))]
    assert any("Information sharing (policy 5.3)" in body for body in emails)
    assert not any("police" in body.lower() or "Chris" in body for body in emails)
