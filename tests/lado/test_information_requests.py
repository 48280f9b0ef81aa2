"""Auto-chase: the LADO asks the employer's case manager for information; the product reminds, chases, and the
reply lands on the case. Nobody outside the employer and the LADO service sees the request, and no message
the product sends carries what was asked or anyone's name.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.forms import date_boxes
from tests.lado.nursery import nursery_allegation, open_nursery_case
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.core.errors import ConflictError
from threshold.lado.models import Case, ChaseStage, Contact, InformationChase, InformationRequest, RequestStatus
from threshold.lado.services.request_chases import requests_chase
from threshold.lado.services.requests import (
    information_reply,
    information_request,
    information_withdraw,
    request_deadlines_sync,
)
from threshold.notifications.models import EmailDelivery, Notification
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list

LONDON = ZoneInfo("Europe/London")
WHAT = "Please send the notes of the nappy change and the staff rota for that morning."
SYSTEM = AuditContext.system("remind")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def _ask(
    persona, case: Case, due_on: dt.date, *, chase_every_days: int = 3, chase_limit: int = 3
) -> InformationRequest:
    return information_request(
        actor=persona("lara"),
        case=case,
        what=WHAT,
        due_on=due_on,
        chase_every_days=chase_every_days,
        chase_limit=chase_limit,
    )


def _work_items(user, kind: str = "information-request") -> list:
    groups = work_list(user, everything=True)
    return [item for items in groups.values() for item in items if item.deadline.kind == kind]


def _stages(request: InformationRequest) -> list[tuple[str, int, dt.date]]:
    return [(chase.stage, chase.number, chase.sent_on) for chase in InformationChase.objects.filter(request=request)]


# Making a request


def test_lara_asks_nina_and_the_request_is_in_ninas_work_list(persona, nursery_case: Case, ids) -> None:
    due = dt.date.today() + dt.timedelta(days=7)
    request = _ask(persona, nursery_case, due)
    allegation = nursery_allegation(ids)
    assert request.asked_of == persona("nina")
    assert request.allegation == allegation
    assert _stages(request) == [(ChaseStage.REQUESTED, 0, dt.date.today())]
    items = _work_items(persona("nina"))
    assert [(item.deadline.label, item.deadline.due_on, item.deadline.reference) for item in items] == [
        ("Request for information from the LADO", due, allegation.reference)
    ]
    assert items[0].url == reverse("allegation_detail", args=[allegation.pk])
    assert ChronologyEntry.objects.filter(case=nursery_case, text__contains="Information requested").count() == 1
    assert not ChronologyEntry.objects.filter(case=nursery_case, text__contains=WHAT).exists()
    assert AuditEvent.objects.filter(action="case.information_requested", record_id=str(nursery_case.pk)).count() == 1
    notification = Notification.objects.get(recipient=persona("nina"), key=f"request:{request.pk}:requested")
    assert notification.text == f"Request for information on {allegation.reference}, due {due.day} {due:%B %Y}"
    assert notification.kind == "information_request"


def test_a_request_needs_what_a_date_today_or_later_and_sensible_chasing(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        information_request(
            actor=persona("lara"),
            case=nursery_case,
            what="  ",
            due_on=dt.date.today() - dt.timedelta(days=1),
            chase_every_days=0,
            chase_limit=11,
        )
    assert refused.value.message_dict == {
        "what": ["Enter what you are asking the employer for"],
        "due_on": ["The date you need it by must be today or in the future"],
        "chase_every_days": ["Chase every 1 to 28 days"],
        "chase_limit": ["Chase 0 to 10 times"],
    }
    with pytest.raises(ValidationError) as missing:
        information_request(actor=persona("lara"), case=nursery_case, what=WHAT, due_on=None)
    assert missing.value.message_dict == {"due_on": ["Enter the date you need it by"]}
    assert not InformationRequest.objects.filter(case=nursery_case).exists()


def test_a_case_that_did_not_come_from_an_allegation_in_threshold_cannot_be_asked(persona, nursery_case) -> None:
    Contact.objects.filter(pk=nursery_case.contact_id).update(allegation=None)
    nursery_case.refresh_from_db()
    nursery_case.contact.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _ask(persona, nursery_case, dt.date.today())
    assert "did not come from an employer's referral in Threshold" in refused.value.message_dict["__all__"][0]


def test_an_allegation_without_a_case_manager_cannot_be_asked(persona, nursery_case, ids) -> None:
    Allegation.objects.filter(pk=ids["allegation_nell"]).update(case_manager=None)
    nursery_case.contact.allegation.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _ask(persona, nursery_case, dt.date.today())
    assert "no case manager who can be asked" in refused.value.message_dict["__all__"][0]


def test_a_case_manager_who_could_be_the_adult_concerned_is_never_asked(persona, nursery_case, ids) -> None:
    allegation = nursery_allegation(ids)
    Person.objects.filter(pk=allegation.subject_id).update(email=persona("nina").email)
    nursery_case.contact.allegation.subject.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _ask(persona, nursery_case, dt.date.today())
    assert "no case manager who can be asked" in refused.value.message_dict["__all__"][0]
    assert not Notification.objects.filter(recipient=persona("nina"), kind="information_request").exists()


def test_a_case_manager_who_has_left_the_employer_is_never_asked_nor_chased(persona, nursery_case, ids) -> None:
    from threshold.accounts.models import Membership

    with time_machine.travel(_at(dt.date(2027, 5, 17)), tick=False):
        request = _ask(persona, nursery_case, dt.date(2027, 6, 1), chase_every_days=3, chase_limit=2)
    # Nina leaves the nursery: the allegation still names her as its case manager.
    Membership.objects.filter(user=persona("nina")).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        _ask(persona, nursery_case, dt.date.today())
    assert "no case manager who can be asked" in refused.value.message_dict["__all__"][0]
    requests_chase(on=dt.date(2027, 6, 4), audit_context=SYSTEM)
    assert [stage for stage, _number, _on in _stages(request)] == [ChaseStage.REQUESTED]


def test_only_the_lado_service_of_the_case_may_ask(persona, nursery_case: Case) -> None:
    for outsider in ("sam", "nina", "ada"):
        with pytest.raises(PermissionDenied):
            information_request(actor=persona(outsider), case=nursery_case, what=WHAT, due_on=dt.date.today())


# Reminders and chases


def test_the_reminder_goes_the_working_day_before_across_christmas(persona, ids) -> None:
    # Due Tuesday 29 December 2026: the 28th is the Boxing Day substitute, the 25th Christmas Day, then the weekend.
    with time_machine.travel(_at(dt.date(2026, 12, 14)), tick=False):
        case = open_nursery_case(persona, ids)
        request = _ask(persona, case, dt.date(2026, 12, 29))
        assert requests_chase(on=dt.date(2026, 12, 23), audit_context=SYSTEM) == []
        sent = requests_chase(on=dt.date(2026, 12, 24), audit_context=SYSTEM)
        assert [(chase.stage, chase.sent_on) for chase in sent] == [(ChaseStage.REMINDER, dt.date(2026, 12, 24))]
        assert requests_chase(on=dt.date(2026, 12, 28), audit_context=SYSTEM) == []
    reminder = Notification.objects.get(key=f"request:{request.pk}:reminder")
    assert reminder.recipient == persona("nina")
    assert reminder.text.startswith("Reminder: request for information on ")


def test_the_reminder_goes_the_working_day_before_across_easter(persona, ids) -> None:
    # Due Tuesday 30 March 2027: Easter Monday 29th and Good Friday 26th are bank holidays.
    with time_machine.travel(_at(dt.date(2027, 3, 15)), tick=False):
        case = open_nursery_case(persona, ids)
        request = _ask(persona, case, dt.date(2027, 3, 30))
        assert requests_chase(on=dt.date(2027, 3, 24), audit_context=SYSTEM) == []
        assert len(requests_chase(on=dt.date(2027, 3, 25), audit_context=SYSTEM)) == 1
    assert _stages(request)[-1] == (ChaseStage.REMINDER, 0, dt.date(2027, 3, 25))


def test_a_request_made_on_the_reminder_day_is_not_reminded_at_once(persona, nursery_case) -> None:
    today = dt.date.today()
    request = _ask(persona, nursery_case, today + dt.timedelta(days=1))
    requests_chase(on=today, audit_context=SYSTEM)
    assert [stage for stage, _, _ in _stages(request)] == [ChaseStage.REQUESTED]


def test_chases_follow_the_interval_up_to_the_limit_and_never_twice(persona, ids) -> None:
    # Due Tuesday 1 June 2027, after the late May bank holiday: reminded on Friday 28 May, not Monday 31 May.
    with time_machine.travel(_at(dt.date(2027, 5, 17)), tick=False):
        case = open_nursery_case(persona, ids)
        request = _ask(persona, case, dt.date(2027, 6, 1), chase_every_days=3, chase_limit=2)
    day = dt.date(2027, 5, 26)
    while day <= dt.date(2027, 6, 20):
        requests_chase(on=day, audit_context=SYSTEM)
        requests_chase(on=day, audit_context=SYSTEM)
        day += dt.timedelta(days=1)
    assert _stages(request) == [
        (ChaseStage.REQUESTED, 0, dt.date(2027, 5, 17)),
        (ChaseStage.REMINDER, 0, dt.date(2027, 5, 28)),
        (ChaseStage.CHASE, 1, dt.date(2027, 6, 4)),
        (ChaseStage.CHASE, 2, dt.date(2027, 6, 7)),
    ]
    texts = list(
        Notification.objects.filter(key__startswith=f"request:{request.pk}:chase").values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert texts[0].startswith("Chased: request for information on ")
    assert "(chase " in texts[0]
    chased = AuditEvent.objects.filter(action="case.information_chased", record_id=str(request.case_id))
    assert chased.count() == 2
    assert {event.actor_label for event in chased} == {"system:remind"}


def test_a_skipped_day_is_caught_up_with_the_latest_chase_only(persona, ids) -> None:
    with time_machine.travel(_at(dt.date(2026, 12, 1)), tick=False):
        case = open_nursery_case(persona, ids)
        request = _ask(persona, case, dt.date(2026, 12, 7), chase_every_days=3, chase_limit=3)
    # The pass did not run between 4 and 16 December: chases 1 (10th), 2 (13th) and 3 (16th) were due.
    sent = requests_chase(on=dt.date(2026, 12, 14), audit_context=SYSTEM)
    assert [(chase.stage, chase.number) for chase in sent] == [(ChaseStage.CHASE, 2)]
    assert requests_chase(on=dt.date(2026, 12, 15), audit_context=SYSTEM) == []
    assert [(c.number, c.sent_on) for c in requests_chase(on=dt.date(2026, 12, 20), audit_context=SYSTEM)] == [
        (3, dt.date(2026, 12, 20))
    ]
    assert requests_chase(on=dt.date(2026, 12, 30), audit_context=SYSTEM) == []
    assert [stage for stage, _, _ in _stages(request)].count(ChaseStage.CHASE) == 2


def test_a_missed_reminder_is_caught_up_before_the_date_but_not_after(persona, ids) -> None:
    with time_machine.travel(_at(dt.date(2026, 12, 1)), tick=False):
        case = open_nursery_case(persona, ids)
        early = _ask(persona, case, dt.date(2026, 12, 10), chase_limit=0)
        late = _ask(persona, case, dt.date(2026, 12, 8), chase_limit=0)
    # The reminder day (the 9th and the 7th) passed without a run; on the 9th only the one still ahead is reminded.
    sent = requests_chase(on=dt.date(2026, 12, 9), audit_context=SYSTEM)
    assert [(chase.request_id, chase.stage) for chase in sent] == [(early.pk, ChaseStage.REMINDER)]
    assert [stage for stage, _, _ in _stages(late)] == [ChaseStage.REQUESTED]


# The reply and withdrawal


def test_a_reply_is_announced_only_to_a_lado_who_asked_while_they_may_still_see_the_case(persona, nursery_case) -> None:
    from threshold.accounts.models import Membership

    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=5))
    Membership.objects.filter(user=persona("lara")).update(is_active=False)  # Lara has left the LADO service
    information_reply(actor=persona("nina"), request=request, reply="Sent.", expected_version=1)
    assert not Notification.objects.filter(recipient=persona("lara"), kind="information_reply").exists()


def test_ninas_reply_lands_on_the_case_and_meets_the_deadline(persona, signed_in, nursery_case, ids) -> None:
    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=5))
    information_reply(
        actor=persona("nina"), request=request, reply="Notes and rota attached to our record.", expected_version=1
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert request.replied_by == persona("nina")
    row = Deadline.objects.get(kind="information-request", key=f"request-{request.pk}")
    assert (row.state, row.met_on) == (DeadlineState.MET, dt.date.today())
    assert _work_items(persona("nina")) == []
    assert ChronologyEntry.objects.filter(case=nursery_case, text__contains="case manager replied").count() == 1
    assert not ChronologyEntry.objects.filter(case=nursery_case, text__contains="Notes and rota").exists()
    assert ChronologyEntry.objects.filter(allegation_id=ids["allegation_nell"], text__contains="Notes and rota").count()
    told = Notification.objects.get(recipient=persona("lara"), kind="information_reply")
    assert told.text == f"Reply to your request for information on {nursery_case.reference}"
    page = signed_in("lara").get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert "Notes and rota attached to our record." in page
    assert "Answered" in page
    assert requests_chase(on=dt.date.today() + dt.timedelta(days=30), audit_context=SYSTEM) == []


def test_a_reply_needs_words_and_a_second_reply_conflicts(persona, nursery_case) -> None:
    request = _ask(persona, nursery_case, dt.date.today())
    with pytest.raises(ValidationError) as empty:
        information_reply(actor=persona("nina"), request=request, reply=" ", expected_version=1)
    assert empty.value.message_dict == {"reply": ["Enter your reply to the LADO"]}
    information_reply(actor=persona("nina"), request=request, reply="Sent.", expected_version=1)
    stale = InformationRequest.objects.get(pk=request.pk)
    stale.status = RequestStatus.OPEN
    with pytest.raises(ConflictError):
        information_reply(actor=persona("nina"), request=stale, reply="Again.", expected_version=1)


def test_only_the_employers_handlers_may_reply(persona, nursery_case) -> None:
    request = _ask(persona, nursery_case, dt.date.today())
    for outsider in ("lara", "hana", "tom"):
        with pytest.raises(PermissionDenied):
            information_reply(actor=persona(outsider), request=request, reply="Hello.", expected_version=1)


def test_withdrawing_stops_the_chasing_and_leaves_the_work_list(persona, nursery_case) -> None:
    today = dt.date.today()
    request = _ask(persona, nursery_case, today + dt.timedelta(days=2))
    information_withdraw(actor=persona("lara"), request=request, expected_version=1)
    row = Deadline.objects.get(kind="information-request", key=f"request-{request.pk}")
    assert (row.state, row.reason) == (DeadlineState.STOPPED, "Withdrawn by the LADO")
    assert _work_items(persona("nina")) == []
    assert requests_chase(on=today + dt.timedelta(days=1), audit_context=SYSTEM) == []
    assert requests_chase(on=today + dt.timedelta(days=20), audit_context=SYSTEM) == []
    with pytest.raises(ValidationError):
        information_reply(actor=persona("nina"), request=request, reply="Late.", expected_version=2)
    with pytest.raises(PermissionDenied):
        information_withdraw(actor=persona("nina"), request=request, expected_version=2)


# Who sees it, and what messages say


def test_nobody_outside_the_employer_and_the_lado_service_sees_the_request(persona, signed_in, nursery_case, ids):
    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=3))
    allegation_id = ids["allegation_nell"]
    reply_url = reverse("information_reply", args=[allegation_id, request.pk])
    assert WHAT in signed_in("nina").get(reverse("allegation_detail", args=[allegation_id])).content.decode()
    assert WHAT in signed_in("lara").get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert signed_in("sam").get(reverse("case_detail", args=[nursery_case.pk])).status_code == 404
    assert signed_in("sam").get(reverse("information_request_new", args=[nursery_case.pk])).status_code == 404
    assert signed_in("sam").get(reverse("information_withdraw", args=[nursery_case.pk, request.pk])).status_code == 404
    assert signed_in("tom").get(reverse("allegation_detail", args=[allegation_id])).status_code == 404
    assert signed_in("tom").get(reply_url).status_code == 404
    assert signed_in("lara").get(reply_url).status_code == 404
    for outsider in ("sam", "tom", "hana", "lara"):
        assert _work_items(persona(outsider)) == []


def test_a_request_is_reached_only_through_its_own_case_and_allegation(persona, signed_in, nursery_case, ids):
    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=3))
    chris_allegation = Contact.objects.get(pk=ids["contact_chris"]).allegation_id
    if chris_allegation is not None:
        wrong = reverse("information_reply", args=[chris_allegation, request.pk])
        assert signed_in("hana").get(wrong).status_code == 404
    assert (
        signed_in("lara").get(reverse("information_withdraw", args=[ids["case_chris"], request.pk])).status_code == 404
    )


def test_no_notification_carries_what_was_asked_or_a_name(persona, ids) -> None:
    with time_machine.travel(_at(dt.date(2026, 12, 1)), tick=False):
        case = open_nursery_case(persona, ids)
        request = _ask(persona, case, dt.date(2026, 12, 7))
    for day in range(4, 20):
        requests_chase(on=dt.date(2026, 12, day), audit_context=SYSTEM)
    information_reply(actor=persona("nina"), request=request, reply="Here is the rota.", expected_version=1)
    texts = list(Notification.objects.filter(key__startswith=f"request:{request.pk}:").values_list("text", flat=True))
    assert len(texts) == 6  # the request, the reminder, three chases and the reply
    names = {case.subject.full_name, *case.subject.full_name.split(), "Nina", "Lara", "Little Acorns", "Northshire"}
    for text in texts:
        assert WHAT not in text
        assert "rota" not in text.lower()
        assert "nappy" not in text.lower()
        assert not [name for name in names if name.lower() in text.lower()], text
    emails = list(EmailDelivery.objects.filter(recipient__in=[persona("nina"), persona("lara")]))
    # The request, its reminder and chases are emailed at once (the notifications layer's immediate email).
    assert [email for email in emails if "request for information on" in email.body.lower()]
    for email in emails:
        assert WHAT not in email.body
        assert "rota" not in f"{email.subject_line} {email.body}".lower()
        assert case.subject.full_name not in f"{email.subject_line} {email.body}"
    deadline = Deadline.objects.get(kind="information-request", key=f"request-{request.pk}")
    assert "rota" not in deadline.label
    assert "rota" not in deadline.source


# Pages


def test_the_request_form_puts_each_message_beside_its_field(signed_in, nursery_case) -> None:
    url = reverse("information_request_new", args=[nursery_case.pk])
    lara = signed_in("lara")
    form = lara.get(url)
    assert form.status_code == 200
    assert 'name="chase_every_days"' in form.content.decode()
    assert 'value="3"' in form.content.decode()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page = lara.post(url, {"what": "", **date_boxes("due_on", yesterday), "chase_every_days": "40", "chase_limit": "3"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert "Enter what you are asking the employer for" in html
    assert "Chase every 1 to 28 days" in html
    due = dt.date.today() + dt.timedelta(days=4)
    sent = lara.post(url, {"what": WHAT, **date_boxes("due_on", due), "chase_every_days": "3", "chase_limit": "3"})
    assert sent.status_code == 302
    assert sent["Location"].endswith("#information-requests")
    assert InformationRequest.objects.get(case=nursery_case).due_on == due


def test_the_service_refusal_for_a_past_date_is_beside_the_date(signed_in, nursery_case) -> None:
    url = reverse("information_request_new", args=[nursery_case.pk])
    past = dt.date.today() - dt.timedelta(days=2)
    html = signed_in("lara").post(
        url, {"what": WHAT, **date_boxes("due_on", past), "chase_every_days": "3", "chase_limit": "3"}
    )
    assert "The date you need it by must be today or in the future" in html.content.decode()
    assert 'id="due_on-date-error"' in html.content.decode() or "govuk-error-message" in html.content.decode()


def test_nina_replies_from_her_allegation_page(persona, signed_in, nursery_case, ids) -> None:
    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=3))
    allegation_page = reverse("allegation_detail", args=[ids["allegation_nell"]])
    nina = signed_in("nina")
    html = nina.get(allegation_page).content.decode()
    reply_url = reverse("information_reply", args=[ids["allegation_nell"], request.pk])
    assert "Requests for information from the LADO" in html
    assert reply_url in html
    assert "Enter your reply to the LADO" in nina.post(reply_url, {"version": "1", "reply": ""}).content.decode()
    done = nina.post(reply_url, {"version": "1", "reply": "Rota sent by secure email."})
    assert done.status_code == 302
    assert reply_url not in nina.get(allegation_page).content.decode()
    assert nina.post(reply_url, {"version": "1", "reply": "Again."}).status_code == 409


def test_lara_withdraws_from_the_case_page(persona, signed_in, nursery_case) -> None:
    request = _ask(persona, nursery_case, dt.date.today() + dt.timedelta(days=3))
    lara = signed_in("lara")
    withdraw = reverse("information_withdraw", args=[nursery_case.pk, request.pk])
    assert withdraw in lara.get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert lara.post(withdraw, {"version": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert withdraw not in lara.get(reverse("case_detail", args=[nursery_case.pk])).content.decode()


def test_the_case_page_shows_the_chase_history(persona, signed_in, ids) -> None:
    with time_machine.travel(_at(dt.date(2026, 12, 1)), tick=False):
        case = open_nursery_case(persona, ids)
        _ask(persona, case, dt.date(2026, 12, 7))
    requests_chase(on=dt.date(2026, 12, 4), audit_context=SYSTEM)
    requests_chase(on=dt.date(2026, 12, 10), audit_context=SYSTEM)
    with time_machine.travel(_at(dt.date(2026, 12, 11)), tick=False):
        html = signed_in("lara").get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Request sent 1 December 2026; reminder 4 December; chased 10 December (1 of 3)" in html
    assert "Overdue" in html


def test_a_partner_the_case_is_shared_with_does_not_see_what_the_lado_asked_the_employer(
    persona, signed_in, chris_case: Case
) -> None:
    request = _ask(persona, chris_case, dt.date.today() + dt.timedelta(days=3))
    assert request.asked_of == persona("hana")
    cara = signed_in("cara").get(reverse("case_detail", args=[chris_case.pk]))
    assert cara.status_code == 200
    assert "Requests for information" not in cara.content.decode()
    assert WHAT not in cara.content.decode()
    assert WHAT in signed_in("mo").get(reverse("case_detail", args=[chris_case.pk])).content.decode()


def test_a_request_on_a_case_no_longer_open_is_not_chased_and_leaves_the_work_list(persona, nursery_case, ids):
    request = _ask(persona, nursery_case, dt.date.today())
    Case.objects.filter(pk=nursery_case.pk).update(status="concluded")
    assert requests_chase(on=dt.date.today() + dt.timedelta(days=3), audit_context=SYSTEM) == []
    request_deadlines_sync(nursery_allegation(ids))
    row = Deadline.objects.get(kind="information-request", key=f"request-{request.pk}")
    assert (row.state, row.reason) == (DeadlineState.STOPPED, "The LADO's case is concluded")
    assert _work_items(persona("nina")) == []
