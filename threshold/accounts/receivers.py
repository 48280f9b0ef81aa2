"""Sign-in, sign-out, lockout and MFA events, written to the audit trail.

These come from Django, allauth and django-axes as signals; this is the one
place signals are used, because the events happen inside those libraries.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import authentication_step_completed, email_changed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from threshold.accounts.middleware import MFA_VERIFIED_KEY, SIGN_IN_RESET_PROVEN_KEY, TIMED_OUT_KEY
from threshold.accounts.models import User, UserSession
from threshold.audit.context import Actor, AuditContext
from threshold.audit.services import audit_record


def _context(request: HttpRequest | None, user: User | None = None) -> AuditContext:
    """The event's context: the request's, naming ``user``, whom the request may not be signed in as yet."""
    if request is None:
        return AuditContext.for_user(user) if user is not None else AuditContext(actor=Actor.anonymous())
    return AuditContext.from_request(request, user=user)


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Record the sign-in and remember the session so deactivation can end it."""
    if request is None:
        return
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})
    request.session.pop(TIMED_OUT_KEY, None)
    audit_record(context=_context(request, user), action="auth.signed_in", record_type="user", record_id=user.pk)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    """Record the sign-out; the session itself is flushed by Django."""
    if user is None:
        return
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    audit_record(context=_context(request, user), action="auth.signed_out", record_type="user", record_id=user.pk)


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Record a failed sign-in against the account it named, if there is one.

    The address typed is not copied into the trail: it may be a mistyped
    password or someone else's address.
    """
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    target = User.objects.filter(email__iexact=email).first() if email else None
    audit_record(
        context=_context(request),
        action="auth.sign_in_failed",
        record_type="user" if target else "",
        record_id=target.pk if target else "",
    )


@receiver(user_locked_out)
def record_lockout(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    """Record that a username and address pair has been locked out."""
    target = User.objects.filter(email__iexact=username or "").first() if username else None
    audit_record(
        context=_context(request),
        action="auth.locked_out",
        record_type="user" if target else "",
        record_id=target.pk if target else "",
    )


@receiver(authentication_step_completed)
def record_mfa_step(sender: Any, request: HttpRequest, user: User, method: str, **kwargs: Any) -> None:
    """Mark the session as having passed MFA once a second factor has been verified."""
    if method == "mfa":
        request.session[MFA_VERIFIED_KEY] = str(user.pk)
        audit_record(
            context=_context(request, user),
            action="auth.mfa_verified",
            record_type="user",
            record_id=user.pk,
            details={"type": str(kwargs.get("type", "")), "reauthenticated": bool(kwargs.get("reauthenticated"))},
        )


@receiver(authenticator_added)
def record_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    """Record a new authenticator; setting up TOTP proves the second factor for this session."""
    if authenticator.type == "totp" and request is not None:
        request.session[MFA_VERIFIED_KEY] = str(user.pk)
    audit_record(
        context=_context(request, user),
        action="mfa.authenticator_added",
        record_type="user",
        record_id=user.pk,
        details={"type": authenticator.type},
    )


@receiver(authenticator_removed)
def record_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    """Record a removed authenticator; without an authenticator app the session must set one up again.

    Clearing the mark that this session passed MFA makes the MFA middleware
    send the person to set up a new app before anything else, so removing the
    last one never leaves a session working on a password alone; and only this
    session may set it up without an emailed link.
    """
    from threshold.accounts.mfa_services import authenticator_app_removed_by_owner
    from threshold.accounts.selectors import user_has_totp

    details: dict[str, Any] = {"type": authenticator.type}
    if request is not None and not user_has_totp(user=user):
        request.session.pop(MFA_VERIFIED_KEY, None)
        if authenticator.type == "totp":
            # Only this browser may set up the next app; any other must follow an emailed link (ADR 0016).
            reset = authenticator_app_removed_by_owner(user=user)
            request.session[SIGN_IN_RESET_PROVEN_KEY] = reset.pk
            details["sign_in_reset"] = reset.pk
    audit_record(
        context=_context(request, user),
        action="mfa.authenticator_removed",
        record_type="user",
        record_id=user.pk,
        details=details,
    )


@receiver(authenticator_reset)
def record_authenticator_reset(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    """Record regenerated recovery codes."""
    audit_record(
        context=_context(request, user),
        action="mfa.recovery_codes_regenerated",
        record_type="user",
        record_id=user.pk,
    )


@receiver(password_changed)
def record_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Record a password change (never the password), and the session's new key.

    Django gives the session a new key when the password changes; tracking it
    keeps deactivation able to end this session too.
    """
    if request is not None:
        if request.session.session_key is None:
            request.session.save()
        UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})
    audit_record(
        context=_context(request, user),
        action="account.password_changed",
        record_type="user",
        record_id=user.pk,
        excluded_fields=["password"],
    )


@receiver(password_reset)
def record_password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Record a password reset by emailed link."""
    audit_record(
        context=_context(request, user),
        action="account.password_reset",
        record_type="user",
        record_id=user.pk,
        excluded_fields=["password"],
    )


@receiver(email_changed)
def record_email_changed(
    sender: Any, request: HttpRequest, user: User, from_email_address: Any, to_email_address: Any, **kwargs: Any
) -> None:
    """Record a change of sign-in email and keep the user's own email field in step."""
    new_email = str(to_email_address.email).lower()
    old_email = str(from_email_address.email).lower() if from_email_address else ""
    relinked = 0
    if user.email != new_email:
        # Saved, not updated in bulk: the old address is kept among the account's former ones (ADR 0018).
        account = User.objects.get(pk=user.pk)
        account.email = new_email
        account.save(update_fields=["email"])
        user.email, user.former_emails = account.email, account.former_emails
    if old_email:
        # Subject exclusion also matches on email (docs/access.md, rule 2):
        # before the old address stops matching, link the records that carry
        # it to the account itself, so the person still never sees them.
        from threshold.people.models import Person

        linking = list(Person.objects.filter(user__isnull=True, email__iexact=old_email).select_related("organisation"))
        relinked = Person.objects.filter(pk__in=[person.pk for person in linking]).update(user=user)
        for person in linking:
            # Each person record is its organisation's case data: its own event, on its own organisation.
            audit_record(
                context=_context(request, user),
                action="person.linked_to_account",
                record_type="person",
                record_id=person.pk,
                organisation=person.organisation,
                details={"user": user.pk, "reason": "email_changed"},
            )
    audit_record(
        context=_context(request, user),
        action="account.email_changed",
        record_type="user",
        record_id=user.pk,
        changes={"email": (from_email_address.email if from_email_address else None, new_email)},
        # Person records linked to the account so subject exclusion keeps holding.
        details={"person_records_linked": relinked},
    )
