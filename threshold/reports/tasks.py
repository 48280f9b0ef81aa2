"""Background tasks of the reports app: writing a long list to a spreadsheet, by its job's id, after commit."""

from __future__ import annotations

from django_tasks import task

from threshold.reports.exports.services import export_job_run


@task()
def run_export(job_id: int) -> str:
    """Write one ``ExportJob`` (its id only: the job holds the list's name and filters); its status after.

    A failure is recorded on the job, which its page shows, never raised: the task's stored result keeps
    nothing a record said.
    """
    return export_job_run(job_id=job_id)
