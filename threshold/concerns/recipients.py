"""Who a concern goes to beyond its handlers (policy section 13.3).

Those told of one routed past the head, who signs off a DSL's decision (ADR 0025), and the HR business
partners it may be shared with for advice. Accounts and memberships only: no protected record is read here.
"""

from __future__ import annotations

from threshold.access.scope import SETTING_HANDLERS
from threshold.accounts.models import Membership, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.concerns.models import Concern
from threshold.concerns.selectors import governance_recipients
from threshold.people.subjects import users_not_about


def routed_recipients(concern: Concern) -> list[User]:
    """Who is told of a concern routed past the head (13.3: "director of schools, chair of governors and Trust DSLs").

    In a trust's school: the trust's directors of school and DSLs and the school's chair of governors; with
    no trust, the governance role. Never anyone the concern's adult is or could be.
    """
    organisation = concern.organisation
    trust = organisation if organisation.kind == OrganisationKind.ACADEMY_TRUST else organisation.trust
    if trust is None:
        return governance_recipients(organisation, subject=concern.subject)
    members = User.objects.filter(
        memberships__organisation=trust,
        memberships__role__in=(Role.DIRECTOR_OF_SCHOOL, Role.DSL),
        memberships__is_active=True,
        is_active=True,
    )
    ordered = list(members.distinct().order_by("full_name"))
    ordered += [user for user in governance_recipients(organisation) if user not in ordered]
    return users_not_about(concern.subject, ordered)


def handlers(concern: Concern) -> list[User]:
    """Who triages a concern the setting handles itself: its headteacher (case manager) and DSLs.

    Never anyone the concern's adult is or could be. A concern routed past the head goes to
    ``routed_recipients`` instead.
    """
    members = User.objects.filter(
        memberships__organisation=concern.organisation,
        memberships__role__in=SETTING_HANDLERS,
        memberships__is_active=True,
        is_active=True,
    )
    return users_not_about(concern.subject, list(members.distinct().order_by("full_name")))


def signers(concern: Concern) -> list[User]:
    """Who signs off a DSL's decision on this concern: "the headteacher … will make the ultimate decision" (13.3).

    The setting's headteacher (case manager); for a concern routed past the head, the trust's director of
    school, or, in a setting with no trust, its chair of governors or management committee. Never anyone
    the concern's adult is or could be (ADR 0025).
    """
    organisation = concern.organisation
    if not concern.routed_to_trust:
        where, roles = organisation, (Role.CASE_MANAGER,)
    elif organisation.kind == OrganisationKind.ACADEMY_TRUST or organisation.trust is not None:
        where, roles = organisation.trust or organisation, (Role.DIRECTOR_OF_SCHOOL,)
    else:
        where, roles = organisation, (Role.GOVERNANCE,)
    members = User.objects.filter(
        memberships__organisation=where, memberships__role__in=roles, memberships__is_active=True, is_active=True
    )
    return users_not_about(concern.subject, list(members.distinct().order_by("full_name")))


def decides_alone(*, user: User, concern: Concern) -> bool:
    """Whether the user's decision on the concern takes effect without the head's sign-off (ADR 0025).

    It does when they sign off themselves, when they are a director of the trust (who oversees the head), or
    when nobody who could sign off uses Threshold (a decision cannot wait for nobody).
    """
    people = signers(concern)
    return not people or user in people or directs_trust_of(user=user, concern=concern)


def directs_trust_of(*, user: User, concern: Concern) -> bool:
    """The user is a director of school of the trust the concern's setting belongs to (they oversee its head)."""
    trust_id = concern.organisation.trust_id
    if trust_id is None:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=trust_id, role=Role.DIRECTOR_OF_SCHOOL, is_active=True
    ).exists()


def hr_partners_for(concern: Concern) -> list[User]:
    """The HR business partners of the concern's setting and its trust, to share it with for advice (13.3).

    Never anyone the concern's adult is or could be.
    """
    organisation = concern.organisation
    where = [organisation.pk, *([organisation.trust_id] if organisation.trust_id else [])]
    members = User.objects.filter(
        memberships__organisation_id__in=where,
        memberships__role=Role.HR_BUSINESS_PARTNER,
        memberships__is_active=True,
        memberships__organisation__is_active=True,
        is_active=True,
    )
    return users_not_about(concern.subject, list(members.distinct().order_by("full_name")))
