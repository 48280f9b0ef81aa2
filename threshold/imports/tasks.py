"""The background tasks of the imports app: checking and importing a run, by its id, after the request that asked."""

from __future__ import annotations

import logging

from django_tasks import task

from threshold.audit.context import AuditContext
from threshold.imports.models import ImportRun
from threshold.imports.services.running import import_check, import_execute

logger = logging.getLogger(__name__)


@task()
def run_import(run_id: int) -> str:
    """Import one ``ImportRun`` (its id only: the run holds the file, the mapping and who asked); its status after.

    A failure is recorded on the run, which its page shows; the task's stored result keeps nothing a row said.
    """
    try:
        return str(import_execute(run_id=run_id).status)
    except Exception as error:  # the run says it failed; the log says what kind of error, never a row's values
        logger.warning("Import %s stopped: %s", run_id, type(error).__name__)
        return str(ImportRun.objects.values_list("status", flat=True).get(pk=run_id))


@task()
def run_check(run_id: int) -> str:
    """Check (dry-run) one ``ImportRun`` for its starter, in the background; its status after.

    A failure is recorded on the run (failed), which its page shows.
    """
    run = ImportRun.objects.select_related("started_by", "organisation").defer("upload").get(pk=run_id)
    if run.started_by is not None:
        context = AuditContext.for_user(run.started_by, run.organisation)
        try:
            import_check(actor=run.started_by, run=run, audit_context=context)
        except Exception as error:  # the run says it failed; the log says what kind of error, never a row's values
            logger.warning("The check of import %s stopped: %s", run_id, type(error).__name__)
    return str(ImportRun.objects.values_list("status", flat=True).get(pk=run_id))
