"""Resetting someone's second factor when they have lost their authenticator app and recovery codes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts import selectors
from threshold.accounts.models import User
from threshold.accounts.services import sessions_end
from threshold.audit.services import audit_record


def _require_may_reset(*, actor: User, user: User) -> None:
    """A system administrator may reset anyone else; an organisation admin only people wholly in their organisations.

    The rule is the one for deactivation: resetting the second factor weakens
    an account until its owner sets up a new app, so an administrator of one
    organisation must not do it to someone who also works for another.
    """
    if actor.pk == user.pk:
        raise ValidationError("You cannot reset your own sign-in. Replace your app from Your account.")
    if actor.is_system_admin:
        return
    if user.is_system_admin:
        raise PermissionError("Only a system administrator can reset another administrator's sign-in.")
    managed = set(selectors.administered_organisations(user=actor).values_list("pk", flat=True))
    theirs = set(selectors.active_memberships(user=user).values_list("organisation_id", flat=True))
    if not theirs or not theirs <= managed:
        raise PermissionError("This person also belongs to organisations you do not manage.")


def user_reset_sign_in(*, actor: User, user: User, request: HttpRequest | None = None) -> int:
    """Delete a person's authenticators and recovery codes and end their sessions; returns authenticators removed.

    Their password is left alone: the next time they sign in, Threshold asks
    them to set up a new authenticator app before anything else. They are
    emailed at once, so a reset they did not ask for (someone who has their
    password talking an administrator into it) does not go unnoticed.
    """
    _require_may_reset(actor=actor, user=user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        types = sorted(Authenticator.objects.filter(user=locked).values_list("type", flat=True))
        Authenticator.objects.filter(user=locked).delete()
        ended = sessions_end(user=locked)
        audit_record(
            actor=actor,
            action="user.sign_in_reset",
            record_type="user",
            record_id=locked.pk,
            request=request,
            details={"authenticators_removed": types, "sessions_ended": ended},
        )
        transaction.on_commit(lambda: _tell_the_person(user=locked))
    return len(types)


def _tell_the_person(*, user: User) -> None:
    when = timezone.localtime()
    send_mail(
        subject="Threshold: your sign-in was reset",
        message=(
            f"Hello {user.full_name},\n\n"
            f"An administrator reset your Threshold sign-in on {when:%d %B %Y at %H:%M}: your authenticator app and"
            " recovery codes no longer work, and you have been signed out everywhere. The next time you sign in you"
            " will set up a new authenticator app.\n\n"
            "If you did not ask for this, tell your organisation's administrator straight away and change your"
            " password.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
