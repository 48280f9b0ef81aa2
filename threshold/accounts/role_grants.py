"""Grants of roles that reach case data: who must approve them, who is told, and the record kept (ADR 0016).

An organisation admin reaches no case data (rule 4), but can give a role that
does to any address, including a second address of their own. So every such
grant is re-authenticated (the views), recorded as a ``RoleGrant``, announced
by email to the organisation's other admins (or, where there is no independent
second admin, to the system administrators), and listed on the organisation's
page. Where the organisation has a second, independent admin, a grant by one
admin waits for the other's approval before it gives any access.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from threshold.accounts.models import Invitation, Membership, Organisation, RoleGrant, User
from threshold.accounts.roles import Role

# A staff member sees only their own reports (rule 3) and nothing in
# threshold/access/scope.py: giving that role needs no second pair of eyes.
# Every other role reaches case data, or (organisation admin) can grant roles
# that do, so a second admin account would defeat the check if it were free.
UNCHECKED_ROLES = frozenset({Role.STAFF})


def is_checked_role(role: str) -> bool:
    """True for a role whose grant is re-authenticated, announced and (where possible) approved."""
    return role in Role.values and role not in UNCHECKED_ROLES


def _organisation_admins(*, organisation: Organisation) -> QuerySet[User]:
    """Active accounts holding an active organisation admin membership of the organisation."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Role.ORG_ADMIN,
        memberships__is_active=True,
    ).distinct()


def _linked_admin_ids(*, organisation: Organisation, user: User) -> set[int]:
    """Admins of the organisation whom ``user`` appointed, or who appointed ``user``.

    They cannot check each other: an admin who invites a second admin account
    of their own would otherwise approve their own grants through it.
    """
    effective = RoleGrant.objects.filter(
        organisation=organisation,
        role=Role.ORG_ADMIN,
        status__in=[RoleGrant.Status.GRANTED, RoleGrant.Status.APPROVED],
    )
    appointed = effective.filter(granted_by=user).values_list("user_id", flat=True)
    appointers = effective.filter(user=user).values_list("granted_by_id", flat=True)
    return {pk for pk in [*appointed, *appointers] if pk is not None}


def eligible_approvers(*, organisation: Organisation, granted_by: User, email: str) -> QuerySet[User]:
    """The organisation's admins who may approve a grant by ``granted_by`` to ``email``.

    Not the granter, not the person receiving the role, and not an admin
    linked to the granter by appointment. System administrators may also
    approve, but are not counted here: they are the fallback, told instead.
    """
    return (
        _organisation_admins(organisation=organisation)
        .exclude(pk=granted_by.pk)
        .exclude(email__iexact=email)
        .exclude(pk__in=_linked_admin_ids(organisation=organisation, user=granted_by))
    )


def may_approve(*, actor: User, grant: RoleGrant) -> bool:
    """True when ``actor`` may approve (not merely refuse) a pending grant."""
    if actor.pk == grant.granted_by_id or actor.email.lower() == grant.email.lower():
        return False
    if grant.user_id is not None and actor.pk == grant.user_id:
        return False
    if actor.is_system_admin:
        return True
    return (
        eligible_approvers(organisation=grant.organisation, granted_by=grant.granted_by, email=grant.email)
        .filter(pk=actor.pk)
        .exists()
    )


def needs_second_admin(*, actor: User, organisation: Organisation, role: str, email: str) -> bool:
    """True when a grant by ``actor`` must wait for a second administrator.

    A system administrator's grant takes effect at once (they are the
    service's trust anchor, ADR 0004/0011); so does an organisation admin's
    where no independent second admin exists, and then the system
    administrators are told instead.
    """
    if not is_checked_role(role) or actor.is_system_admin:
        return False
    return eligible_approvers(organisation=organisation, granted_by=actor, email=email).exists()


def role_grant_record(
    *,
    actor: User,
    organisation: Organisation,
    role: str,
    email: str,
    pending: bool,
    user: User | None = None,
    invitation: Invitation | None = None,
    membership: Membership | None = None,
    previous_role: str = "",
    base_url: str = "",
) -> RoleGrant:
    """Keep a checked grant and announce it once the caller's transaction commits.

    Called inside the transaction of the invitation or role change it belongs
    to, whose own audit event names the grant. ``base_url`` (scheme and host)
    makes the announcement's link absolute.
    """
    grant = RoleGrant.objects.create(
        organisation=organisation,
        role=role,
        previous_role=previous_role,
        email=email.strip().lower(),
        user=user,
        invitation=invitation,
        membership=membership,
        granted_by=actor,
        status=RoleGrant.Status.PENDING if pending else RoleGrant.Status.GRANTED,
    )
    recipients = announcement_recipients(grant=grant)
    link = base_url.rstrip("/") + reverse("organisation_role_grants", args=[organisation.pk])
    transaction.on_commit(lambda: _announce(grant=grant, recipients=recipients, link=link))
    return grant


def announcement_recipients(*, grant: RoleGrant) -> list[str]:
    """Who is told of a grant: the organisation's other admins, and the system administrators when none can check it.

    The granter and the person receiving the role are never told here (the
    granter knows; the person gets their invitation).
    """
    admins = (
        _organisation_admins(organisation=grant.organisation)
        .exclude(pk=grant.granted_by_id)
        .exclude(email__iexact=grant.email)
    )
    recipients = sorted(admins.values_list("email", flat=True))
    independent = eligible_approvers(organisation=grant.organisation, granted_by=grant.granted_by, email=grant.email)
    if not independent.exists():
        system_admins = (
            User.objects.filter(is_active=True, is_system_admin=True)
            .exclude(pk=grant.granted_by_id)
            .values_list("email", flat=True)
        )
        recipients += sorted(set(system_admins) - set(recipients))
    return recipients


def _announce(*, grant: RoleGrant, recipients: list[str], link: str) -> None:
    """Email each recipient separately: the organisation, the role, and where to look; no names."""
    organisation = grant.organisation.name
    if grant.is_pending:
        subject = f"Threshold: a role in {organisation} is waiting for approval"
        state = (
            "It gives no access until a second administrator approves it. Approve or refuse it on the "
            "organisation's page."
        )
    else:
        subject = f"Threshold: a role was granted in {organisation}"
        state = "It has taken effect. Check it on the organisation's page."
    for address in recipients:
        send_mail(
            subject=subject,
            message=(
                "Hello,\n\n"
                f"An administrator gave the role {grant.get_role_display()} in {organisation} to an account on "
                f"Threshold. {state}\n\n{link}\n\n"
                "If you do not recognise this grant, tell your organisation's other administrators or the "
                "Threshold system administrators straight away.\n"
            ),
            from_email=None,
            recipient_list=[address],
        )
