"""allauth's code forms, with a limit on wrong codes per account.

allauth's own limit shares its switch with the failed-password limit, which
django-axes replaces (keyed on username and address). Codes need a limit of
their own: only someone who already has the password reaches this form, so
keying it on the account cannot be used to lock a colleague out.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.base import forms as allauth_forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

TOO_MANY = "Too many wrong codes. Wait {minutes} minutes and try again, or use one of your recovery codes."


def _key(user: Any) -> str:
    return f"threshold:mfa-failures:{user.pk}"


class _LimitedCodeMixin:
    """Refuse codes after ``MFA_CODE_FAILURE_LIMIT`` wrong ones within ``MFA_CODE_FAILURE_WINDOW_MINUTES``."""

    user: Any

    def clean_code(self) -> str:
        """Check the limit before the code, and count a wrong code against it."""
        limit = settings.MFA_CODE_FAILURE_LIMIT
        window = settings.MFA_CODE_FAILURE_WINDOW_MINUTES
        if int(cache.get(_key(self.user), 0)) >= limit:
            raise ValidationError(TOO_MANY.format(minutes=window))
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except ValidationError:
            if not cache.add(_key(self.user), 1, timeout=window * 60):
                cache.incr(_key(self.user))
            raise
        cache.delete(_key(self.user))
        return code


class AuthenticateForm(_LimitedCodeMixin, allauth_forms.AuthenticateForm):
    """The code step of signing in."""


class ReauthenticateForm(_LimitedCodeMixin, allauth_forms.ReauthenticateForm):
    """The code step of confirming it is you."""
