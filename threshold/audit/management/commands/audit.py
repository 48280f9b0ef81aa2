"""``python manage.py audit verify|checkpoint``: check the audit trail, or save a checkpoint of it.

``audit verify [--full] [--checkpoint FILE]`` prints "Verified N audit events."
and exits 0, or prints one line naming the first bad event to stderr and exits
1, so a nightly job or monitoring check can act on the exit code alone. It
starts from where the last run reached (its verification checkpoint, so a
nightly run costs the day's events) and records how far it got; ``--full``,
or a checkpoint file, verifies every event from the first.

``audit checkpoint [--output FILE]`` writes the trail's current count and head
hash as JSON, to keep somewhere the database's administrators cannot rewrite.
The export is itself an audit event, appended just after the checkpoint it
describes (so the next checkpoint covers it).

The anonymous concerns' delayed events are the concerns app's job (``manage.py anonymous_intake``);
``audit record_anonymous``, its name until 2026-12-07, still runs it (saying so on stderr), so that a
deployment's nightly cron line, which chains every step with ``&&``, does not stop at it. Remove it once
deployments have moved (README, "Upgrading").

``audit index_lists`` writes the record index rows of the list events the task
worker has not reached yet (ADR 0031) and prints how many; safe at any time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from threshold.audit.context import AuditContext
from threshold.audit.index import index_pending_lists
from threshold.audit.services import audit_record
from threshold.audit.verify import Checkpoint, checkpoint_current, verify_trail

# Exit status when the trail does not verify. Django's CommandError also exits
# 1, so "anything but 0" and "exactly 1" both mean "do not trust the trail".
VERIFY_FAILED = 1


class Command(BaseCommand):
    """Verify the hash chain of the audit trail, or export a checkpoint of it."""

    help = "Verify the audit trail's hash chain (audit verify), or export a checkpoint of it (audit checkpoint)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Three subcommands: ``verify``, ``checkpoint`` and ``index_lists`` (and the old ``record_anonymous``)."""
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,checkpoint,index_lists}")
        verify = subcommands.add_parser(
            "verify", help="Check the events since the last verification; exit 1 naming the first bad one."
        )
        verify.add_argument("--full", action="store_true", help="Check every event from the first.")
        verify.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="A checkpoint saved earlier by 'audit checkpoint'; also detects events removed from the end. "
            "Checks every event from the first.",
        )
        checkpoint = subcommands.add_parser("checkpoint", help="Write the trail's count and head hash as JSON.")
        checkpoint.add_argument(
            "--output",
            metavar="FILE",
            help="Write to this new file (never overwritten) instead of standard output.",
        )

        subcommands.add_parser("record_anonymous", help="The old name of 'manage.py anonymous_intake', which it runs.")
        subcommands.add_parser("index_lists", help="Index the list events the task worker has not reached yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen subcommand."""
        if options["subcommand"] == "record_anonymous":
            self.stderr.write("'audit record_anonymous' is now 'anonymous_intake': change the cron line (README).")
            # By name, not by import: the job is the concerns app's, above the audit app's layer.
            call_command("anonymous_intake", stdout=self.stdout)
        elif options["subcommand"] == "index_lists":
            self.stdout.write(f"Indexed {index_pending_lists()} list event(s).")
        elif options["subcommand"] == "verify":
            self._verify(options.get("checkpoint"), full=bool(options.get("full")))
        else:
            self._export_checkpoint(options.get("output"))

    def _verify(self, checkpoint_path: str | None, *, full: bool) -> None:
        """Verify the chain since the last verification (all of it with ``full`` or a checkpoint file)."""
        checkpoint = _read_checkpoint(Path(checkpoint_path)) if checkpoint_path else None
        result = verify_trail(full=full, checkpoint=checkpoint)
        if not result.ok:
            # Written by hand rather than raised as CommandError, so the line is
            # the same from call_command and from the shell, with no prefix.
            self.stderr.write(result.describe())
            sys.exit(VERIFY_FAILED)
        self.stdout.write(result.describe())

    def _export_checkpoint(self, output: str | None) -> None:
        """Record the export and write the checkpoint, both or neither."""
        if output is None:
            with transaction.atomic():
                checkpoint = _checkpoint_and_record()
            self.stdout.write(checkpoint.to_json())
            return
        path = Path(output)
        try:
            # "x": a checkpoint file is evidence, so never replace an existing one.
            handle = path.open("x", encoding="utf-8")
        except FileExistsError as error:
            raise CommandError(f"{path} already exists: a checkpoint file is never overwritten.") from error
        except OSError as error:
            raise CommandError(f"Cannot create {path}: {error.strerror}.") from error
        try:
            # Writing inside the transaction means a failed write also undoes
            # the "exported" event, so the trail never claims an export that
            # did not happen.
            with handle, transaction.atomic():
                checkpoint = _checkpoint_and_record()
                _write_durably(handle, checkpoint.to_json() + "\n")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Checkpoint of {checkpoint.count} audit events written to {path}.")


def _checkpoint_and_record() -> Checkpoint:
    """Take a checkpoint, then append the event saying it was exported; call inside a transaction."""
    checkpoint = checkpoint_current()
    audit_record(
        context=AuditContext.system("audit-checkpoint"),
        action="audit.checkpoint_exported",
        details={"count": checkpoint.count, "head_hash": checkpoint.head_hash},
    )
    return checkpoint


def _write_durably(handle: TextIO, text: str) -> None:
    """Write and flush to disk before the transaction commits."""
    handle.write(text)
    handle.flush()
    os.fsync(handle.fileno())


def _read_checkpoint(path: Path) -> Checkpoint:
    """Load a checkpoint file, or stop with a message saying why it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot read checkpoint {path}: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not a checkpoint: it is not UTF-8 text.") from error
    try:
        return Checkpoint.from_json(text)
    except ValueError as error:
        raise CommandError(f"{path} is not a checkpoint: {error}.") from error
