"""A concern a school's log brought in with "raised by" blank is anonymous, and was never shared in Threshold.

The nightly job that records anonymous shares (``concerns.services.anonymous_intake``) wrote a ``concern.shared``
for it, which then counted as work done on the import's records and stopped Dev undoing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.imports.test_setting_import import as_dev, christmas_eve, concern_of, log, setting_import  # noqa: F401
from threshold.audit.models import AuditEvent
from threshold.concerns.services import anonymous_intake
from threshold.imports.models import ImportRun, RunStatus
from threshold.imports.services.undo import import_undo


def test_the_nightly_job_records_no_share_of_an_imported_anonymous_concern_and_the_import_can_be_undone(
    persona: Any,
    log: Path,  # noqa: F811
) -> None:
    setting_import(log, *as_dev(persona))
    concern = concern_of("LC-02")  # "Raised by" blank in the school's 2023 log
    assert concern.is_anonymous
    anonymous_intake()
    assert not AuditEvent.objects.filter(action="concern.shared", record_id=str(concern.pk)).exists()
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    import_undo(actor=persona("dev"), run=run, expected_version=run.version)
    run.refresh_from_db()
    assert run.status == RunStatus.UNDONE
