"""On PostgreSQL, the same export asked for by two requests at once is one job (the requester's row is held).

SQLite admits one writer at a time (BEGIN IMMEDIATE), so the race is PostgreSQL's alone; skipped on SQLite.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.concurrency import at_once
from threshold.audit.models import AuditEvent
from threshold.reports.exports.services import export_job_start
from threshold.reports.models import ExportJob

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer already"),
]


def test_three_requests_at_once_for_mos_export_make_one_job(persona, settings) -> None:
    # The job waits to be written (queued, not run at once) while the other requests arrive, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mo = persona("mo")

    def ask() -> int:
        return export_job_start(actor=mo, kind="all-cases", file_format="csv", filters={}, rows_total=0).pk

    for _round in range(10):
        assert len(set(at_once(ask, ask, ask))) == 1
    assert ExportJob.objects.count() == 1
    assert AuditEvent.objects.filter(action="export.requested").count() == 1
