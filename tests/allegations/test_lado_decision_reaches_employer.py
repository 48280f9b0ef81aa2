"""The LADO's advice and decision reach the employer's allegation (issue 13, "Two sides of one matter").

When Lara gives advice or decides on a contact that came from an allegation in Threshold, the allegation shows
the level, the date and what the protocol asks the employer to do next (Tier 2: "the employer is best placed to
manage the matter to its conclusions"), never the LADO's own notes, and the case manager is told in the product,
by a notification and an email that name nobody.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from tests.lado.nursery import nursery_allegation, open_nursery_case, refer_nursery_allegation
from threshold.core.record_ids import encode as rid
from threshold.lado.services.contacts import contact_record_advice
from threshold.notifications.models import EmailDelivery, Notification

LONDON = ZoneInfo("Europe/London")
ADVISED_AT = dt.datetime(2026, 11, 30, 15, 0, tzinfo=LONDON)
DECIDED_AT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def text_of(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_lados_tier_2_decision_shows_on_the_nurserys_allegation_with_what_to_do_next(
    persona, signed_in, ids: dict[str, int]
) -> None:
    with time_machine.travel(DECIDED_AT, tick=False):
        open_nursery_case(persona, ids)
        page = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
    assert "The LADO's advice and decision" in page
    # The protocol's own title, said to be the LADO's (the nursery's national policy has no tiers of its own).
    assert "Decision Tier 2 referral (monitoring only), under the LADO's protocol, on 1 December 2026" in page
    assert "The employer is best placed to manage the matter to its conclusions" in page
    # The LADO's own notes stay on the LADO's side.
    assert "The protocol's own Tier 2 example." not in page
    assert "No injury and no previous concerns" not in page


def test_the_case_manager_is_told_of_the_decision_by_a_notification_and_an_email_that_name_nobody(
    persona, ids: dict[str, int]
) -> None:
    with time_machine.travel(DECIDED_AT, tick=False):
        open_nursery_case(persona, ids)
    allegation = nursery_allegation(ids)
    told = Notification.objects.get(recipient=persona("nina"), text__startswith="The LADO has decided the referral")
    assert told.text == f"The LADO has decided the referral: allegation {allegation.reference}."
    assert told.url == f"/allegations/{rid(allegation.pk)}/#lado-word"
    for email in EmailDelivery.objects.filter(recipient=persona("nina"), key=told.key):
        assert "Nell" not in email.body
        assert "nappy" not in email.body
        assert allegation.reference in email.body


def test_the_lados_advice_shows_on_the_allegation_and_the_case_manager_is_told(
    persona, signed_in, ids: dict[str, int]
) -> None:
    with time_machine.travel(ADVISED_AT, tick=False):
        contact = refer_nursery_allegation(persona, ids)
        contact_record_advice(
            actor=persona("lara"),
            contact=contact,
            advice="Keep Nell away from nappy changes until the LADO decides.",
            given_at=None,
            expected_version=contact.version,
        )
        page = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
    assert "Advice given 30 November 2026" in page
    assert "The LADO's advice Keep Nell away from nappy changes until the LADO decides." in page
    assert "Decision Not decided yet" in page
    assert Notification.objects.filter(
        recipient=persona("nina"), text__startswith="The LADO has given advice on the referral"
    ).exists()


def test_an_allegation_not_referred_in_threshold_shows_no_lado_section(signed_in, ids: dict[str, int]) -> None:
    page = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
    assert "The LADO's advice and decision" not in page
