"""The audit events of a backup taken and a backup restored: each is a copy of every record, so each is in the trail.

By a named system job, with the operating-system account that ran it and the manifest's SHA-256 (ADR 0020).
"""

from __future__ import annotations

from threshold.audit.context import AuditContext, operating_account
from threshold.audit.services import audit_record
from threshold.core.backups import BackupSummary


def backup_recorded(*, job: str, action: str, summary: BackupSummary) -> None:
    """Record ``action`` (``backup.taken`` or ``backup.restored``) by ``system:<job>`` for the backup ``summary``."""
    audit_record(
        context=AuditContext.system(job),
        action=action,
        details={
            "operator": operating_account(),
            "engine": summary.engine,
            "documents": summary.documents,
            "files": summary.files,
            "manifest_sha256": summary.manifest_sha256,
        },
    )
