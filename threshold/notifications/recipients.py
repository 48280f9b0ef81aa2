"""Who is told: the people a record app names as the audience of a notification."""

from __future__ import annotations

from collections.abc import Iterable

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import Role

# A new referral or contact in the inbox is the LADOs' and their managers' to pick up.
INBOX_ROLES = (Role.LADO, Role.LADO_MANAGER)


def members_in_roles(organisation: Organisation, roles: Iterable[str]) -> list[User]:
    """Active users holding one of ``roles`` through an active membership of ``organisation``."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


def lado_inbox_team(local_authority: Organisation) -> list[User]:
    """The LADOs and LADO managers of a local authority: told of each new referral or contact in its inbox."""
    return members_in_roles(local_authority, INBOX_ROLES)
