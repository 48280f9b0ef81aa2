"""Reading imports: a run is its starter's alone (it holds their file); mappings are the service's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.imports.models import ImportRun, SavedMapping


def my_runs(user: User) -> QuerySet[ImportRun]:
    """The imports this person started, for the services they still manage, newest first (the file left out)."""
    return (
        ImportRun.objects.filter(started_by=user, local_authority__in=scope_for(user).lado_manage)
        .select_related("local_authority")
        .defer("upload")
    )


def my_run(user: User, run_id: int) -> ImportRun:
    """The run ``run_id`` if this person started it and still manages its service; else the 404 of none."""
    run = ImportRun.objects.filter(pk=run_id, started_by=user, local_authority__in=scope_for(user).lado_manage).first()
    if run is None:
        raise Http404("No such import.")
    return run


def saved_mappings(user: User) -> QuerySet[SavedMapping]:
    """The mappings kept by the services this person manages."""
    return SavedMapping.objects.filter(local_authority__in=scope_for(user).lado_manage).select_related(
        "local_authority"
    )
