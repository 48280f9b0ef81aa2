"""Invitations: sending, finding by token, accepting and revoking; one transaction and audit event each."""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    RoleGrant,
    User,
    token_digest,
)
from threshold.accounts.permissions import check_role, require_admin_of
from threshold.accounts.role_grants import is_checked_role, needs_second_admin, role_grant_record
from threshold.audit.context import AuditContext, context_for, context_identifying
from threshold.audit.services import audit_record


def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    audit_context: AuditContext | None = None,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Invite someone to an organisation in a role; email them a one-time link.

    Returns the invitation and its raw token (shown nowhere else: only its
    digest is stored). The email is sent only once the invitation is committed.
    A role that reaches case data is recorded as a role grant and announced
    (ADR 0016); when an organisation admin offers it and the organisation has
    a second admin, the invitation waits for that admin's approval, no link is
    sent, and the returned token is empty. ``base_url`` (scheme and host)
    makes the emailed links absolute.
    """
    require_admin_of(actor=actor, organisation=organisation)
    check_role(organisation=organisation, role=role, actor=actor)
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email, organisation=organisation, is_active=True).exists():
        raise ValidationError({"email": "This person already belongs to the organisation."})
    if User.objects.filter(email__iexact=email, is_system_admin=True).exists():
        # ADR 0004: a system administrator never holds a role that reads case data.
        raise ValidationError({"email": "A system administrator's account cannot join an organisation."})
    if Invitation.objects.filter(
        email__iexact=email,
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError({"email": "This person already has an invitation to the organisation waiting."})
    token = secrets.token_urlsafe(32)
    checked = is_checked_role(role)
    pending = checked and needs_second_admin(actor=actor, organisation=organisation, role=role, email=email)
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            organisation=organisation,
            role=role,
            token_digest=token_digest(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
            awaiting_approval=pending,
        )
        grant = None
        if checked:
            grant = role_grant_record(
                actor=actor,
                organisation=organisation,
                role=role,
                email=email,
                pending=pending,
                user=User.objects.filter(email__iexact=email).first(),
                invitation=invitation,
                base_url=base_url,
            )
        audit_record(
            context=context_for(actor, audit_context),
            action="account.invited",
            record_type="invitation",
            record_id=invitation.pk,
            organisation=organisation,
            details={"role": role, "role_grant": grant.pk if grant else None, "awaiting_approval": pending},
        )
        if pending:
            # Nobody holds this token: approval makes a new one and sends it.
            return invitation, ""
        send_invitation_on_commit(invitation=invitation, token=token, base_url=base_url)
    return invitation, token


def send_invitation_on_commit(*, invitation: Invitation, token: str, base_url: str) -> None:
    """Email the invitation link once the transaction that made the token commits (never for a rolled-back one)."""
    link = base_url.rstrip("/") + reverse("invitation_open", args=[token])
    transaction.on_commit(lambda: _send_invitation(invitation=invitation, link=link))


def _send_invitation(*, invitation: Invitation, link: str) -> None:
    expires = timezone.localtime(invitation.expires_at)
    send_mail(
        subject="Threshold: you have been invited",
        message=(
            f"Hello {invitation.full_name},\n\n"
            f"You have been invited to join {invitation.organisation.name} on Threshold as "
            f"{invitation.get_role_display()}.\n\n"
            f"Open this link to choose a password and set up your authenticator app:\n{link}\n\n"
            f"The link works once and expires on {expires:%d %B %Y at %H:%M}.\n"
            "If you were not expecting this, ignore this email.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_find(*, token: str) -> Invitation | None:
    """Return the usable invitation for a token, or None (expired, used, revoked or unknown)."""
    invitation = Invitation.objects.select_related("organisation").filter(token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def invitation_accept(
    *,
    token: str,
    password: str,
    audit_context: AuditContext | None = None,
) -> User:
    """Accept an invitation: create the account (or reuse it) and the membership, in one step.

    An existing account with the invited email gets the new membership; its
    password is left alone. The invitation cannot be used twice.
    """
    with transaction.atomic(durable=True):
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_digest=token_digest(token))
            .first()
        )
        if invitation is None or not invitation.is_usable():
            raise ValidationError("This invitation link has expired or has already been used.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            candidate = User(email=invitation.email, full_name=invitation.full_name)
            validate_password(password, user=candidate)
            user = User.objects.create_user(email=invitation.email, password=password, full_name=invitation.full_name)
            # The invitation link proved the address: record it as verified, so
            # a later change of address waits for the new one to be confirmed.
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        elif not user.is_active:
            raise ValidationError("This account has been deactivated. Ask your administrator.")
        elif user.is_system_admin:
            raise ValidationError("A system administrator's account cannot join an organisation.")
        if Membership.objects.filter(user=user, organisation=invitation.organisation, is_active=True).exists():
            raise ValidationError("You already belong to this organisation.")
        membership = Membership(user=user, organisation=invitation.organisation, role=invitation.role)
        membership.full_clean(exclude=["user"])
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The organisation's page names the account the role went to.
        RoleGrant.objects.filter(invitation=invitation).update(user=user, membership=membership)
        audit_record(
            context=context_identifying(user, audit_context),
            action="account.invitation_accepted",
            record_type="membership",
            record_id=membership.pk,
            organisation=invitation.organisation,
            details={"invitation": invitation.pk, "role": invitation.role},
        )
    return user


def invitation_revoke(*, actor: User, invitation: Invitation, audit_context: AuditContext | None = None) -> None:
    """Withdraw an invitation that has not been accepted; a grant still waiting for approval ends with it."""
    require_admin_of(actor=actor, organisation=invitation.organisation)
    with transaction.atomic(durable=True):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        RoleGrant.objects.filter(invitation=invitation, status=RoleGrant.Status.PENDING).update(
            status=RoleGrant.Status.REFUSED, decided_by=actor, decided_at=invitation.revoked_at
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="account.invitation_revoked",
            record_type="invitation",
            record_id=invitation.pk,
            organisation=invitation.organisation,
        )
