"""A password reset link goes only to an address the account has proved: never to one waiting to be confirmed."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.platform.test_sign_in import sign_in_with_password
from threshold.accounts.models import User
from threshold.demo.world import PERSONAS_BY_KEY, current_demo_code

HANA = PERSONAS_BY_KEY["hana"].email
TYPO = "hana.typo@elsewhere.example"
RESET_LINK = re.compile(r"https?://[^/]+(/accounts/password/reset/key/[^/\s]+/)")


def ask_for_a_reset(address: str, capture) -> list[str]:
    """Whoever holds ``address`` asks for a reset link; the links the emails to it carry."""
    mail.outbox.clear()
    with capture(execute=True):
        Client().post(reverse("account_reset_password"), {"email": address})
    return [link for message in mail.outbox if address in message.to for link in RESET_LINK.findall(str(message.body))]


def test_an_address_hana_typed_but_never_confirmed_gets_no_link_to_reset_her_password(
    demo_world, client: Client, django_capture_on_commit_callbacks
) -> None:
    sign_in_with_password(client, "hana")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    # A typo on "Change email" (or someone at her unlocked desk typing theirs), never confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"email": TYPO, "action_add": "1"})
    assert ask_for_a_reset(TYPO, django_capture_on_commit_callbacks) == []
    # Her own address still gets one.
    assert len(ask_for_a_reset(HANA, django_capture_on_commit_callbacks)) == 1
    assert User.objects.get(email=HANA).is_active
