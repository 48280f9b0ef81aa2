"""Resetting someone's second factor when they have lost their authenticator app and recovery codes.

After a reset the password alone is not enough to set up a new authenticator:
the person must also follow a single-use, expiring link emailed to their
address (ADR 0016), so someone who has only learned the password, and talked
an administrator into a reset, gets nowhere.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.accounts import selectors
from threshold.accounts.models import SignInReset, User, token_digest

# A read, so it lives in the selectors (the middleware asks it without importing the services); re-exported here.
from threshold.accounts.selectors import sign_in_reset_pending as sign_in_reset_pending
from threshold.accounts.services import sessions_end
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record

# A new link no more often than this, so the button cannot be used to flood someone's inbox.
RESEND_INTERVAL = timedelta(seconds=60)


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


def user_reset_sign_in(
    *, actor: User, user: User, audit_context: AuditContext | None = None, base_url: str = ""
) -> int:
    """Delete a person's authenticators and recovery codes and end their sessions; returns authenticators removed.

    Their password is left alone. The next time they sign in they are asked
    to follow the link emailed to them now (it works once and expires after
    ``SIGN_IN_RESET_LINK_VALID_MINUTES``), and only then to set up a new
    authenticator app. The email also tells them of the reset, so one they did
    not ask for does not go unnoticed. The administrator's view asks them to
    confirm it is them first (re-authentication).
    """
    _require_may_reset(actor=actor, user=user)
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        types = sorted(Authenticator.objects.filter(user=locked).values_list("type", flat=True))
        Authenticator.objects.filter(user=locked).delete()
        ended = sessions_end(user=locked)
        reset = SignInReset.objects.create(user=locked, reset_by=actor)
        token = _new_link(reset=reset)
        audit_record(
            context=context_for(actor, audit_context),
            action="user.sign_in_reset",
            record_type="user",
            record_id=locked.pk,
            details={"authenticators_removed": types, "sessions_ended": ended, "sign_in_reset": reset.pk},
        )
        link = base_url.rstrip("/") + reverse("sign_in_reset_open", args=[token])
        transaction.on_commit(lambda: _tell_the_person(user=locked, reset=reset, link=link))
    return len(types)


def sign_in_reset_send_link(
    *, user: User, proven_here: object = None, audit_context: AuditContext | None = None, base_url: str = ""
) -> SignInReset:
    """Email a new link (the old one stops working); for someone signed in with their password after a reset.

    ``proven_here``: the reset the asking browser proved, if any. A reset proved in another browser is asked
    to be proved again here: the new link is this browser's (the other keeps its own proof).
    """
    with transaction.atomic(durable=True):
        reset = sign_in_reset_pending(user=user, proven_here=proven_here)
        if reset is None:
            raise ValidationError("Your sign-in has not been reset, so there is no link to send.")
        reset = SignInReset.objects.select_for_update().get(pk=reset.pk)
        if reset.link_sent_at is not None and timezone.now() - reset.link_sent_at < RESEND_INTERVAL:
            raise ValidationError("We sent you a link less than a minute ago. Check your email, then try again.")
        token = _new_link(reset=reset)
        audit_record(
            context=context_for(user, audit_context),
            action="user.sign_in_reset_link_sent",
            record_type="user",
            record_id=user.pk,
            details={"sign_in_reset": reset.pk},
        )
        link = base_url.rstrip("/") + reverse("sign_in_reset_open", args=[token])
        transaction.on_commit(lambda: _send_link(user=user, reset=reset, link=link))
    return reset


def sign_in_reset_prove(
    *, user: User, token: str, proven_here: object = None, audit_context: AuditContext | None = None
) -> SignInReset:
    """Accept the emailed link for the signed-in person: they may now set up a new authenticator, in this browser.

    The token must be the latest one sent for this person's pending reset and
    not expired; it is cleared as it is used, so the link works once. The caller
    marks its session with the reset proved (``SIGN_IN_RESET_PROVEN_KEY``).
    """
    refused = ValidationError("This link has expired or has already been used. Ask for a new one.")
    with transaction.atomic(durable=True):
        reset = sign_in_reset_pending(user=user, proven_here=proven_here)
        if reset is None or not token:
            raise refused
        reset = SignInReset.objects.select_for_update().get(pk=reset.pk)
        if not reset.link_is_usable() or not secrets.compare_digest(reset.token_digest, token_digest(token)):
            raise refused
        reset.proven_at = timezone.now()
        reset.token_digest = ""
        reset.save(update_fields=["proven_at", "token_digest"])
        audit_record(
            context=context_for(user, audit_context),
            action="user.sign_in_reset_email_proven",
            record_type="user",
            record_id=user.pk,
            details={"sign_in_reset": reset.pk},
        )
    return reset


def _new_link(*, reset: SignInReset) -> str:
    """Make a new token for the reset, keep only its digest, and return it to be emailed.

    The reset is waiting to be proved again (by whichever browser follows the new link); a browser that proved it
    before keeps its own proof in its session.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    reset.token_digest = token_digest(token)
    reset.link_sent_at = now
    reset.link_expires_at = now + timedelta(minutes=settings.SIGN_IN_RESET_LINK_VALID_MINUTES)
    reset.proven_at = None
    reset.save(update_fields=["token_digest", "link_sent_at", "link_expires_at", "proven_at"])
    return token


def _link_paragraph(*, reset: SignInReset, link: str) -> str:
    expires = timezone.localtime(reset.link_expires_at)
    return (
        "To set up a new authenticator app, sign in with your password and then open this link in the same "
        f"browser:\n{link}\n\nThe link works once and expires at {expires:%H:%M on %d %B %Y}. If it has expired, "
        "sign in and ask for a new one.\n\n"
    )


def _tell_the_person(*, user: User, reset: SignInReset, link: str) -> None:
    when = timezone.localtime(reset.created_at)
    send_mail(
        subject="Threshold: your sign-in was reset",
        message=(
            f"Hello {user.full_name},\n\n"
            f"An administrator reset your Threshold sign-in on {when:%d %B %Y at %H:%M}: your authenticator app and"
            " recovery codes no longer work, and you have been signed out everywhere.\n\n"
            + _link_paragraph(reset=reset, link=link)
            + "If you did not ask for this, tell your organisation's administrator straight away and change your"
            " password.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def _send_link(*, user: User, reset: SignInReset, link: str) -> None:
    send_mail(
        subject="Threshold: your link to set up a new authenticator app",
        message=(
            f"Hello {user.full_name},\n\n"
            + _link_paragraph(reset=reset, link=link)
            + "If you did not ask for this link, tell your organisation's administrator and change your password.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def authenticator_app_removed_by_owner(*, user: User) -> SignInReset:
    """The person removed their own authenticator app ("Replace"): only this browser may set up the next one.

    Recorded as a reset they made themselves, proved in this browser (they passed the second factor in it, and
    confirmed it is them, to remove the app); the caller marks the session (``SIGN_IN_RESET_PROVEN_KEY``). Any
    other browser signed in with the password alone must follow a link emailed to the address first, as after
    an administrator's reset (ADR 0016). The person is told by email, so a removal they did not make is noticed.
    Joins the caller's transaction (allauth's removal); its audit event is the removal's own.
    """
    reset = SignInReset.objects.create(user=user, reset_by=user, proven_at=timezone.now())
    transaction.on_commit(lambda: _tell_of_removal(user=user, reset=reset))
    return reset


def _tell_of_removal(*, user: User, reset: SignInReset) -> None:
    when = timezone.localtime(reset.created_at)
    send_mail(
        subject="Threshold: your authenticator app was removed",
        message=(
            f"Hello {user.full_name},\n\n"
            f"The authenticator app on your Threshold account was removed on {when:%d %B %Y at %H:%M}, from a browser"
            " signed in to your account. Only that browser can set up a new app without a link we email you.\n\n"
            "If you did not do this, tell your organisation's administrator straight away and change your password.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
