"""A decision letter for a referrer outside Threshold (issue 13; ADR 0026).

"The LADO's advice and decision reach the employer's linked record; for an employer outside Threshold, the LADO
can send the referrer a decision letter (a document generated from the record, emailed without personal data in
the email body, or printed)." The letter names the adult, so it is printed, or the referrer is emailed that it
is ready and asks the LADO service for it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tests.lado.nursery import lara_decides
from threshold.accounts.models import Organisation
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Contact, DecisionLetter, LetterMethod
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.letters import SUBJECT, decision_letter_issue

LONDON = ZoneInfo("Europe/London")
CALLED_AT = dt.datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)
DECIDED_AT = dt.datetime(2026, 12, 2, 15, 0, tzinfo=LONDON)

A_CALL_FROM_A_CLUB: dict[str, Any] = {
    "method": "phone",
    "source": "employer",
    "referrer_name": "Kim Clubmanager",
    "referrer_agency": "Northshire Youth Club",
    "referrer_contact": "kim@youthclub.example",
    "adult_name": "Sol Swimcoach",
    "adult_role": "Swimming coach",
    "employer_name": "Northshire Youth Club",
    "summary": "A coach was seen messaging a young swimmer on social media.",
}


def text_of(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def decided_call(persona, northshire: Organisation) -> Contact:
    """Kim of a youth club outside Threshold phoned Lara; Lara decided Tier 2."""
    with time_machine.travel(DECIDED_AT, tick=False):
        contact = contact_record(
            actor=persona("lara"), local_authority=northshire, received_at=CALLED_AT, **A_CALL_FROM_A_CLUB
        )
        lara_decides(persona, contact, "tier-2")
    contact.refresh_from_db()
    return contact


def test_the_letter_is_made_from_the_record_the_decision_the_level_what_to_do_next_and_the_lado(
    signed_in, decided_call: Contact
) -> None:
    with time_machine.travel(DECIDED_AT + dt.timedelta(hours=1), tick=False):
        client = signed_in("lara")
        contact_page = text_of(client.get(f"/lado/contacts/{rid(decided_call.pk)}/"))
        letter = text_of(client.get(f"/lado/contacts/{rid(decided_call.pk)}/decision-letter/"))
    assert "Send the referrer a decision letter" in contact_page
    assert f"Reference: {decided_call.reference}" in letter
    assert "To: Kim Clubmanager, Northshire Youth Club" in letter
    assert "On 2 December 2026 the LADO decided: Tier 2 referral (monitoring only), under the LADO's protocol" in letter
    assert "What the employer should do next" in letter
    assert "The employer is best placed to manage the matter to its conclusions" in letter
    assert "Lara Lado, Northshire Council LADO service lara.lado@northshire.example" in letter


def test_the_email_says_a_letter_is_ready_and_how_to_get_it_without_naming_anyone(
    signed_in, decided_call: Contact, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = signed_in("lara").post(
            f"/lado/contacts/{rid(decided_call.pk)}/decision-letter/",
            {"method": LetterMethod.EMAIL, "sent_to": "kim@youthclub.example"},
        )
    assert sent.status_code == 302
    letter = DecisionLetter.objects.get(contact=decided_call)
    assert (letter.method, letter.sent_to) == (LetterMethod.EMAIL, "kim@youthclub.example")
    [email] = mailoutbox
    assert email.to == ["kim@youthclub.example"]
    assert email.subject == SUBJECT
    assert decided_call.reference in email.body
    assert "is not attached to this email" in email.body
    for personal in ("Sol", "Swimcoach", "Kim", "messaging", "swimmer", "Tier 2", "Lara"):
        assert personal not in email.body
    assert not email.attachments


def test_a_printed_letter_is_recorded_and_no_email_is_sent(persona, decided_call: Contact, mailoutbox) -> None:
    letter = decision_letter_issue(actor=persona("lara"), contact=decided_call, method=LetterMethod.PRINTED)
    assert letter.sent_to == ""
    assert mailoutbox == []


def test_emailing_needs_the_referrers_address_asked_for_in_words(signed_in, decided_call: Contact) -> None:
    page = signed_in("lara").post(
        f"/lado/contacts/{rid(decided_call.pk)}/decision-letter/", {"method": LetterMethod.EMAIL, "sent_to": "kim"}
    )
    assert "Enter the referrer's email address, like name@example.org" in text_of(page)
    assert not DecisionLetter.objects.filter(contact=decided_call).exists()


def test_no_letter_for_an_employer_in_threshold_who_sees_the_decision_on_their_allegation(
    persona, signed_in, chris_contact: Contact
) -> None:
    with pytest.raises(ValidationError) as refused:
        decision_letter_issue(actor=persona("lara"), contact=chris_contact, method=LetterMethod.PRINTED)
    assert refused.value.message_dict["__all__"] == [
        "The employer sees this decision on their allegation in Threshold: no letter is needed"
    ]
    assert signed_in("lara").get(f"/lado/contacts/{rid(chris_contact.pk)}/decision-letter/").status_code == 403


def test_only_the_lado_service_sends_a_letter(persona, decided_call: Contact) -> None:
    with pytest.raises(PermissionDenied):
        decision_letter_issue(actor=persona("hana"), contact=decided_call, method=LetterMethod.PRINTED)
