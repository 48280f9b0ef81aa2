"""``python manage.py backup DEST``: back up the database, the uploaded documents and a manifest of checksums.

DEST is a new directory (threshold.core.backups). Safe to run while the
service is serving and the task worker is writing. Exits non-zero, having
left nothing at DEST, if any part fails. A backup is a copy of every record:
it is audited (``backup.taken`` by the system job ``backup``, naming the
operating-system account that ran it and the manifest's digest), after the
copy, so the event is in the trail the next backup holds. A command of the
audit app for that reason (core does not write the trail).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.audit.backup_events import backup_recorded
from threshold.core.backups import BackupError, take_backup


class Command(BaseCommand):
    """Take a backup that ``manage.py restore`` can check and restore."""

    help = "Back up the database, the uploaded documents and a manifest with their SHA-256 checksums into DEST."

    def add_arguments(self, parser: CommandParser) -> None:
        """One argument: the directory to create."""
        parser.add_argument("destination", metavar="DEST", help="A directory that does not exist yet (or is empty).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Take the backup and say what it holds."""
        try:
            summary = take_backup(Path(options["destination"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        backup_recorded(job="backup", action="backup.taken", summary=summary)
        self.stdout.write(
            f"Backed up the {summary.engine} database and {summary.documents} document(s) to {summary.path} "
            f"({summary.files} files in the manifest).\n"
            f"manifest.json SHA-256: {summary.manifest_sha256} (keep it apart from the backup to detect a "
            "rewritten manifest)."
        )
