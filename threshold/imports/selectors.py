"""Reading imports: a run is its starter's alone (it holds their file); mappings are their organisation's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.imports.models import ImportRun, SavedMapping


def importing_ids(actor: User) -> set[int]:
    """The organisations whose earlier records this person may import.

    A LADO manager imports their service's (``Scope.lado_manage``). Who handles a setting's concerns and
    allegations imports its log: its headteacher and DSLs, or the trust's director of school and DSLs for
    its schools (``concern_change_*`` and ``allegation_change_*`` both: an HR business partner, who handles
    allegations only, does not).
    """
    scope = scope_for(actor)
    concerns = scope.concern_change_plain | scope.concern_change_routed
    allegations = scope.allegation_change_plain | scope.allegation_change_routed
    return set(scope.lado_manage) | (concerns & allegations)


def importing_organisations(actor: User) -> list[Organisation]:
    """The organisations this person may import earlier records for, by name (a trust itself keeps no log)."""
    return list(
        Organisation.objects.filter(pk__in=importing_ids(actor), is_active=True)
        .exclude(kind=OrganisationKind.ACADEMY_TRUST)
        .order_by("name")
    )


def my_runs(user: User) -> QuerySet[ImportRun]:
    """The imports this person started, for organisations they may still import for, newest first (no file)."""
    return (
        ImportRun.objects.filter(started_by=user, organisation__in=importing_ids(user))
        .select_related("organisation")
        .defer("upload")
    )


def my_run(user: User, run_id: int) -> ImportRun:
    """The run ``run_id`` if this person started it and may still import for its organisation; else a 404."""
    run = ImportRun.objects.filter(pk=run_id, started_by=user, organisation__in=importing_ids(user)).first()
    if run is None:
        raise Http404("No such import.")
    return run


def saved_mappings(user: User) -> QuerySet[SavedMapping]:
    """The mappings kept for the organisations this person may import for."""
    return SavedMapping.objects.filter(organisation__in=importing_ids(user)).select_related("organisation")
