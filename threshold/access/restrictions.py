"""Trust-wide restrictions: the one rule that shows a name from an allegation the reader may not open.

Appendix 4 of the trust policy: a supply worker, contractor or volunteer whom
one of a trust's academies has barred while an allegation is open must not be
accepted by another academy of the trust. So the case managers, DSLs,
directors and HR of a trust's schools see the *name* of the barred person —
and nothing about the allegation, which stays with those who may see it.
Subject exclusion (rule 2) still applies: nobody sees a restriction about
themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from threshold.access.policies import not_about_user
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.accounts.selectors import current_memberships
from threshold.allegations.models import Allegation, AllegationStatus

RESTRICTION_ROLES = frozenset({Role.CASE_MANAGER, Role.DSL, Role.DIRECTOR_OF_SCHOOL, Role.HR_BUSINESS_PARTNER})


@dataclass(frozen=True)
class Restriction:
    """A person not to be accepted in the trust's academies: their name and nothing about the allegation."""

    name: str
    trust: str
    since: dt.datetime
    # For the audit trail alone (who has seen this bar): the page shows neither.
    allegation_id: int
    person_id: int


def restriction_trusts(user: User) -> set[int]:
    """The trusts whose academies this user handles safeguarding for (case manager, DSL, director, HR)."""
    trusts: set[int] = set()
    for membership in current_memberships(user):
        if membership.role not in RESTRICTION_ROLES:
            continue
        organisation = membership.organisation
        if organisation.kind == OrganisationKind.ACADEMY_TRUST:
            trusts.add(organisation.pk)
        elif organisation.trust_id:
            trusts.add(organisation.trust_id)
    return trusts


def trust_restrictions(user: User) -> list[Restriction]:
    """People barred from all the trust's academies while under investigation, by name (appendix 4)."""
    trusts = restriction_trusts(user)
    if not trusts:
        return []
    barred = (
        Allegation.objects.filter(organisation__trust_id__in=trusts, barred_from_trust=True)
        .exclude(status=AllegationStatus.CONCLUDED)
        .filter(not_about_user(scope_for(user), "subject__"))
        .select_related("subject", "organisation__trust")
    )
    return sorted(
        (
            Restriction(
                name=allegation.subject.full_name,
                trust=allegation.organisation.trust.name if allegation.organisation.trust else "",
                since=allegation.barred_from_trust_since or allegation.created_at,
                allegation_id=allegation.pk,
                person_id=allegation.subject_id,
            )
            for allegation in barred
        ),
        key=lambda restriction: restriction.name,
    )
