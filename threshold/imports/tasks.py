"""The background task of the imports app: importing a checked run, by its id, after the request that asked."""

from __future__ import annotations

from django_tasks import task

from threshold.imports.models import ImportRun
from threshold.imports.services.running import import_execute


@task()
def run_import(run_id: int) -> str:
    """Import one ``ImportRun`` (its id only: the run holds the file, the mapping and who asked); its status after.

    A failure is recorded on the run, which its page shows; the task's stored result keeps nothing a row said.
    """
    try:
        return str(import_execute(run_id=run_id).status)
    except Exception:
        return str(ImportRun.objects.values_list("status", flat=True).get(pk=run_id))
