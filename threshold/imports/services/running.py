"""Checking (the dry run) and importing a run, a batch of rows per transaction; and forgetting old files."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.core.locking import bump_version
from threshold.imports.checking import CheckedRow
from threshold.imports.models import ImportedRecord, ImportKind, ImportRun, RunStatus
from threshold.imports.services.common import (
    BATCH_ROWS,
    VALID_FOR,
    Outcome,
    RowWriter,
    audit_run_event,
    checked_rows,
    counts_of,
    finish,
    outcome_for,
    refreshed,
    require_importer,
    require_starter,
    rows_to_write,
    with_earlier,
)
from threshold.imports.services.setting_updating import SettingRows
from threshold.imports.services.updating import LadoRows
from threshold.imports.values import cell_text
from threshold.people.services import adult_keys_deferred

# What may be (re)checked: a run mapped, checked, or stopped by an error part-way (its rows imported so far stay).
CHECKABLE = (RunStatus.MAPPING, RunStatus.CHECKED, RunStatus.FAILED)
BUSY = (RunStatus.CHECK_QUEUED, RunStatus.CHECKING, RunStatus.QUEUED, RunStatus.RUNNING)


def rows_writer(run: ImportRun, *, recorded_by: User | None, audit_context: AuditContext) -> RowWriter:
    """What writes the run's rows: a LADO service's contacts and cases, or a setting's concerns."""
    rows = SettingRows if run.kind == ImportKind.SETTING else LadoRows
    return rows(run=run, recorded_by=recorded_by, audit_context=audit_context)


def import_check(
    *, actor: User | None, run: ImportRun, audit_context: AuditContext, recorded_by: User | None = None
) -> ImportRun:
    """The dry run: every row read and checked as the import would, what it would do counted; nothing written.

    Only the run's own summary is kept (and its audit event). ``recorded_by`` is who the import would
    record as (the command's person); the web's actor is the starter.
    """
    # Claimed in one statement: from "waiting to be checked" (the task) or a state a person may check again
    # (the command), so a task delivered twice checks once and never overtakes an import.
    claimed = ImportRun.objects.filter(pk=run.pk, status__in=(RunStatus.CHECK_QUEUED, *CHECKABLE)).update(
        status=RunStatus.CHECKING, expires_at=timezone.now() + VALID_FOR
    )
    if not claimed:
        raise ValidationError({"run": "This import is already being checked or imported"})
    if actor is not None:
        try:
            require_starter(actor, run)
        except PermissionDenied:
            fail_run(run, context=audit_context)  # no longer theirs to check: stopped, not left waiting
            raise
    writer = rows_writer(run, recorded_by=actor or recorded_by, audit_context=audit_context)
    outcome = outcome_for(run)
    rows = rows_to_write(run, writer, outcome, timezone.localdate())
    try:
        # In the import's batches, so each batch's look-ups are read once, as the import will read them.
        while read := list(itertools.islice(rows, BATCH_ROWS)):
            batch = with_earlier(run, writer, outcome, read)
            writer.start_batch([checked for checked, record in batch if record is None])
            _count_batch(writer, outcome, batch)
            ImportRun.objects.filter(pk=run.pk).update(rows_done=outcome.rows)  # how far it has got, for its page
        outcome.unallocated = writer.unallocated
    except Exception:
        fail_run(run, context=audit_context)
        raise
    finally:
        rows.close()  # the pass's ledger of references goes now, not when the generator is collected
        writer.close()
    with transaction.atomic(durable=True):
        if not finish(run, outcome, RunStatus.CHECKED, was=RunStatus.CHECKING):
            raise ValidationError({"run": "This import moved on while it was being checked"})
        audit_run_event(context=audit_context, run=run, action="import.checked", details=counts_of(run))
    return run


def _count_batch(writer: RowWriter, outcome: Outcome, batch: list[tuple[CheckedRow, ImportedRecord | None]]) -> None:
    """Count what the dry run's ``batch`` would do; nothing is written."""
    for checked, record in batch:
        if record is None:
            writer.count_new(outcome.created, checked)
            outcome.created["people"] += writer.new_person(checked)
        elif record.digest == checked.digest:
            outcome.unchanged += 1
        elif problems := writer.update_problems(record, checked):
            outcome.add_problems(problems)
        else:
            outcome.updated += 1


def fail_run(run: ImportRun, *, context: AuditContext) -> None:
    """A check or import that could not go on: stopped if it had brought records in, else back to mapping; audited."""
    stopped = RunStatus.FAILED if ImportedRecord.objects.filter(run=run).exists() else RunStatus.MAPPING
    with transaction.atomic(durable=True):
        if ImportRun.objects.filter(pk=run.pk, status__in=BUSY).update(status=stopped):
            audit_run_event(context=context, run=run, action="import.stopped", details={"status": stopped})


def check_queue(
    *, actor: User, run: ImportRun, expected_version: int, audit_context: AuditContext | None = None
) -> ImportRun:
    """Ask for the mapped run to be checked in the background (``tasks.run_check``, after commit).

    A large file's dry run takes longer than a page may wait; the run's page shows how far it has got.
    """
    from threshold.imports.tasks import run_check

    require_starter(actor, run)
    if run.status not in CHECKABLE:
        raise ValidationError({"run": "This import can no longer be checked"})
    return _queue(actor=actor, run=run, expected_version=expected_version, audit_context=audit_context,
                  status=RunStatus.CHECK_QUEUED, action="import.check_queued", task=run_check)  # fmt: skip


def problem_rows(*, actor: User, run: ImportRun, audit_context: AuditContext | None = None) -> Iterator[list[Any]]:
    """The rows to fix, as the file had them, each followed by what to fix: the errors spreadsheet's lines.

    Audited when asked for (the file goes back to the person who uploaded it). Rows that the import
    itself could not change (a decision changed after import) are in the run's problems, not here.
    """
    require_starter(actor, run)
    with transaction.atomic(durable=True):
        audit_run_event(context=context_for(actor, audit_context), run=run, action="import.problems_downloaded")
    for row, checked, _repeated in checked_rows(run, timezone.localdate()):
        if not checked.ok:
            fixes = "; ".join(f"{problem.column}: {problem.message}" for problem in checked.problems)
            yield [row.number, *[cell_text(row.cells.get(header)) for header in run.headers], fixes]


def import_queue(
    *, actor: User, run: ImportRun, expected_version: int, audit_context: AuditContext | None = None
) -> ImportRun:
    """Ask for the checked run to be imported in the background (``tasks.run_import``, after commit)."""
    from threshold.imports.tasks import run_import

    require_starter(actor, run)
    if run.status != RunStatus.CHECKED:
        raise ValidationError({"run": "Check the file before importing it"})
    return _queue(actor=actor, run=run, expected_version=expected_version, audit_context=audit_context,
                  status=RunStatus.QUEUED, action="import.queued", task=run_import)  # fmt: skip


def _queue(
    *,
    actor: User,
    run: ImportRun,
    expected_version: int,
    audit_context: AuditContext | None,
    status: str,
    action: str,
    task: Any,
) -> ImportRun:
    """Put the run in the status its task claims from, with another 24 hours, and enqueue the task on commit."""
    with transaction.atomic(durable=True):
        bump_version(run, expected_version)
        run.status = status
        run.rows_done = 0
        run.expires_at = timezone.now() + VALID_FOR
        run.save(update_fields=["status", "rows_done", "expires_at"])
        audit_run_event(context=context_for(actor, audit_context), run=run, action=action)
        transaction.on_commit(lambda: task.enqueue(run.pk))
    return run


def import_execute(
    *, run_id: int, audit_context: AuditContext | None = None, recorded_by: User | None = None
) -> ImportRun:
    """Import a run's valid rows, a batch per transaction, and record what it did. The task and the command call it.

    The actor is the run's starter (the web) or ``recorded_by`` with ``audit_context`` (the command's person).
    Rows already imported and unchanged are left alone; changed ones are updated; problem rows are skipped.
    A run that cannot be imported (its person no longer a manager of the service) is stopped, not left waiting.
    """
    run = ImportRun.objects.select_related("organisation", "started_by").defer("upload").get(pk=run_id)
    user = recorded_by or run.started_by
    started = timezone.now()
    # What this attempt writes comes after the records an earlier, stopped attempt wrote.
    before = ImportedRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Claimed in one statement, so a task run twice (or a command beside the web) imports the run once.
    claimed = ImportRun.objects.filter(pk=run.pk, status__in=(RunStatus.CHECKED, RunStatus.QUEUED)).update(
        status=RunStatus.RUNNING, rows_done=0, expires_at=started + VALID_FOR
    )
    if not claimed:
        raise ValidationError({"run": "This import has not been checked, or is already being imported"})
    try:
        if user is None:
            raise PermissionDenied("An import must name the person it is recorded as.")
        require_importer(user, run.organisation)
    except PermissionDenied:
        fail_run(run, context=audit_context or AuditContext.system("lado_import", run.organisation))
        raise
    context = audit_context or AuditContext.for_user(user, organisation=run.organisation)
    writer = rows_writer(run, recorded_by=user, audit_context=context)
    outcome = outcome_for(run)
    rows = rows_to_write(run, writer, outcome, timezone.localdate())
    try:
        while True:
            # Read and checked before the batch's transaction, so the file is parsed while others may write.
            read = list(itertools.islice(rows, BATCH_ROWS))
            # A batch's new contacts and cases get their match keys in one insert at its end.
            with transaction.atomic(durable=True), adult_keys_deferred():
                batch = with_earlier(run, writer, outcome, read, lock=True)
                writer.start_batch([checked for checked, record in batch if record is None])
                sources: list[ImportedRecord] = []
                for checked, record in batch:
                    if (source := _write_row(writer, outcome, checked, record)) is not None:
                        sources.append(source)
                writer.finish_batch()
                ImportedRecord.objects.bulk_create(sources)
                ImportRun.objects.filter(pk=run.pk).update(rows_done=outcome.rows)
            if len(read) < BATCH_ROWS:
                break
    except Exception:
        with transaction.atomic(durable=True):
            _finish_import(run, outcome, RunStatus.FAILED, after=before, writer=writer)
            audit_run_event(context=context, run=run, action="import.failed", details=counts_of(run))
        raise
    finally:
        rows.close()  # the pass's ledger of references goes now, not when the generator is collected
        writer.close()
    with transaction.atomic(durable=True):
        _finish_import(run, outcome, RunStatus.IMPORTED, after=before, writer=writer)
        audit_run_event(context=context, run=run, action="import.imported", details=counts_of(run))
    import_forget()  # files of other runs past their time go too, as the sweep would take them
    return run


def _finish_import(run: ImportRun, outcome: Outcome, status: str, *, after: int, writer: RowWriter) -> None:
    """Record what this attempt brought in, counted from what was committed (a failed batch wrote nothing).

    An attempt after a stop counts what it wrote itself; the rows the first attempt brought in are unchanged.
    """
    refreshed(run)
    records = ImportedRecord.objects.filter(run=run, pk__gt=after)
    outcome.created = writer.created_counts(records)
    outcome.unallocated = writer.unallocated
    finish(run, outcome, status)


def _write_row(
    writer: RowWriter, outcome: Outcome, checked: CheckedRow, record: ImportedRecord | None
) -> ImportedRecord | None:
    """Write one row, new or changed, and count it; a new row's source row, unsaved, for the batch's end."""
    if record is None:
        source = writer.create(checked)
        writer.count_new(outcome.created, checked)
        return source
    if record.digest == checked.digest:
        outcome.unchanged += 1
        return None
    problems = writer.update(record, checked)
    if problems:
        outcome.add_problems(problems)
    else:
        outcome.updated += 1
    return None


def import_forget(*, now: dt.datetime | None = None) -> int:
    """Empty the files of runs past their time (the sweep); runs never finished are marked abandoned."""
    now = now or timezone.now()
    # A busy run's time is renewed each time it is queued or claimed: one still busy when it runs out was
    # stopped with its worker, and is stopped here (it can be checked again, or undone).
    expired = ImportRun.objects.filter(expires_at__lte=now).exclude(upload=b"")
    return sum(forget_run(run_id=pk, now=now) for pk in expired.values_list("pk", flat=True))


def forget_run(*, run_id: int, now: dt.datetime) -> bool:
    """Empty one run's file if it is still past its time, read again under its lock; True if it was emptied.

    The sweep lists the runs first: one queued, claimed or finished since (its time renewed, its status moved
    on) is left alone rather than emptied and given the status the sweep read before.
    """
    with transaction.atomic(durable=True):
        run = (
            ImportRun.objects.select_for_update(no_key=True)
            .filter(pk=run_id, expires_at__lte=now)
            .exclude(upload=b"")
            .only("pk", "status")
            .first()
        )
        if run is None:
            return False
        status: str
        if run.status in BUSY:
            status = RunStatus.FAILED if ImportedRecord.objects.filter(run=run).exists() else RunStatus.ABANDONED
        elif run.status in (RunStatus.IMPORTED, RunStatus.FAILED, RunStatus.UNDONE):
            status = run.status
        else:
            status = RunStatus.ABANDONED
        # The problems go with the file: their messages may quote its cells.
        ImportRun.objects.filter(pk=run.pk).update(upload=b"", problems=[], status=status)
    return True
