"""Every change to users, memberships and invitations: one transaction, one audit event each."""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.accounts import selectors
from threshold.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    RoleGrant,
    User,
    UserSession,
    token_digest,
)
from threshold.accounts.role_grants import is_checked_role, may_approve, needs_second_admin, role_grant_record
from threshold.accounts.roles import PARTNER_ROLES, ROLES_BY_KIND, Role
from threshold.audit.context import AuditContext, context_for, context_identifying
from threshold.audit.services import audit_record
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version


def _require_admin_of(*, actor: User, organisation: Organisation) -> None:
    if not selectors.administered_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionError("You do not manage people in that organisation.")


def _check_role(*, organisation: Organisation, role: str, actor: User, current: str = "") -> None:
    if role not in ROLES_BY_KIND.get(organisation.kind, frozenset()):
        raise ValidationError({"role": "Choose a role that exists in this kind of organisation."})
    # The governance role reads the concerns kept from a setting's own manager
    # (section 13.3). The setting's organisation admin often reports to that
    # manager, so only a system administrator grants or takes it away.
    if Role.GOVERNANCE in (role, current) and role != current and not actor.is_system_admin:
        raise ValidationError(
            {"role": "Only a system administrator can give or take away the chair of governors role."}
        )


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
    _require_admin_of(actor=actor, organisation=organisation)
    _check_role(organisation=organisation, role=role, actor=actor)
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
        _send_invitation_on_commit(invitation=invitation, token=token, base_url=base_url)
    return invitation, token


def _send_invitation_on_commit(*, invitation: Invitation, token: str, base_url: str) -> None:
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
    _require_admin_of(actor=actor, organisation=invitation.organisation)
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


def membership_change_role(
    *,
    actor: User,
    membership: Membership,
    role: str,
    expected_version: int,
    audit_context: AuditContext | None = None,
    base_url: str = "",
) -> Membership:
    """Change the role a person holds in an organisation.

    ``expected_version`` is the version the administrator was looking at; if
    someone changed the membership since, ``ConflictError`` carries the
    current state instead of silently overwriting it. A role that reaches case
    data is recorded as a role grant and announced (ADR 0016); when an
    organisation admin gives it and the organisation has a second admin, the
    membership keeps its old role until that admin approves, and the returned
    membership still holds the old role.
    """
    _require_admin_of(actor=actor, organisation=membership.organisation)
    _check_role(organisation=membership.organisation, role=role, actor=actor, current=membership.role)
    with transaction.atomic(durable=True):
        bump_version(membership, expected_version)
        current = membership
        if not current.is_active:
            raise ConflictError(current)
        old_role = current.role
        if old_role == role:
            return current
        if current.user_id == actor.pk and old_role == Role.ORG_ADMIN and not actor.is_system_admin:
            raise ValidationError({"role": "You cannot remove your own administrator role."})
        checked = is_checked_role(role)
        email = current.user.email
        pending = checked and needs_second_admin(actor=actor, organisation=current.organisation, role=role, email=email)
        if pending and RoleGrant.objects.filter(membership=current, status=RoleGrant.Status.PENDING).exists():
            raise ValidationError({"role": "A change to this person's role is already waiting for approval."})
        grant = None
        if checked:
            grant = role_grant_record(
                actor=actor,
                organisation=current.organisation,
                role=role,
                email=email,
                pending=pending,
                user=current.user,
                membership=current,
                previous_role=old_role,
                base_url=base_url,
            )
        if pending:
            audit_record(
                context=context_for(actor, audit_context),
                action="membership.role_change_requested",
                record_type="membership",
                record_id=current.pk,
                organisation=current.organisation,
                details={"role": role, "previous_role": old_role, "role_grant": grant.pk if grant else None},
            )
            return current
        current.role = role
        current.save(update_fields=["role"])
        audit_record(
            context=context_for(actor, audit_context),
            action="membership.role_changed",
            record_type="membership",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"role": (old_role, role)},
            details={"role_grant": grant.pk} if grant else None,
        )
    return current


def role_grant_approve(
    *, actor: User, grant: RoleGrant, audit_context: AuditContext | None = None, base_url: str = ""
) -> RoleGrant:
    """A second administrator approves a grant that was waiting: it takes effect now.

    An invitation gets a fresh token and its link is emailed; a change of role
    is applied, unless the membership changed since it was asked for (then
    nothing happens and the administrator is told why). The approver must not
    be the granter, the person receiving the role, or an admin linked to the
    granter by appointment (``role_grants.may_approve``).
    """
    _require_admin_of(actor=actor, organisation=grant.organisation)
    with transaction.atomic(durable=True):
        current = (
            # Only the grant's own row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the
            # outer joins that the optional invitation and membership need.
            RoleGrant.objects.select_for_update(of=("self",))
            .select_related("organisation", "granted_by", "invitation", "membership")
            .get(pk=grant.pk)
        )
        if not current.is_pending:
            raise ValidationError("This role grant has already been decided.")
        if not may_approve(actor=actor, grant=current):
            raise PermissionError(
                "A second administrator must approve this: not the one who granted it or the person receiving it."
            )
        changes: dict[str, tuple[str, str]] = {}
        invitation = current.invitation
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.accepted_at is not None or invitation.revoked_at is not None:
                raise ValidationError("This invitation has been withdrawn.")
            token = secrets.token_urlsafe(32)
            invitation.token_digest = token_digest(token)
            invitation.awaiting_approval = False
            invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
            invitation.save(update_fields=["token_digest", "awaiting_approval", "expires_at"])
            _send_invitation_on_commit(invitation=invitation, token=token, base_url=base_url)
        elif current.membership is not None:
            membership = Membership.objects.select_for_update().get(pk=current.membership.pk)
            if not membership.is_active or membership.role != current.previous_role:
                raise ValidationError(
                    "This person's membership has changed since the new role was asked for. Refuse this request "
                    "and change their role again if it is still needed."
                )
            membership.role = current.role
            membership.version += 1
            membership.save(update_fields=["role", "version"])
            changes["role"] = (current.previous_role, current.role)
        current.status = RoleGrant.Status.APPROVED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            context=context_for(actor, audit_context),
            action="role_grant.approved",
            record_type="role_grant",
            record_id=current.pk,
            organisation=current.organisation,
            changes=changes,
            details={
                "role": current.role,
                "granted_by": current.granted_by_id,
                "membership": current.membership_id,
                "invitation": current.invitation_id,
            },
        )
    return current


def role_grant_refuse(*, actor: User, grant: RoleGrant, audit_context: AuditContext | None = None) -> RoleGrant:
    """Refuse (or, for its granter, withdraw) a grant that was waiting; an invitation is withdrawn with it."""
    _require_admin_of(actor=actor, organisation=grant.organisation)
    with transaction.atomic(durable=True):
        current = RoleGrant.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=grant.pk)
        if not current.is_pending:
            raise ValidationError("This role grant has already been decided.")
        now = timezone.now()
        if current.invitation_id is not None:
            Invitation.objects.filter(pk=current.invitation_id, revoked_at__isnull=True).update(revoked_at=now)
        current.status = RoleGrant.Status.REFUSED
        current.decided_by = actor
        current.decided_at = now
        current.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            context=context_for(actor, audit_context),
            action="role_grant.refused",
            record_type="role_grant",
            record_id=current.pk,
            organisation=current.organisation,
            details={"role": current.role, "granted_by": current.granted_by_id},
        )
    return current


def sessions_end(*, user: User) -> int:
    """End every server-side session of a user; returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def user_deactivate(*, actor: User, user: User, audit_context: AuditContext | None = None) -> User:
    """Deactivate an account and end its sessions at once.

    A system administrator may deactivate anyone but themselves; an
    organisation admin only people all of whose memberships are in
    organisations they run (otherwise they end the membership instead).
    """
    if actor.pk == user.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not actor.is_system_admin:
        if user.is_system_admin:
            raise PermissionError("Only a system administrator can deactivate another administrator.")
        managed = set(selectors.administered_organisations(user=actor).values_list("pk", flat=True))
        theirs = set(selectors.active_memberships(user=user).values_list("organisation_id", flat=True))
        if not theirs or not theirs <= managed:
            raise PermissionError("This person also belongs to organisations you do not manage.")
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.deactivated_at = timezone.now()
        locked.save(update_fields=["is_active", "deactivated_at"])
        ended = sessions_end(user=locked)
        audit_record(
            context=context_for(actor, audit_context),
            action="user.deactivated",
            record_type="user",
            record_id=locked.pk,
            changes={"is_active": (True, False)},
            details={"sessions_ended": ended},
        )
    return locked


def user_reactivate(*, actor: User, user: User, audit_context: AuditContext | None = None) -> User:
    """Let a deactivated person sign in again (system administrators only)."""
    if not actor.is_system_admin:
        raise PermissionError("Only a system administrator can reactivate an account.")
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            return locked
        locked.is_active = True
        locked.deactivated_at = None
        locked.save(update_fields=["is_active", "deactivated_at"])
        audit_record(
            context=context_for(actor, audit_context),
            action="user.reactivated",
            record_type="user",
            record_id=locked.pk,
            changes={"is_active": (False, True)},
        )
    return locked


def membership_end(*, actor: User, membership: Membership, audit_context: AuditContext | None = None) -> None:
    """Remove a person from one organisation, keeping the row for the record."""
    _require_admin_of(actor=actor, organisation=membership.organisation)
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot remove yourself from an organisation.")
    with transaction.atomic(durable=True):
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if not current.is_active:
            return
        current.is_active = False
        current.ended_at = timezone.now()
        current.version += 1
        current.save(update_fields=["is_active", "ended_at", "version"])
        ended_shares = _end_partner_shares_if_no_longer_a_partner(user=current.user)
        audit_record(
            context=context_for(actor, audit_context),
            action="membership.ended",
            record_type="membership",
            record_id=current.pk,
            organisation=membership.organisation,
            changes={"is_active": (True, False)},
            details={"shares_ended": ended_shares},
        )


def _end_partner_shares_if_no_longer_a_partner(*, user: User) -> int:
    """End the cases and meetings shared with someone who no longer works for a partner agency.

    Shares name a person, so a police liaison who leaves the force must not
    keep what was shared with them in that role.
    """
    from threshold.lado.models import CaseShare, MeetingShare

    if Membership.objects.filter(user=user, is_active=True, role__in=PARTNER_ROLES).exists():
        return 0
    now = timezone.now()
    ended = CaseShare.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    ended += MeetingShare.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    return ended


def organisation_switch(*, user: User, membership_id: int, audit_context: AuditContext | None = None) -> Membership:
    """Choose one of the user's own memberships to act through, audited; the view keeps it in the session."""
    membership = selectors.active_memberships(user=user).filter(pk=membership_id).first()
    if membership is None:
        raise ValidationError({"membership": "Choose one of your organisations."})
    audit_record(
        context=context_for(user, audit_context),
        action="auth.organisation_switched",
        record_type="membership",
        record_id=membership.pk,
        organisation=membership.organisation,
    )
    return membership
