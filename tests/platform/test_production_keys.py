"""Production refuses a SECRET_KEY or AUDIT_CHAIN_KEY shorter than 32 bytes, or the two being one secret (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from threshold.settings.env import env_secret

ROOT = Path(__file__).resolve().parents[2]
LONG_SECRET = "a-long-random-production-secret-for-the-check-0123456789abcdefghijklmnop"
LONG_CHAIN_KEY = "a-separate-long-random-key-for-the-audit-chain-0123456789"


def start_production(**keys: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py check`` under production settings with the given keys."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threshold.settings.production",
        "ALLOWED_HOSTS": "threshold.example",
        "THRESHOLD_DEMO_MODE": "false",
        "SECRET_KEY": LONG_SECRET,
        "AUDIT_CHAIN_KEY": LONG_CHAIN_KEY,
        **keys,
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_env_secret_refuses_a_short_value_and_says_how_to_make_a_good_one(monkeypatch) -> None:
    monkeypatch.setenv("SOME_KEY", "x" * 31)
    with pytest.raises(ImproperlyConfigured, match="SOME_KEY is 31 bytes long; it must be at least 32 bytes"):
        env_secret("SOME_KEY", min_bytes=32)
    monkeypatch.setenv("SOME_KEY", "x" * 32)
    assert env_secret("SOME_KEY", min_bytes=32) == "x" * 32


def test_env_secret_counts_bytes_not_characters(monkeypatch) -> None:
    monkeypatch.setenv("SOME_KEY", "é" * 16)  # 16 characters, 32 bytes in UTF-8
    assert env_secret("SOME_KEY", min_bytes=32) == "é" * 16


def test_env_secret_reads_a_file_and_checks_it_too(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("short\n", encoding="utf-8")
    monkeypatch.delenv("SOME_KEY", raising=False)
    monkeypatch.setenv("SOME_KEY_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="SOME_KEY is 5 bytes long"):
        env_secret("SOME_KEY", min_bytes=32)


def test_production_refuses_a_short_audit_chain_key() -> None:
    result = start_production(AUDIT_CHAIN_KEY="y" * 31)
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY is 31 bytes long; it must be at least 32 bytes" in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    result = start_production(SECRET_KEY="short-secret")
    assert result.returncode != 0
    assert "SECRET_KEY is 12 bytes long; it must be at least 32 bytes" in result.stderr


def test_production_refuses_one_secret_for_both() -> None:
    result = start_production(AUDIT_CHAIN_KEY=LONG_SECRET)
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be a different secret from SECRET_KEY" in result.stderr


def test_production_starts_with_two_long_different_keys() -> None:
    result = start_production()
    assert result.returncode == 0, result.stderr
