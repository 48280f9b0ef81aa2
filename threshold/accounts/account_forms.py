"""allauth's account forms with Threshold's written messages (issue 17): no "This field is required." on sign-in.

Each is allauth's own form, with ``core.forms.WrittenForm`` after it, so its stock messages name the field
("Enter email address", "Enter an email address in the correct format, like name@example.com"). allauth's
own messages (a wrong password, a used link) are kept. ``settings.ACCOUNT_FORMS`` names them.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms

from threshold.core.forms import WrittenForm

YOUR_EMAIL = "Enter your email address"


class SignInForm(allauth_forms.LoginForm, WrittenForm):
    """Sign in with an email address and a password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].error_messages["required"] = YOUR_EMAIL
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetPasswordForm(allauth_forms.ResetPasswordForm, WrittenForm):
    """Ask for a link to reset a password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = YOUR_EMAIL


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm, WrittenForm):
    """Choose a new password from a reset link."""


class ChangePasswordForm(allauth_forms.ChangePasswordForm, WrittenForm):
    """Change a password, knowing the current one."""


class AddEmailForm(allauth_forms.AddEmailForm, WrittenForm):
    """Change the account's email address."""


class ReauthenticateForm(allauth_forms.ReauthenticateForm, WrittenForm):
    """Confirm it is you with the password, before a sensitive change."""
