"""Signing in: password, then the authenticator code; lockout; sign-out; timeouts; deactivation."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from threshold.accounts import services
from threshold.accounts.middleware import LAST_SEEN_RESOLUTION_SECONDS, SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from threshold.audit.models import AuditEvent
from threshold.demo.world import DEMO_PASSWORD, PERSONAS_BY_KEY, current_demo_code

pytestmark = pytest.mark.django_db


def sign_in_with_password(client: Client, key: str, password: str = DEMO_PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": PERSONAS_BY_KEY[key].email, "password": password},
    )


def test_lara_signs_in_with_password_and_authenticator_code(demo_world, client: Client) -> None:
    response = sign_in_with_password(client, "lara")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in until the second factor is given.
    assert client.get(reverse("home")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Northshire Council" in home.content.decode()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.mfa_verified" in actions
    assert "auth.signed_in" in actions


def test_wrong_authenticator_code_is_refused_beside_the_field(demo_world, client: Client) -> None:
    sign_in_with_password(client, "lara")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_code"' in page
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gives_an_error_and_is_audited_without_the_address_typed(demo_world, client: Client) -> None:
    response = sign_in_with_password(client, "lara", password="not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.actor_label == "anonymous"
    assert PERSONAS_BY_KEY["lara"].email not in str(failed.details)


def test_repeated_failures_lock_the_username_from_that_address_only(demo_world) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(attacker, "lara", password="wrong-password-guess")
    locked = sign_in_with_password(attacker, "lara")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()

    # Lara at her own desk is not locked out by someone else's guessing.
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    response = sign_in_with_password(colleague, "lara")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_persona_without_an_authenticator_must_set_one_up_before_anything_else(
    demo_world, persona, client: Client
) -> None:
    from allauth.mfa.models import Authenticator

    tom = persona("tom")
    Authenticator.objects.filter(user=tom).delete()
    response = sign_in_with_password(client, "tom")
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("mfa_activate_totp")
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Set up your authenticator app" in setup.content.decode()


def test_sign_out_ends_the_session_on_the_server(signed_in) -> None:
    client = signed_in("hana")
    key = client.session.session_key
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.signed_out").exists()


def test_an_idle_session_times_out(signed_in) -> None:
    client = signed_in("hana")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "timed_out=1" in response["Location"]
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.session_expired", details__reason="idle").exists()


def test_hanas_pages_within_a_minute_write_nothing_to_her_session_and_the_next_minute_does(signed_in) -> None:
    # Reading a page is not a database write: the last-seen time is saved at most once a minute.
    client = signed_in("hana")
    with time_machine.travel(time.time(), tick=False) as clock:
        assert client.get(reverse("home")).status_code == 200
        key = client.session.session_key
        saved = Session.objects.get(session_key=key).session_data
        clock.shift(LAST_SEEN_RESOLUTION_SECONDS - 1)
        assert client.get(reverse("home")).status_code == 200
        assert Session.objects.get(session_key=key).session_data == saved
        clock.shift(2)
        assert client.get(reverse("home")).status_code == 200
        assert Session.objects.get(session_key=key).session_data != saved
        assert client.session[SESSION_LAST_SEEN_KEY] == pytest.approx(time.time())


def test_an_idle_limit_counted_from_a_last_seen_up_to_a_minute_old_ends_the_session_early_never_late(
    signed_in,
) -> None:
    client = signed_in("hana")
    idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    with time_machine.travel(time.time(), tick=False) as clock:
        assert client.get(reverse("home")).status_code == 200
        clock.shift(LAST_SEEN_RESOLUTION_SECONDS - 1)
        assert client.get(reverse("home")).status_code == 200  # seen, not saved
        clock.shift(idle - LAST_SEEN_RESOLUTION_SECONDS + 2)  # idle for less than the limit since that view
        assert client.get(reverse("home")).status_code == 302


def test_with_a_one_minute_idle_limit_an_active_session_is_kept_by_a_last_seen_saved_every_tenth_of_it(
    signed_in, settings
) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    client = signed_in("hana")
    with time_machine.travel(time.time(), tick=False) as clock:
        for _ in range(6):  # active for two and a half minutes, a page every 25 seconds
            clock.shift(25)
            assert client.get(reverse("home")).status_code == 200
        clock.shift(61)
        assert client.get(reverse("home")).status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(signed_in) -> None:
    client = signed_in("hana")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600 - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.session_expired", details__reason="absolute").exists()


def test_deactivating_tom_ends_his_sessions_at_once(demo_world, persona, signed_in, client: Client) -> None:
    # Tom signs in for real so his session is recorded against him.
    sign_in_with_password(client, "tom")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.get(reverse("home")).status_code == 200

    services.user_deactivate(actor=persona("sid"), user=persona("tom"))

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    # And he cannot sign in again.
    fresh = Client()
    refused = sign_in_with_password(fresh, "tom")
    assert refused.status_code in (200, 302)
    assert fresh.get(reverse("home")).status_code == 302


def test_a_new_session_key_is_issued_at_sign_in(demo_world, client: Client) -> None:
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    sign_in_with_password(client, "lara")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.session.session_key != before


def test_changing_mfa_asks_for_the_password_again_once_the_sign_in_is_not_fresh(signed_in) -> None:
    # force_login leaves no record of a password typed in this session.
    client = signed_in("hana")
    for name in ("mfa_deactivate_totp", "mfa_view_recovery_codes", "account_change_password"):
        response = client.get(reverse(name))
        if name == "account_change_password":
            # allauth asks for the current password on the form itself.
            assert "Current password" in response.content.decode()
            continue
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_password_typed_minutes_ago_counts_as_confirming_it_is_you(demo_world, client: Client) -> None:
    sign_in_with_password(client, "hana")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_hana_changes_her_email_by_following_the_link_sent_to_the_new_address(
    demo_world, client: Client, django_capture_on_commit_callbacks
) -> None:
    import re

    from django.core import mail

    from threshold.accounts.models import User

    sign_in_with_password(client, "hana")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"email": "hana.new@oakfield.example", "action_add": "1"})
    assert response.status_code == 302
    # Nothing changes until the link is followed.
    assert User.objects.filter(email="hana.head@oakfield.example").exists()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    assert mail.outbox[-1].to == ["hana.new@oakfield.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))
    assert User.objects.filter(email="hana.new@oakfield.example").exists()
    assert AuditEvent.objects.filter(action="account.email_changed").exists()


def test_olu_deactivating_henry_from_the_users_page_ends_his_sessions_at_once(
    demo_world, persona, signed_in, client: Client
) -> None:
    sign_in_with_password(client, "henry")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key

    olu = signed_in("olu")
    response = olu.post(reverse("user_deactivate", args=[persona("henry").pk]))
    assert response.status_code == 302

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor == persona("olu")
    assert event.details["sessions_ended"] == 1


def _idle(client: Client) -> None:
    assert client.get(reverse("home")).status_code == 200  # the session's clock starts
    session = client.session
    session[SESSION_LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()


def test_after_an_idle_timeout_hana_signs_in_and_returns_to_the_page_she_asked_for(demo_world, client: Client) -> None:
    sign_in_with_password(client, "hana")
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    _idle(client)
    response = client.get(reverse("mfa_index") + "?tab=1")
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith(reverse("account_login"))
    assert "next=%2Faccounts%2F2fa%2F%3Ftab%3D1" in login
    page = client.get(login).content.decode()
    assert f"signed out after {settings.SESSION_IDLE_TIMEOUT_MINUTES} minutes without activity" in page
    assert "not saved" not in page
    assert 'name="next" value="/accounts/2fa/?tab=1"' in page


def test_a_form_sent_after_an_idle_timeout_says_the_changes_were_not_saved(signed_in) -> None:
    client = signed_in("hana")
    _idle(client)
    response = client.post(reverse("organisation_switch"), {"membership": "1"})
    assert response.status_code == 302
    assert "next=" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert (
        f"You were signed out after {settings.SESSION_IDLE_TIMEOUT_MINUTES} minutes without activity. "
        "Your changes were not saved." in page
    )
