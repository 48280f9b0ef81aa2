"""Creating a system administrator from the command line: how a new deployment gets its first account.

Invitations need an organisation and an inviting administrator, and a fresh
deployment has neither; so the first administrator is created by someone with
shell access to the server, who receives a one-time link to choose a password
(ADR 0011). The link is allauth's password-reset link: it works once (choosing
a password changes what it was signed over), expires after
``PASSWORD_RESET_TIMEOUT``, and the new administrator must then set up an
authenticator app before anything else, like anyone else signing in.
"""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record


def set_password_path(user: User) -> str:
    """The path of a one-time link that lets ``user`` choose a password."""
    key = default_token_generator.make_token(user)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


def system_admin_create(*, audit_context: AuditContext, email: str, full_name: str, base_url: str) -> tuple[User, str]:
    """Create a system administrator with no password yet; return the account and its one-time link.

    Refuses an email address that already has an account. The link is also
    emailed to the new administrator once the account is committed. The
    context names who made it: the command's job, or a named person.
    """
    email = email.strip().lower()
    full_name = full_name.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": "Enter an email address in the correct format, like name@example.org"}
        ) from None
    if not full_name:
        raise ValidationError({"full_name": "Enter the administrator's full name"})
    with transaction.atomic(durable=True):
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "An account with this email address already exists."})
        user = User.objects.create_user(email=email, full_name=full_name, is_system_admin=True)
        # The person proves the address by using the link sent to it.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        audit_record(
            context=audit_context,
            action="user.system_admin_created",
            record_type="user",
            record_id=user.pk,
            changes={"is_system_admin": (None, True)},
        )
        link = base_url.rstrip("/") + set_password_path(user)
        transaction.on_commit(lambda: _send_link(user=user, link=link))
    return user, link


def _send_link(*, user: User, link: str) -> None:
    send_mail(
        subject="Threshold: your administrator account",
        message=(
            f"Hello {user.full_name},\n\n"
            "A system administrator account has been created for you on Threshold.\n\n"
            f"Open this link to choose a password:\n{link}\n\n"
            "The link works once and expires in a few days. After choosing a password, sign in and set up "
            "your authenticator app.\nIf you were not expecting this, ignore this email.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
