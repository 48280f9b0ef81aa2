"""Who reads which dashboard, and over which organisations (docs/employer-dashboards.md).

- **The trust's dashboard**: a director of school or a DSL held at an academy trust (the roles that handle the
  concerns routed past a headteacher, ``access.scope.TRUST_HANDLERS``), over the trust's schools.
- **A setting's own view**: its headteacher or manager (case manager) and its DSL (``SETTING_HANDLERS``), over
  that setting alone.
- Nobody else: not HR business partners (they reach a low-level concern only once it is shared with them by
  name, and advise on single cases: a count of the setting's concerns is not theirs to read), not staff, the
  governance role, LADOs, partners, auditors or administrators. They get the 404 of a page that is not there.

Memberships and organisations are not protected records; the figures themselves are read through
``threshold.access`` (``employer.concern_figures``, ``employer.allegation_figures``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.http import Http404

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.core import record_ids

Kind = Literal["trust", "school"]

# Who reads each dashboard: the roles that handle the concerns it counts (docs/access.md, rule 1).
READER_ROLES: dict[Kind, tuple[str, ...]] = {
    "trust": (Role.DIRECTOR_OF_SCHOOL, Role.DSL),
    "school": (Role.CASE_MANAGER, Role.DSL),
}


@dataclass(frozen=True)
class Dashboard:
    """One dashboard: whose it is (the trust or the setting) and the settings its figures count."""

    kind: Kind
    organisation: Organisation
    # The settings shown one by one (a trust's schools; the setting itself).
    schools: tuple[Organisation, ...]

    @property
    def organisation_ids(self) -> list[int]:
        """Every organisation whose records are counted: the schools, and a trust's own records too."""
        return sorted({self.organisation.pk, *(school.pk for school in self.schools)})

    @property
    def token(self) -> str:
        """The organisation as the chooser names it (``token_of``)."""
        return token_of(self.organisation)


def token_of(organisation: Organisation) -> str:
    """An organisation as the chooser names it in a link: a token that counts nothing (ADR 0017)."""
    return record_ids.encode(organisation.pk)


def dashboard_organisations(user: User, kind: Kind) -> list[Organisation]:
    """The trusts (or settings) whose dashboard the user may read, by name; empty for everyone else."""
    if not user.is_authenticated or not user.is_active or user.is_system_admin:
        return []
    return list(
        Organisation.objects.filter(
            kind__in=_kinds(kind),
            is_active=True,
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=READER_ROLES[kind],
        )
        .distinct()
        .order_by("name")
    )


def _kinds(kind: Kind) -> list[str]:
    """The kinds of organisation a dashboard is for: a trust, or any setting that is not one."""
    if kind == "trust":
        return [OrganisationKind.ACADEMY_TRUST]
    return [
        OrganisationKind.SCHOOL,
        OrganisationKind.EARLY_YEARS,
        OrganisationKind.OTHER_EMPLOYER,
        OrganisationKind.AGENCY,
    ]


def dashboard_for(user: User, kind: Kind, token: str = "") -> Dashboard:
    """The dashboard the user asked for (``token`` names the organisation; empty: their first), or ``Http404``."""
    choices = dashboard_organisations(user, kind)
    if not choices:
        raise Http404("No such page.")
    chosen = next((org for org in choices if token_of(org) == token), None) if token else choices[0]
    if chosen is None:
        raise Http404("No such page.")
    if kind == "trust":
        schools = tuple(Organisation.objects.filter(trust=chosen, is_active=True).order_by("name"))
    else:
        schools = (chosen,)
    return Dashboard(kind=kind, organisation=chosen, schools=schools)
