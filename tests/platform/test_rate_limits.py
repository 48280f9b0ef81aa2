"""allauth's limits on sign-ins and resets count each client's own address behind the proxy, not the proxy's.

Production runs behind a TLS proxy (``TRUSTED_PROXY_COUNT=1``): every request reaches gunicorn from one address.
Counted by that address, thirty strangers' sign-ins a minute kept every LADO, DSL and case manager out.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from threshold.demo.world import DEMO_PASSWORD, PERSONAS_BY_KEY

PROXY = "127.0.0.1"


@pytest.fixture
def behind_the_proxy(settings) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 1  # what TRUSTED_PROXY_COUNT=1 sets


def through_the_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_thirty_strangers_signing_in_do_not_keep_lara_out(demo_world, behind_the_proxy) -> None:
    for n in range(30):
        through_the_proxy(f"203.0.113.{n + 1}").post(
            reverse("account_login"), {"login": f"nobody{n}@example.org", "password": "guess"}
        )
    lara = through_the_proxy("198.51.100.7")
    response = lara.post(reverse("account_login"), {"login": PERSONAS_BY_KEY["lara"].email, "password": DEMO_PASSWORD})
    assert response.status_code == 302  # on to her authenticator code


def test_twenty_strangers_asking_for_resets_do_not_stop_hanas(demo_world, behind_the_proxy) -> None:
    for n in range(20):
        through_the_proxy(f"203.0.113.{n + 1}").post(reverse("account_reset_password"), {"email": f"x{n}@example.org"})
    hana = through_the_proxy("198.51.100.8")
    response = hana.post(reverse("account_reset_password"), {"email": PERSONAS_BY_KEY["hana"].email})
    assert response.status_code == 302


def test_one_stranger_asking_for_resets_from_one_address_is_still_stopped(demo_world, behind_the_proxy) -> None:
    stranger = through_the_proxy("203.0.113.9")
    answers = [
        stranger.post(reverse("account_reset_password"), {"email": f"x{n}@example.org"}).status_code for n in range(21)
    ]
    assert answers[:20] == [302] * 20
    assert answers[20] == 429
