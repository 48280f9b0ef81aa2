"""How django-axes identifies the account being guessed at."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Return the email being signed in with, lower-cased, so case tricks cannot dodge a lock."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    return str(request.POST.get("login", "")).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The address django-axes keys lockouts on: the one the audit trail records, honouring trusted proxies.

    None when the request has no usable address (django-axes stores a null);
    a made-up placeholder would be refused by PostgreSQL's ``inet`` column.
    """
    from threshold.audit.context import client_ip as audited_client_ip

    return audited_client_ip(request)
