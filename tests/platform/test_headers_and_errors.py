"""Security headers on signed-in pages, error pages that reveal nothing, and ``check --deploy``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_signed_in_page_carries_the_security_headers(signed_in) -> None:
    response = signed_in("lara").get(reverse("home"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]


@override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=31536000)
def test_hsts_is_sent_over_https(signed_in) -> None:
    response = signed_in("lara").get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_404_page_says_nothing_about_the_system_or_the_person(signed_in) -> None:
    response = signed_in("hana").get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Hana" not in page
    assert "Traceback" not in page
    assert "hana.head" not in page


def test_a_server_error_shows_a_plain_page_and_no_traceback(demo_world, settings) -> None:
    from django.urls import path

    def explode(request):
        raise RuntimeError("secret detail: hana.head@oakfield.example")

    import threshold.urls as project_urls

    class Urls:
        urlpatterns = [*project_urls.urlpatterns, path("explode/", explode, name="explode")]
        handler500 = project_urls.handler500

    settings.ROOT_URLCONF = Urls
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "secret detail" not in page
    assert "hana.head" not in page
    assert "Traceback" not in page
    # The one inline script carries the nonce the policy names, so it runs.
    nonce = re.search(r"<script nonce=\"([^\"]+)\"", page)
    assert nonce, "the inline script has no nonce"
    assert f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threshold.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "threshold.example",
        "AUDIT_CHAIN_KEY": "a-separate-long-random-key-for-the-audit-chain-0123456789",
        "THRESHOLD_DEMO_MODE": "false",
    }
    env.pop("DATABASE_URL", None)
    # The browser tests' conftest sets this for Playwright; production never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_demo_mode() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threshold.settings.production",
        "SECRET_KEY": "x" * 60,
        "AUDIT_CHAIN_KEY": "y" * 60,
        "THRESHOLD_DEMO_MODE": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "Demo mode must not be switched on in production" in result.stderr


def test_demo_totp_refuses_outside_demo_mode() -> None:
    env = {**os.environ, "THRESHOLD_DEMO_MODE": "false", "DJANGO_SETTINGS_MODULE": "threshold.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_totp", "lara.lado@northshire.example"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "only works in demo mode" in result.stderr


def test_production_refuses_to_start_without_a_separate_audit_chain_key() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threshold.settings.production",
        "SECRET_KEY": "x" * 60,
        "THRESHOLD_DEMO_MODE": "false",
    }
    env.pop("AUDIT_CHAIN_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be set" in result.stderr


def test_log_lines_lose_tokens_and_query_strings() -> None:
    from threshold.core.logging import redact

    line = '"GET /invitations/abc123secret/ HTTP/1.1" 302 0 and "GET /concerns/?q=Chris+Coach HTTP/1.1" 200'
    cleaned = redact(line)
    assert "abc123secret" not in cleaned
    assert "Chris" not in cleaned
    assert "/invitations/[redacted]/" in cleaned


def test_the_privacy_notice_names_the_controller_the_lawful_basis_and_the_ico(client, settings) -> None:
    settings.PRIVACY_CONTROLLER_NAME = "Eastshire County Council"
    settings.PRIVACY_DPO_CONTACT = "dpo@eastshire.example"
    page = client.get(reverse("privacy")).content.decode()
    for words in (
        "Eastshire County Council",
        "dpo@eastshire.example",
        "Public task",
        "Special category data",
        "Criminal offence data",
        "How long records are kept",
        "Your rights",
        "ico.org.uk/make-a-complaint",
    ):
        assert words in page, words


def test_the_accessibility_statement_is_honest_about_status_testing_and_enforcement(client) -> None:
    page = client.get(reverse("accessibility")).content.decode()
    for words in ("partially compliant", "axe", "Known limitations", "prepared on", "Equality and Human Rights"):
        assert words in page, words
