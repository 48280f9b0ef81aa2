"""The second factor: wrong codes and the code lockout are recorded; recovery codes sign people in."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from threshold.audit.models import AuditEvent
from threshold.demo.world import DEMO_PASSWORD, PERSONAS_BY_KEY

pytestmark = pytest.mark.django_db


def _password_step(client: Client, key: str) -> None:
    client.post(reverse("account_login"), {"login": PERSONAS_BY_KEY[key].email, "password": DEMO_PASSWORD})


def test_each_wrong_code_is_recorded_against_lara_with_the_address_it_came_from(demo_world, persona) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    _password_step(client, "lara")
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": "111111"})
    failed = AuditEvent.objects.filter(action="auth.mfa_failed").order_by("pk")
    assert failed.count() == 2
    assert {event.record_id for event in failed} == {str(persona("lara").pk)}
    assert [event.details["failures"] for event in failed] == [1, 2]
    assert all(event.source_ip == "203.0.113.9" for event in failed)
    assert not AuditEvent.objects.filter(action="auth.mfa_locked_out").exists()


def test_reaching_the_code_limit_records_one_lockout(demo_world, persona, settings) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    _password_step(client, "lara")
    for _ in range(settings.MFA_CODE_FAILURE_LIMIT + 1):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    locked = AuditEvent.objects.get(action="auth.mfa_locked_out")
    assert locked.record_id == str(persona("lara").pk)
    assert locked.source_ip == "203.0.113.9"
    # The try made while locked out is recorded too.
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == settings.MFA_CODE_FAILURE_LIMIT + 1


def test_lara_signs_in_with_a_recovery_code_which_then_stops_working(demo_world, persona) -> None:
    lara = persona("lara")
    recovery = RecoveryCodes.activate(lara)
    code = recovery.get_unused_codes()[0]
    client = Client()
    _password_step(client, "lara")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    verified = AuditEvent.objects.filter(action="auth.mfa_verified").latest("pk")
    assert verified.details["type"] == Authenticator.Type.RECOVERY_CODES

    again = Client()
    _password_step(again, "lara")
    refused = again.post(reverse("mfa_authenticate"), {"code": code})
    assert refused.status_code == 200
    assert again.get(reverse("home")).status_code == 302
