"""Losing an authenticator: replacing it forces a new one; an administrator can reset someone's sign-in."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.platform.reauth import reauthenticated
from threshold.audit.models import AuditEvent
from threshold.demo.world import DEMO_PASSWORD, PERSONAS_BY_KEY, current_demo_code

pytestmark = pytest.mark.django_db


def really_sign_in(key: str) -> Client:
    """Sign in with password and code, so the session is recorded against the persona."""
    client = Client()
    client.post(reverse("account_login"), {"login": PERSONAS_BY_KEY[key].email, "password": DEMO_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.get(reverse("home")).status_code == 200
    return client


def test_removing_the_authenticator_app_sends_hana_to_set_up_a_new_one_before_anything_else(demo_world) -> None:
    hana = really_sign_in("hana")
    response = hana.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user__email=PERSONAS_BY_KEY["hana"].email).exists()
    home = hana.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("mfa_activate_totp")


def test_once_hana_has_removed_her_app_her_password_alone_in_another_browser_sets_up_nothing(
    demo_world, django_capture_on_commit_callbacks
) -> None:
    hana = really_sign_in("hana")
    with django_capture_on_commit_callbacks(execute=True):
        hana.post(reverse("mfa_deactivate_totp"))
    # She is told by email, in case it was not her.
    assert mail.outbox[-1].to == [PERSONAS_BY_KEY["hana"].email]
    assert mail.outbox[-1].subject == "Threshold: your authenticator app was removed"
    removed = {
        event.details["type"]: event.details for event in AuditEvent.objects.filter(action="mfa.authenticator_removed")
    }
    assert removed["totp"]["sign_in_reset"]
    # Interrupted before scanning the new code; someone who knows only her password, on another computer:
    other = Client(REMOTE_ADDR="203.0.113.50")
    other.post(reverse("account_login"), {"login": PERSONAS_BY_KEY["hana"].email, "password": DEMO_PASSWORD})
    assert other.get(reverse("mfa_activate_totp"))["Location"] == reverse("sign_in_reset_check_email")
    assert other.get(reverse("home"))["Location"] == reverse("sign_in_reset_check_email")
    # Her own browser sets up the new app.
    assert hana.get(reverse("mfa_activate_totp")).status_code == 200


def test_the_account_page_says_replace_and_the_replace_page_says_what_happens(demo_world) -> None:
    hana = really_sign_in("hana")
    account = hana.get(reverse("mfa_index")).content.decode()
    assert f'href="{reverse("mfa_deactivate_totp")}"' in account
    assert "Replace" in account
    assert "set up a new app" in hana.get(reverse("mfa_deactivate_totp")).content.decode()


def test_olu_resets_henrys_sign_in_after_confirming(demo_world, persona, signed_in) -> None:
    henry = persona("henry")
    RecoveryCodes.activate(henry)
    henrys_browser = really_sign_in("henry")
    key = henrys_browser.session.session_key
    olu = reauthenticated(signed_in("olu"))
    url = reverse("user_reset_sign_in", args=[henry.pk])

    confirm = olu.get(url)
    assert confirm.status_code == 200
    assert "Reset sign-in" in confirm.content.decode()
    assert Authenticator.objects.filter(user=henry).count() == 2  # nothing happens on a GET

    assert olu.post(url).status_code == 302
    assert not Authenticator.objects.filter(user=henry).exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert henrys_browser.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="user.sign_in_reset")
    assert event.record_id == str(henry.pk)
    assert event.actor == persona("olu")
    assert event.details["sessions_ended"] == 1

    # Henry's password still works, but he must open the emailed link before setting up a new app.
    henrys_browser.post(reverse("account_login"), {"login": henry.email, "password": DEMO_PASSWORD})
    assert henrys_browser.get(reverse("home"))["Location"] == reverse("sign_in_reset_check_email")


def test_sid_can_reset_anyone_but_olu_only_people_wholly_in_riverside(demo_world, persona, signed_in) -> None:
    olu = reauthenticated(signed_in("olu"))
    lara = persona("lara")
    assert olu.post(reverse("user_reset_sign_in", args=[lara.pk])).status_code == 404
    assert Authenticator.objects.filter(user=lara).exists()
    sid = reauthenticated(signed_in("sid"))
    assert sid.post(reverse("user_reset_sign_in", args=[lara.pk])).status_code == 302
    assert not Authenticator.objects.filter(user=lara).exists()


def test_nobody_resets_their_own_sign_in_this_way(demo_world, persona, signed_in) -> None:
    sid = reauthenticated(signed_in("sid"))
    sid.post(reverse("user_reset_sign_in", args=[persona("sid").pk]))
    assert Authenticator.objects.filter(user=persona("sid")).exists()
    assert not AuditEvent.objects.filter(action="user.sign_in_reset").exists()


def test_olu_cannot_reset_someone_who_also_works_elsewhere_and_is_told_why(demo_world, persona, signed_in) -> None:
    from threshold.accounts.models import Membership, Organisation
    from threshold.accounts.roles import Role
    from threshold.demo.world import OAKFIELD

    henry = persona("henry")
    Membership.objects.create(user=henry, organisation=Organisation.objects.get(name=OAKFIELD), role=Role.STAFF)
    response = reauthenticated(signed_in("olu")).post(reverse("user_reset_sign_in", args=[henry.pk]))
    assert response.status_code == 400
    assert "also belongs to organisations you do not manage" in response.content.decode()
    assert Authenticator.objects.filter(user=henry).exists()


def test_henry_is_emailed_when_his_sign_in_is_reset(
    demo_world, persona, signed_in, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    henry = persona("henry")
    with django_capture_on_commit_callbacks(execute=True):
        assert reauthenticated(signed_in("olu")).post(reverse("user_reset_sign_in", args=[henry.pk])).status_code == 302
    [message] = mailoutbox
    assert message.to == [henry.email]
    assert message.subject == "Threshold: your sign-in was reset"
    assert "If you did not ask for this" in message.body
