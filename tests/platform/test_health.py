"""The load balancer's health check: public, free of data, 200 while the database answers and 503 when not."""

from __future__ import annotations

import runpy
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_health_answers_a_stranger_with_nothing_but_ok(client: Client) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # No session is started for it: a load balancer polling it leaves nothing behind.
    assert "threshold_session" not in response.cookies


def test_health_is_503_when_the_database_does_not_answer(client: Client) -> None:
    failing = mock.MagicMock()
    failing.cursor.side_effect = OperationalError("connection to server at 10.0.0.5 failed: secret detail")

    with mock.patch("threshold.core.views.connection", failing):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    # The reason goes to the log, never to whoever asked.
    assert b"secret detail" not in response.content


def test_health_is_not_redirected_to_https_for_a_load_balancer_on_plain_http(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-the-check-0123456789")
    monkeypatch.setenv("AUDIT_CHAIN_KEY", "a-separate-long-random-key-for-the-audit-chain-0123456789")
    monkeypatch.setenv("THRESHOLD_DEMO_MODE", "false")
    production = runpy.run_module("threshold.settings.production")
    assert production["SECURE_SSL_REDIRECT"] is True

    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=production["SECURE_REDIRECT_EXEMPT"]):
        assert client.get("/health/").status_code == 200
        assert client.get("/privacy/").status_code == 301
