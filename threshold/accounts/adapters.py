"""allauth adapters: invitation-only accounts and TOTP labels that name the service."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from threshold.audit.context import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: accounts come only from invitations."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Self-service sign-up is closed; administrators invite people."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count by: the one the audit trail and django-axes use.

        allauth reads forwarded addresses only by its own setting; left to it, behind the proxy production
        runs behind every sign-in and reset counted against the proxy's one address, so thirty strangers a
        minute kept everyone out (``TRUSTED_PROXY_COUNT``, as the audit trail honours it).
        """
        return client_ip(request) or super().get_client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Ask for the password again before security changes, unless it was typed in the last few minutes.

        allauth counts only an explicit "confirm it is you" step as recent, so
        someone who has just signed in, or just set up their first
        authenticator, would be asked for the password again at once (to see
        their new recovery codes, say). A password typed in this session within
        ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` proves the same thing.
        """
        request = self.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if any(
                record.get("method") == "password"
                and time.time() - float(record.get("at", 0)) < account_settings.REAUTHENTICATION_TIMEOUT
                for record in records
            ):
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class MFAAdapter(DefaultMFAAdapter):
    """Labels authenticator-app entries so people can tell Threshold's apart."""

    def get_totp_label(self, user: Any) -> str:
        """Show the account's email address in the authenticator app."""
        return str(user.email)
