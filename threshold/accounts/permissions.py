"""Who may give which role where: the checks the membership and invitation services share."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from threshold.accounts import selectors
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import ROLES_BY_KIND, Role


def require_admin_of(*, actor: User, organisation: Organisation) -> None:
    """Refuse an actor who does not administer people in ``organisation``."""
    if not selectors.administered_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionError("You do not manage people in that organisation.")


def check_role(*, organisation: Organisation, role: str, actor: User, current: str = "") -> None:
    """Refuse a role the organisation's kind does not have, or the governance role from anyone but a system admin."""
    if role not in ROLES_BY_KIND.get(organisation.kind, frozenset()):
        raise ValidationError({"role": "Choose a role that exists in this kind of organisation."})
    # The governance role reads the concerns kept from a setting's own manager
    # (section 13.3). The setting's organisation admin often reports to that
    # manager, so only a system administrator grants or takes it away.
    if Role.GOVERNANCE in (role, current) and role != current and not actor.is_system_admin:
        raise ValidationError(
            {"role": "Only a system administrator can give or take away the chair of governors role."}
        )
