"""allauth's code forms, with a limit on wrong codes per account, and every wrong code recorded.

allauth's own limit shares its switch with the failed-password limit, which
django-axes replaces (keyed on username and address). Codes need a limit of
their own: only someone who already has the password reaches this form, so
keying it on the account cannot be used to lock a colleague out.

Wrong codes and the lockout are written to the audit trail here rather than
from a signal: the count and the limit live in this form, and allauth sends
no signal for a code refused because of our limit.
"""

from __future__ import annotations

from typing import Any

from allauth.core import context
from allauth.mfa.base import forms as allauth_forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.forms import WrittenForm

TOO_MANY = "Too many wrong codes. Wait {minutes} minutes and try again, or use one of your recovery codes."


def _key(user: Any) -> str:
    return f"threshold:mfa-failures:{user.pk}"


def _record(*, user: Any, action: str, stage: str, failures: int) -> None:
    """Write one MFA event: who (the account whose password was given), when, and from which address."""
    audit_record(
        context=AuditContext.from_request(context.request, user=user),
        action=action,
        record_type="user",
        record_id=user.pk,
        details={"stage": stage, "failures": failures},
    )


class _LimitedCodeMixin:
    """Refuse codes after ``MFA_CODE_FAILURE_LIMIT`` wrong ones within ``MFA_CODE_FAILURE_WINDOW_MINUTES``."""

    user: Any
    stage = "sign_in"

    def clean_code(self) -> str:
        """Check the limit before the code, count a wrong code against it, and record both."""
        limit = settings.MFA_CODE_FAILURE_LIMIT
        window = settings.MFA_CODE_FAILURE_WINDOW_MINUTES
        failures = int(cache.get(_key(self.user), 0))
        if failures >= limit:
            # A try while locked is still someone with the password guessing.
            _record(user=self.user, action="auth.mfa_failed", stage=self.stage, failures=failures)
            raise ValidationError(TOO_MANY.format(minutes=window))
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except ValidationError:
            failures = 1 if cache.add(_key(self.user), 1, timeout=window * 60) else int(cache.incr(_key(self.user)))
            _record(user=self.user, action="auth.mfa_failed", stage=self.stage, failures=failures)
            if failures == limit:
                _record(user=self.user, action="auth.mfa_locked_out", stage=self.stage, failures=failures)
            raise
        cache.delete(_key(self.user))
        return code


class AuthenticateForm(_LimitedCodeMixin, WrittenForm, allauth_forms.AuthenticateForm):
    """The code step of signing in."""


class ReauthenticateForm(_LimitedCodeMixin, WrittenForm, allauth_forms.ReauthenticateForm):
    """The code step of confirming it is you."""

    stage = "reauthenticate"
