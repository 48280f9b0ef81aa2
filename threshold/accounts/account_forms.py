"""allauth's account forms with Threshold's written messages (issue 17): no "This field is required." on sign-in.

Each is allauth's own form, with ``core.forms.WrittenForm`` after it, so its stock messages name the field
("Enter email address", "Enter an email address in the correct format, like name@example.com"). allauth's
own messages (a wrong password, a used link) are kept. ``settings.ACCOUNT_FORMS`` names them.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress

from threshold.accounts.models import User
from threshold.core.forms import WrittenForm

YOUR_EMAIL = "Enter your email address"


class SignInForm(allauth_forms.LoginForm, WrittenForm):
    """Sign in with an email address and a password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].error_messages["required"] = YOUR_EMAIL
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetPasswordForm(allauth_forms.ResetPasswordForm, WrittenForm):
    """Ask for a link to reset a password: sent only to an address the account has proved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = YOUR_EMAIL

    def clean_email(self) -> str:
        """The accounts this address may reset: where it is the account's own address, or a confirmed one.

        allauth also offers an account an address only waiting to be confirmed (typed on "Change email", never
        followed): whoever held that mailbox, a typo's or someone's at an unlocked desk, could set the password.
        An address nobody has proved is answered as an unknown one is.
        """
        email = super().clean_email()
        offered: list[User] = list(getattr(self, "users", []))
        self.users = [user for user in offered if _proved(user, email)]
        return email


def _proved(user: User, email: str) -> bool:
    """Whether ``email`` is the account's own address (proved by its invitation or a change) or confirmed for it."""
    if user.email.casefold() == email.casefold():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm, WrittenForm):
    """Choose a new password from a reset link."""


class ChangePasswordForm(allauth_forms.ChangePasswordForm, WrittenForm):
    """Change a password, knowing the current one."""


class AddEmailForm(allauth_forms.AddEmailForm, WrittenForm):
    """Change the account's email address."""


class ReauthenticateForm(allauth_forms.ReauthenticateForm, WrittenForm):
    """Confirm it is you with the password, before a sensitive change."""
