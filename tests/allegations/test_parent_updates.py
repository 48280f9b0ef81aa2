"""Step 9: "Keep the parents or carers of the child/children involved informed of the progress of the case
(only in relation to their child – no information will be shared regarding the staff member)".

A log of each contact (date, who was informed, how, a note), each kept and shown in order, never one latest
entry that supersedes the earlier one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from threshold.allegations import selectors, services
from threshold.allegations.models import Allegation, ParentUpdate, Step
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db


def log(persona, allegation: Allegation, given_on: dt.date, note: str, method: str = "phone") -> ParentUpdate:
    """Hana logs one contact with the pupil's parents."""
    return services.parent_update_add(
        actor=persona("hana"),
        allegation=allegation,
        given_on=given_on,
        informed="Tom's mother and father",
        method=method,
        note=note,
    )


@pytest.fixture
def allegation(persona, chris_allegation: Allegation) -> Allegation:
    """The demo allegation about Chris Coach, which came to Oakfield's attention a week ago."""
    return update_details(persona, chris_allegation, came_to_attention_on=timezone.localdate() - dt.timedelta(days=7))


def step_9(allegation: Allegation) -> selectors.ChecklistItem:
    return next(item for item in selectors.checklist(allegation) if item.step == Step.PARENTS_KEPT_INFORMED)


def test_each_contact_with_the_parents_is_kept_in_order_none_supersedes_another(persona, allegation) -> None:
    today = timezone.localdate()
    second = log(persona, allegation, today, "The investigation has started; we will call again next week.")
    first = log(persona, allegation, today - dt.timedelta(days=1), "The allegation is being looked into.", "letter")

    item = step_9(allegation)
    assert item.done
    assert item.contacts == [first, second]
    assert ParentUpdate.objects.filter(allegation=allegation).count() == 2
    assert (
        AuditEvent.objects.filter(action="allegation.parents_kept_informed", record_id=str(allegation.pk)).count() == 2
    )
    assert ChronologyEntry.objects.filter(text__startswith="9. Keep the parents or carers informed").count() == 2


def test_the_allegation_page_lists_every_contact_under_step_9(persona, signed_in, allegation) -> None:
    today = timezone.localdate()
    log(persona, allegation, today - dt.timedelta(days=1), "The allegation is being looked into.", "letter")
    log(persona, allegation, today, "The investigation has started.")

    html = signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk])).content.decode()
    row = html[html.index('id="step-parents-kept-informed"') :]
    row = row[: row.index("</tr>")]
    assert "Kept informed 2 times:" in row
    earlier, later = row.index("The allegation is being looked into."), row.index("The investigation has started.")
    assert earlier < later
    assert "Tom&#39;s mother and father, by letter" in row
    assert "Log a contact" in row


def test_a_contact_needs_a_date_who_how_and_what_and_nothing_is_half_saved(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.parent_update_add(
            actor=persona("hana"), allegation=chris_allegation, given_on=None, informed=" ", method="", note=""
        )
    assert raised.value.message_dict == {
        "given_on": ["Enter the date the parents or carers were informed"],
        "informed": ["Enter who was informed, for example the parents of the child involved"],
        "method": ["Choose how the parents or carers were informed"],
        "note": ["Enter what they were told about the progress of the case"],
    }
    assert not ParentUpdate.objects.exists()


def test_step_9_is_no_longer_one_record_that_supersedes_the_last(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            step=Step.PARENTS_KEPT_INFORMED,
            done_on=timezone.localdate(),
            decision="Told the parents.",
        )
    assert "step 9 keeps every contact" in raised.value.messages[0]


def test_the_form_logs_a_contact_and_the_old_step_address_leads_to_it(signed_in, chris_allegation) -> None:
    client = signed_in("hana")
    old = client.get(reverse("allegation_step", args=[chris_allegation.pk, Step.PARENTS_KEPT_INFORMED.value]))
    url = reverse("allegation_parent_update", args=[chris_allegation.pk])
    assert old.status_code == 302
    assert old.url == url
    form = client.get(url).content.decode()
    assert "no information is shared regarding the staff member" in form

    blank = client.post(url, {})
    assert blank.status_code == 200
    assert "Enter the date the parents or carers were informed" in blank.content.decode()

    today = timezone.localdate()
    response = client.post(
        url,
        {
            "given_on_day": str(today.day),
            "given_on_month": str(today.month),
            "given_on_year": str(today.year),
            "informed": "Tom's parents",
            "method": "in_person",
            "note": "The LADO has been consulted.",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("#step-parents-kept-informed")
    assert ParentUpdate.objects.get(allegation=chris_allegation).method == "in_person"


def test_telling_the_parents_the_outcome_after_it_is_recorded_settles_step_9(persona, chris_allegation) -> None:
    today = timezone.localdate()
    services.outcome_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        report="The account was not supported.",
        outcome="unfounded",
        concluded_on=today,
    )
    key = f"allegation:{chris_allegation.pk}"
    assert Deadline.objects.filter(record_key=key, kind="step-parents-kept-informed").exists()

    log(persona, Allegation.objects.get(pk=chris_allegation.pk), today, "The case has ended: it was unfounded.")

    assert not Deadline.objects.filter(record_key=key, kind="step-parents-kept-informed").exists()
