"""The HR business partner is told: "It is expected that a case manager or Headteacher will advise L.E.A.D. HR
that a referral has been made" (section 6, step 1) and "If at any point there is potentially a disciplinary case
to answer then the headteacher should discuss with their HR business partner" (appendix 5)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import NotificationPreference
from threshold.allegations import services
from threshold.allegations.models import Allegation
from threshold.notifications.models import EmailDelivery, Notification


def _refer(persona, allegation: Allegation) -> None:
    services.referral_make(actor=persona("hana"), allegation=allegation)


def _conclude(persona, allegation: Allegation, **values: Any) -> None:
    fields: dict[str, Any] = {"outcome": "substantiated", "disciplinary_route": "Disciplinary hearing.", **values}
    services.outcome_record(
        actor=persona("hana"),
        allegation=allegation,
        report="Two witnesses and CCTV.",
        concluded_on=timezone.localdate(),
        **fields,
    )


def _told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, key__startswith="hr:"))


def test_a_referral_hana_makes_to_the_lado_tells_henry_the_trusts_hr_business_partner(
    persona, chris_allegation
) -> None:
    henry = persona("henry")
    _refer(persona, chris_allegation)
    [notification] = _told(henry)
    assert notification.text == f"A referral to the LADO has been made: allegation {chris_allegation.reference}."
    assert notification.url == reverse("allegation_detail", args=[chris_allegation.pk])
    # No name and nothing of what is alleged: the reference and a link only.
    assert "Chris" not in notification.text
    assert "arm" not in notification.text
    # Nobody else is told as HR, and Hana (who referred) is not told her own referral.
    assert Notification.objects.filter(key__startswith="hr:").count() == 1


def test_an_updated_referral_tells_henry_only_once(persona, chris_allegation) -> None:
    _refer(persona, chris_allegation)
    _refer(persona, chris_allegation)
    assert len(_told(persona("henry"))) == 1


def test_henry_sees_the_allegation_of_the_school_he_partners(signed_in, persona, chris_allegation) -> None:
    _refer(persona, chris_allegation)
    response = signed_in("henry").get(_told(persona("henry"))[0].url)
    assert response.status_code == 200


def test_henry_is_emailed_at_once_only_if_his_preference_says_so(
    persona, chris_allegation, django_capture_on_commit_callbacks
) -> None:
    henry = persona("henry")
    # HR's default is the daily digest: the notification is in the product, no email at once.
    with django_capture_on_commit_callbacks(execute=True):
        _refer(persona, chris_allegation)
    assert not EmailDelivery.objects.filter(recipient=henry).exists()
    assert mail.outbox == []
    NotificationPreference.objects.create(user=henry, daily_digest=True, immediate=True)
    with django_capture_on_commit_callbacks(execute=True):
        _conclude(persona, chris_allegation)
    # (The LADO managing the referral is told of the outcome too: tests/lado/test_employer_outcome_agreement.py.)
    [message] = [message for message in mail.outbox if message.to == [henry.email]]
    assert message.to == [henry.email]
    assert message.subject == "Threshold: An allegation needs HR's attention"
    assert "may be a disciplinary case to answer" in message.body
    assert chris_allegation.reference in message.body
    assert "Chris" not in message.body
    assert "Chris" not in message.subject


def test_an_outcome_with_a_disciplinary_route_tells_henry_a_disciplinary_case_may_exist(
    persona, chris_allegation
) -> None:
    _conclude(persona, chris_allegation)
    [notification] = _told(persona("henry"))
    assert notification.key == f"hr:disciplinary:allegation:{chris_allegation.pk}"
    assert notification.text.startswith("The outcome says there may be a disciplinary case to answer")


def test_an_unfounded_outcome_without_a_disciplinary_route_does_not(persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation, outcome="unfounded", disciplinary_route="")
    assert _told(persona("henry")) == []
