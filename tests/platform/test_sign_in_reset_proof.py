"""After "Reset sign-in" the password alone is not enough: the emailed link must be followed first (ADR 0016).

The finding (issue 10): a reset needed no re-authentication by the
administrator, and anyone who knew the person's password could then enrol
their own authenticator. Now the administrator confirms it is them, and the
person must open a single-use, expiring link sent to their address before
setting up a new authenticator.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.platform.reauth import reauthenticated
from threshold.accounts import mfa_services
from threshold.accounts.middleware import SIGN_IN_RESET_PROVEN_KEY
from threshold.accounts.models import SignInReset, User, token_digest
from threshold.audit.models import AuditEvent
from threshold.demo.world import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def henry_reset(persona, django_capture_on_commit_callbacks) -> User:
    """Henry, whose sign-in Olu has just reset (his email, with the link, is in the outbox)."""
    henry = persona("henry")
    with django_capture_on_commit_callbacks(execute=True):
        mfa_services.user_reset_sign_in(actor=persona("olu"), user=henry)
    return henry


def emailed_link(index: int = -1) -> str:
    match = re.search(r"(/sign-in-reset/[^/\s]+/)", str(mail.outbox[index].body))
    assert match, mail.outbox[index].body
    return match.group(1)


def password_only(user: User) -> Client:
    """Henry's browser after typing his password: signed in, no second factor."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_resetting_asks_the_administrator_to_confirm_it_is_them(signed_in, persona) -> None:
    henry = persona("henry")
    olu = signed_in("olu")
    url = reverse("user_reset_sign_in", args=[henry.pk])
    assert olu.get(url).status_code == 200  # the explanation shows without confirming
    asked = olu.post(url)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=henry).exists()
    assert not AuditEvent.objects.filter(action="user.sign_in_reset").exists()

    # Typing the password replays the reset.
    assert olu.post(asked["Location"], {"password": DEMO_PASSWORD}).status_code == 302
    assert not Authenticator.objects.filter(user=henry).exists()
    assert AuditEvent.objects.filter(action="user.sign_in_reset").exists()


def test_the_reset_email_carries_a_link_that_is_stored_only_as_a_digest(henry_reset) -> None:
    [message] = mail.outbox
    assert message.to == [henry_reset.email]
    token = emailed_link().strip("/").split("/")[-1]
    reset = SignInReset.objects.get(user=henry_reset)
    assert reset.token_digest == token_digest(token)
    assert token not in str(reset.__dict__)
    assert reset.link_expires_at is not None


def test_after_a_reset_the_password_alone_does_not_reach_authenticator_set_up(henry_reset) -> None:
    browser = password_only(henry_reset)
    assert browser.get(reverse("home"))["Location"] == reverse("sign_in_reset_check_email")
    assert browser.get(reverse("mfa_activate_totp"))["Location"] == reverse("sign_in_reset_check_email")
    assert browser.post(reverse("mfa_activate_totp"), {"code": "123456"})["Location"] == reverse(
        "sign_in_reset_check_email"
    )
    page = browser.get(reverse("sign_in_reset_check_email"))
    assert page.status_code == 200
    assert "Check your email" in page.content.decode()
    assert henry_reset.email in page.content.decode()
    assert not Authenticator.objects.filter(user=henry_reset).exists()


def test_the_emailed_link_lets_henry_set_up_a_new_authenticator_once(henry_reset) -> None:
    link = emailed_link()
    browser = password_only(henry_reset)
    assert browser.get(link)["Location"] == reverse("sign_in_reset_confirm")
    confirm = browser.get(reverse("sign_in_reset_confirm"))
    assert confirm.status_code == 200  # a GET uses nothing up: a mail scanner cannot spend the link
    assert mfa_services.sign_in_reset_pending(user=henry_reset) is not None
    used = browser.post(reverse("sign_in_reset_confirm"))
    assert used["Location"] == reverse("mfa_activate_totp")
    assert browser.get(reverse("mfa_activate_totp")).status_code == 200
    # Proved in this browser alone: another with only his password must follow a link of its own.
    proven_here = browser.session[SIGN_IN_RESET_PROVEN_KEY]
    assert mfa_services.sign_in_reset_pending(user=henry_reset, proven_here=proven_here) is None
    assert mfa_services.sign_in_reset_pending(user=henry_reset) is not None
    event = AuditEvent.objects.get(action="user.sign_in_reset_email_proven")
    assert event.record_id == str(henry_reset.pk)

    # The same link again is refused.
    assert browser.get(link)["Location"] == reverse("sign_in_reset_confirm")
    assert browser.get(reverse("sign_in_reset_confirm")).status_code == 404
    with pytest.raises(Exception, match="expired or has already been used"):
        mfa_services.sign_in_reset_prove(user=henry_reset, token=link.strip("/").split("/")[-1])


def test_an_expired_link_is_refused_and_a_new_one_replaces_the_old(
    henry_reset, django_capture_on_commit_callbacks
) -> None:
    old = emailed_link()
    SignInReset.objects.filter(user=henry_reset).update(
        link_expires_at=timezone.now() - timedelta(seconds=1), link_sent_at=timezone.now() - timedelta(hours=2)
    )
    browser = password_only(henry_reset)
    browser.get(old)
    refused = browser.get(reverse("sign_in_reset_confirm"))
    assert refused.status_code == 404
    assert "This link does not work" in refused.content.decode()
    assert browser.get(reverse("mfa_activate_totp"))["Location"] == reverse("sign_in_reset_check_email")

    # Henry asks for a new link; only the newest works.
    with django_capture_on_commit_callbacks(execute=True):
        resent = browser.post(reverse("sign_in_reset_resend"))
    assert resent["Location"] == reverse("sign_in_reset_check_email")
    assert AuditEvent.objects.filter(action="user.sign_in_reset_link_sent").exists()
    new = emailed_link()
    assert new != old
    again = browser.post(reverse("sign_in_reset_resend"))
    assert again.status_code == 400  # not twice in a minute
    assert "less than a minute ago" in again.content.decode()
    browser.get(new)
    assert browser.post(reverse("sign_in_reset_confirm"))["Location"] == reverse("mfa_activate_totp")


def test_a_link_opened_before_signing_in_works_after_signing_in_in_the_same_browser(henry_reset) -> None:
    browser = Client()
    browser.get(emailed_link())
    first = browser.get(reverse("sign_in_reset_confirm"))
    assert first.status_code == 200
    assert "Sign in to continue" in first.content.decode()
    assert mfa_services.sign_in_reset_pending(user=henry_reset) is not None
    browser.post(
        reverse("account_login") + "?next=" + reverse("sign_in_reset_confirm"),
        {"login": henry_reset.email, "password": DEMO_PASSWORD},
    )
    assert browser.post(reverse("sign_in_reset_confirm"))["Location"] == reverse("mfa_activate_totp")


def test_someone_else_cannot_use_henrys_link(henry_reset, signed_in) -> None:
    hana = signed_in("hana")
    hana.get(emailed_link())
    assert hana.post(reverse("sign_in_reset_confirm")).status_code == 404
    assert mfa_services.sign_in_reset_pending(user=henry_reset) is not None


def test_people_whose_sign_in_was_not_reset_have_nothing_to_prove(signed_in) -> None:
    sid = reauthenticated(signed_in("sid"))
    assert sid.get(reverse("sign_in_reset_check_email"))["Location"] == reverse("home")
    assert sid.post(reverse("sign_in_reset_resend"))["Location"] == reverse("home")


def test_after_henry_proves_his_address_only_his_browser_may_set_up_the_new_app(henry_reset) -> None:
    henrys_browser = password_only(henry_reset)
    henrys_browser.get(emailed_link())
    assert henrys_browser.post(reverse("sign_in_reset_confirm"))["Location"] == reverse("mfa_activate_totp")
    # Before he has scanned the code, someone else with only his password, in another browser:
    stranger = password_only(henry_reset)
    assert stranger.get(reverse("mfa_activate_totp"))["Location"] == reverse("sign_in_reset_check_email")
    assert stranger.get(reverse("home"))["Location"] == reverse("sign_in_reset_check_email")
    # Henry's own browser goes on.
    assert henrys_browser.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_link_asked_for_in_another_browser_leaves_henrys_proof_in_his_own(
    henry_reset, django_capture_on_commit_callbacks
) -> None:
    henrys_browser = password_only(henry_reset)
    henrys_browser.get(emailed_link())
    henrys_browser.post(reverse("sign_in_reset_confirm"))
    other = password_only(henry_reset)
    SignInReset.objects.filter(user=henry_reset).update(link_sent_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(reverse("sign_in_reset_resend"))["Location"] == reverse("sign_in_reset_check_email")
    assert henrys_browser.get(reverse("mfa_activate_totp")).status_code == 200
    # The new link, followed in the other browser (it reached Henry's mailbox), proves it there too.
    other.get(emailed_link())
    assert other.post(reverse("sign_in_reset_confirm"))["Location"] == reverse("mfa_activate_totp")
