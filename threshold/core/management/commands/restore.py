"""``python manage.py restore SRC [--force]``: restore a backup taken by ``manage.py backup``.

Every file is checked against the manifest's SHA-256 checksums before anything
is changed. Refuses a database that already holds tables, or a document folder
that holds documents, unless ``--force``. Stop the web server and the task
worker first, then run ``manage.py audit verify`` on the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    """Check a backup's checksums, then restore its database and documents."""

    help = "Restore a backup made by 'manage.py backup' into the configured database and document folder."

    def add_arguments(self, parser: CommandParser) -> None:
        """The backup directory, and ``--force`` to write over a database that is not empty."""
        parser.add_argument("source", metavar="SRC", help="A directory made by 'manage.py backup'.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database and add to the document folder even if they are not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Restore, or refuse with the reason."""
        try:
            summary = restore_backup(Path(options["source"]), force=bool(options["force"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {summary.engine} database and {summary.documents} document(s) from {summary.path}.\n"
            "Now run: python manage.py migrate && python manage.py audit verify"
        )
