"""On PostgreSQL, the same export asked for by two requests at once is one job (the requester's row is held).

SQLite admits one writer at a time (BEGIN IMMEDIATE), so the race is PostgreSQL's alone; skipped on SQLite.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from threshold.audit.models import AuditEvent
from threshold.reports.exports.services import export_job_start
from threshold.reports.models import ExportJob

# Three at once: with the test's own, as many connections as the pool holds (4), so none waits for another to end.
REQUESTS = 3

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer already"),
]


def test_three_requests_at_once_for_mos_export_make_one_job(persona, settings) -> None:
    # The job waits to be written (queued, not run at once) while the other requests arrive, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mo = persona("mo")
    start = threading.Barrier(REQUESTS)

    def ask(_number: int) -> int:
        start.wait(timeout=30)
        try:
            return export_job_start(actor=mo, kind="all-cases", file_format="csv", filters={}, rows_total=0).pk
        finally:
            connections.close_all()

    for _round in range(10):
        with ThreadPoolExecutor(max_workers=REQUESTS) as executor:
            jobs = set(executor.map(ask, range(REQUESTS)))
        assert len(jobs) == 1
    assert ExportJob.objects.count() == 1
    assert AuditEvent.objects.filter(action="export.requested").count() == 1
