"""Every change to users and memberships: one transaction, one audit event each (invitations: ``invitations``)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts import selectors
from threshold.accounts.invitations import send_invitation_on_commit
from threshold.accounts.models import (
    Invitation,
    Membership,
    RoleGrant,
    User,
    UserSession,
    token_digest,
)
from threshold.accounts.permissions import check_role, require_admin_of
from threshold.accounts.role_grants import is_checked_role, may_approve, needs_second_admin, role_grant_record
from threshold.accounts.roles import PARTNER_ROLES, Role
from threshold.accounts.share_endings import end_hr_shares_no_longer_partnered, end_partner_shares
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version


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
    require_admin_of(actor=actor, organisation=membership.organisation)
    check_role(organisation=membership.organisation, role=role, actor=actor, current=membership.role)
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
        hr_shares_ended = end_hr_shares_no_longer_partnered(
            user=current.user, context=context_for(actor, audit_context)
        )
        shares_ended = (
            end_partner_shares(user=current.user, context=context_for(actor, audit_context))
            if old_role in PARTNER_ROLES
            else 0
        )
        details: dict[str, object] = {"role_grant": grant.pk} if grant else {}
        if hr_shares_ended:
            details["hr_shares_ended"] = hr_shares_ended
        if shares_ended:
            details["shares_ended"] = shares_ended
        audit_record(
            context=context_for(actor, audit_context),
            action="membership.role_changed",
            record_type="membership",
            record_id=current.pk,
            organisation=current.organisation,
            changes={"role": (old_role, role)},
            details=details or None,
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
    require_admin_of(actor=actor, organisation=grant.organisation)
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
        hr_shares_ended = shares_ended = 0
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
            send_invitation_on_commit(invitation=invitation, token=token, base_url=base_url)
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
            hr_shares_ended = end_hr_shares_no_longer_partnered(
                user=membership.user, context=context_for(actor, audit_context)
            )
            if current.previous_role in PARTNER_ROLES:
                shares_ended = end_partner_shares(user=membership.user, context=context_for(actor, audit_context))
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
                "hr_shares_ended": hr_shares_ended,
                "shares_ended": shares_ended,
            },
        )
    return current


def role_grant_refuse(*, actor: User, grant: RoleGrant, audit_context: AuditContext | None = None) -> RoleGrant:
    """Refuse (or, for its granter, withdraw) a grant that was waiting; an invitation is withdrawn with it."""
    require_admin_of(actor=actor, organisation=grant.organisation)
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
        # What was shared with them ends with the account: reactivated, they have it back only if shared again.
        shares_ended = end_partner_shares(user=locked, context=context_for(actor, audit_context))
        audit_record(
            context=context_for(actor, audit_context),
            action="user.deactivated",
            record_type="user",
            record_id=locked.pk,
            changes={"is_active": (True, False)},
            details={"sessions_ended": ended, "shares_ended": shares_ended},
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
    require_admin_of(actor=actor, organisation=membership.organisation)
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
        ended_shares = (
            end_partner_shares(user=current.user, context=context_for(actor, audit_context))
            if current.role in PARTNER_ROLES
            else 0
        )
        ended_shares += end_hr_shares_no_longer_partnered(user=current.user, context=context_for(actor, audit_context))
        audit_record(
            context=context_for(actor, audit_context),
            action="membership.ended",
            record_type="membership",
            record_id=current.pk,
            organisation=membership.organisation,
            changes={"is_active": (True, False)},
            details={"shares_ended": ended_shares},
        )


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
