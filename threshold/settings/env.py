"""Reading settings from the environment, failing loudly on bad values.

Secrets may come from a file (``NAME_FILE``) so that they never sit in a
process listing or a shell history; a value that cannot be parsed stops the
process at start-up rather than running with a surprising default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    """Return ``name`` from the environment (or from the file ``name_FILE``)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            with open(file_path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE could not be read: {error}") from error
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_secret(name: str, *, min_bytes: int = 32) -> str:
    """Return a required secret (or the contents of ``name_FILE``) at least ``min_bytes`` long.

    A short key can be guessed or brute-forced offline: a session cookie or an
    audit event's HMAC signed with it would then prove nothing. Length is
    counted in UTF-8 bytes, what the HMAC actually consumes.
    """
    value = env_str(name)
    length = len(value.encode("utf-8"))
    if length < min_bytes:
        raise ImproperlyConfigured(
            f"{name} is {length} bytes long; it must be at least {min_bytes} bytes of random data. Generate one "
            "with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean; only the usual spellings are accepted."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Return a whole number no smaller than ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list, without empty items."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
