"""Who is told what, as it happens: a new referral in the inbox, a meeting shared, a partner's update, allocation.

Each is a notification in the product, once, never to the adult the record is about; what cannot wait is
also emailed, and only once the change has committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone

from threshold.accounts.models import NotificationPreference, Organisation
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.demo import world
from threshold.lado.models import Case, Contact, Meeting
from threshold.lado.services.case_allocation import case_reassign
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.meetings import meeting_label
from threshold.lado.services.sharing import meeting_add_update, meeting_share
from threshold.notifications.models import EmailDelivery, Notification, NotificationKind
from threshold.notifications.services import notify_in_transaction

A_PHONE_CALL: dict[str, Any] = {
    "method": "phone",
    "source": "employer",
    "referrer_name": "Kim Clubmanager",
    "referrer_agency": "Northshire Youth Club",
    "referrer_contact": "01632 960 123",
    "adult_name": "Sol Swimcoach",
    "adult_date_of_birth": dt.date(1992, 4, 1),
    "adult_role": "Swimming coach",
    "employer_name": "Northshire Youth Club",
    "summary": "A coach was seen messaging a young swimmer on social media.",
}


def told(kind: str) -> dict[str, str]:
    """Who was told of ``kind``: their email, and the words they were told."""
    return dict(Notification.objects.filter(kind=kind).values_list("recipient__email", "text"))


def test_an_employers_referral_tells_the_lado_team_and_emails_them_after_commit(
    persona, ids: dict[str, int], django_capture_on_commit_callbacks
) -> None:
    lara, mo, sam = persona("lara"), persona("mo"), persona("sam")
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = referral_make(actor=persona("nina"), allegation=allegation)
    contact = Contact.objects.get(referral=referral)
    notes = told(NotificationKind.NEW_REFERRAL)
    assert notes == {
        lara.email: f"New referral in the inbox: {contact.reference}",
        mo.email: f"New referral in the inbox: {contact.reference}",
    }
    assert sam.email not in notes
    # Decided in the transaction, sent only after it commits.
    assert EmailDelivery.objects.filter(key=f"new_referral:contact:{contact.pk}").count() == 2
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lara.email, mo.email])
    assert {message.subject for message in mail.outbox} == {"Threshold: New referral in the LADO inbox"}
    assert all(contact.reference in message.body and "Nell" not in message.body for message in mail.outbox)


def test_a_change_that_rolls_back_sends_no_email(persona, django_capture_on_commit_callbacks) -> None:
    lara = persona("lara")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                notify_in_transaction(
                    recipients=[lara], kind=NotificationKind.NEW_REFERRAL, text="New referral in the inbox: X", key="k"
                )
                raise RuntimeError("the service failed after telling")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not EmailDelivery.objects.filter(recipient=lara).exists()


def test_a_recorded_contact_tells_the_team_but_not_who_recorded_it(persona, django_capture_on_commit_callbacks) -> None:
    lara, mo = persona("lara"), persona("mo")
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_record(
            actor=lara,
            local_authority=northshire,
            received_at=timezone.now() - dt.timedelta(hours=1),
            **A_PHONE_CALL,
        )
    assert told(NotificationKind.NEW_REFERRAL) == {mo.email: f"New contact in the inbox: {contact.reference}"}
    assert [message.to for message in mail.outbox] == [[mo.email]]
    assert "Swimcoach" not in mail.outbox[0].body


def test_nobody_is_told_of_a_referral_about_themselves(persona, ids: dict[str, int]) -> None:
    lara = persona("lara")
    # A referral the LADO team would be told of, but it is about Lara herself.
    notify_in_transaction(
        recipients=[lara, persona("mo")],
        kind=NotificationKind.NEW_REFERRAL,
        text="New referral in the inbox: CT-0000-0000",
        key="new_referral:contact:about-lara",
        subject=_person_called("Lara Lado"),
    )
    assert set(
        Notification.objects.filter(key="new_referral:contact:about-lara").values_list("recipient__email", flat=True)
    ) == {persona("mo").email}


def _person_called(name: str) -> Any:
    from threshold.people.models import Person, PersonKind

    return Person.objects.create(
        organisation=Organisation.objects.get(name=world.NORTHSHIRE), kind=PersonKind.ADULT, full_name=name
    )


def test_the_same_key_tells_nobody_twice(persona) -> None:
    lara = persona("lara")
    for _ in range(3):
        notify_in_transaction(recipients=[lara], kind=NotificationKind.ALLOCATED, text="Case allocated", key="once")
    assert Notification.objects.filter(recipient=lara, key="once").count() == 1


def test_a_shared_meeting_emails_the_partner_at_once_by_default_and_their_update_tells_the_lado(
    persona, ids: dict[str, int], django_capture_on_commit_callbacks
) -> None:
    lara, cara = persona("lara"), persona("cara")
    meeting = Meeting.objects.get(pk=ids["meeting_chris"])
    case = meeting.case
    assert not NotificationPreference.objects.filter(user=cara).exists()  # her role's default: digest and immediate
    with django_capture_on_commit_callbacks(execute=True):
        meeting_share(actor=lara, meeting=meeting, user=cara)
    shared = told(NotificationKind.MEETING_SHARED)
    assert list(shared) == [cara.email]
    assert shared[cara.email] == f"Meeting shared with you: {meeting_label(meeting)}, case {case.reference}"
    assert [message.to for message in mail.outbox] == [[cara.email]]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_add_update(actor=cara, meeting=meeting, text="We visited the family.")
    assert told(NotificationKind.PARTNER_UPDATE) == {
        lara.email: f"Update from a partner on {case.reference}: {meeting_label(meeting)}"
    }
    # An update is not urgent: in the product (the header's count, the notifications page), not emailed at once.
    assert [message.to for message in mail.outbox] == [[cara.email]]
    # The LADO's own update tells nobody.
    meeting_add_update(actor=lara, meeting=meeting, text="Noted.")
    assert Notification.objects.filter(kind=NotificationKind.PARTNER_UPDATE).count() == 1


def test_a_partners_update_is_told_to_the_cases_lado_only_while_they_may_see_the_case(
    persona, ids: dict[str, int]
) -> None:
    from threshold.accounts.models import Membership

    meeting = Meeting.objects.get(pk=ids["meeting_chris"])
    assert meeting.case.lado == persona("lara")
    Membership.objects.filter(user=persona("lara")).update(is_active=False)  # she has left the LADO service
    meeting_add_update(actor=persona("pat"), meeting=meeting, text="We spoke to the school.")
    assert told(NotificationKind.PARTNER_UPDATE) == {}


def test_a_case_allocated_to_another_lado_tells_them(persona, ids: dict[str, int]) -> None:
    mo = persona("mo")
    case = Case.objects.get(pk=ids["case_chris"])
    case_reassign(actor=mo, case=case, lado=mo, reason="Covering leave", expected_version=case.version)
    assert told(NotificationKind.ALLOCATED) == {}  # nobody is told of what they did themselves
    case.refresh_from_db()
    lara = persona("lara")
    case_reassign(actor=mo, case=case, lado=lara, reason="Back from leave", expected_version=case.version)
    assert told(NotificationKind.ALLOCATED) == {lara.email: f"Case allocated to you: {case.reference}"}


def test_a_notification_links_to_its_record_and_names_only_its_reference(persona, ids: dict[str, int]) -> None:
    meeting = Meeting.objects.get(pk=ids["meeting_chris"])
    meeting_add_update(actor=persona("pat"), meeting=meeting, text="Chris Coach was interviewed.")
    note = Notification.objects.get(kind=NotificationKind.PARTNER_UPDATE)
    assert note.url.startswith("/lado/meetings/")
    assert "Chris" not in note.text
    assert "interviewed" not in note.text
    assert note.reference == meeting.case.reference


def test_nobody_is_emailed_about_a_record_carrying_an_address_of_theirs_even_after_a_clearance_of_the_name(
    persona, django_capture_on_commit_callbacks
) -> None:
    from allauth.account.models import EmailAddress

    from threshold.people.subjects import subject_clear

    lara, mo = persona("lara"), persona("mo")
    # Mo decided this Lara Lado is someone else; then Lara's account gains the address the record carries.
    person = _person_called("Lara Lado")
    person.email = "lara.home@example.net"
    person.save()
    subject_clear(actor=mo, person=person, user=lara, reason="Another Lara Lado.", organisation=None)
    EmailAddress.objects.create(user=lara, email="lara.home@example.net", verified=False, primary=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_in_transaction(
            recipients=[lara, mo],
            kind=NotificationKind.NEW_REFERRAL,
            text="New referral in the inbox: CT-0000-0001",
            key="new_referral:contact:carries-her-address",
            subject=person,
        )
    assert told(NotificationKind.NEW_REFERRAL) == {mo.email: "New referral in the inbox: CT-0000-0001"}
    assert [message.to for message in mail.outbox] == [[mo.email]]
