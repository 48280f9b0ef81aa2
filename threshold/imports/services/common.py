"""What the import services share: the run's figures, who may act, its audit events, and its rows, checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record
from threshold.imports.checking import CheckedRow, Problem, check_row
from threshold.imports.kinds import kind_rules
from threshold.imports.ledger import Ledger
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus
from threshold.imports.reading import Row, Table, open_table
from threshold.imports.selectors import importing_ids

# How many problems a run keeps to show and to give back as a file (the counts are always whole).
PROBLEMS_KEPT = 2000
# Rows written per transaction: small enough to keep memory flat and progress moving, large enough to be quick.
BATCH_ROWS = 250
VALID_FOR = dt.timedelta(hours=24)
# What an undo finds on a record that means someone has worked on it since (reads do not count).
IMPORT_ACTIONS = (
    "contact.imported",
    "case.imported",
    "contact.import_updated",
    "case.import_updated",
    "person.import_updated",
    "person.recorded",
    "concern.imported",
    "allegation.imported",
    "concern.import_updated",
    "allegation.import_updated",
)


@dataclass
class Outcome:
    """What a dry run or an import did (or would do), as the summary gives it."""

    # The created figures this kind of import gives (``kinds.KindRules.created``).
    kinds: tuple[str, ...] = ("contacts", "decisions", "cases", "people")
    rows: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    # Rows naming a LADO who is not one of the service's now (or whom the adult could be): left unallocated.
    unallocated: int = 0
    problem_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def add_problems(self, problems: list[Problem]) -> None:
        """Count a row's problems, keeping the first ``PROBLEMS_KEPT`` of the run to show."""
        self.problem_rows += 1
        self.problem_count += len(problems)
        room = PROBLEMS_KEPT - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def summary(self) -> dict[str, Any]:
        """The summary the command prints and the run keeps."""
        return {
            "rows": self.rows,
            "created": {kind: self.created.get(kind, 0) for kind in self.kinds},
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "unallocated": self.unallocated,
            "rows_with_errors": self.problem_rows,
            "error_count": self.problem_count,
            "errors": [problem.as_dict() for problem in self.problems],
        }


def require_importer(actor: User | None, organisation: Organisation) -> None:
    """Refuse anyone who may not import ``organisation``'s records (None: the command line's system job)."""
    if actor is None:
        return
    if organisation.pk not in importing_ids(actor) or organisation.kind == OrganisationKind.ACADEMY_TRUST:
        raise PermissionDenied(
            "Only a LADO manager of the service, or who handles the setting's concerns, imports its records."
        )


def require_starter(actor: User, run: ImportRun) -> None:
    """Refuse anyone but the person who started the run (and may still import for its organisation)."""
    if run.started_by_id != actor.pk:
        raise PermissionDenied("This import is someone else's.")
    require_importer(actor, run.organisation)


def audit_run_event(
    *, context: AuditContext, run: ImportRun, action: str, details: Mapping[str, Any] | None = None
) -> None:
    """The run's audit event: its format and digest with ``details`` (counts, never a value of the file)."""
    audit_record(
        context=context,
        action=action,
        record_type="import",
        record_id=run.pk,
        organisation=run.organisation,
        details={"file_format": run.file_format, "file_digest": run.file_digest, **(details or {})},
    )


def table_of(run: ImportRun) -> Table:
    """The run's sheet, read again from its kept file; a ``ValidationError`` once the file is gone."""
    # Read for this pass only, not kept on the run: a large workbook is megabytes, and a copy on the instance
    # (and another from each refresh) would be most of what a pass holds.
    content = bytes(ImportRun.objects.filter(pk=run.pk).values_list("upload", flat=True).get())
    if not content:
        raise ValidationError({"file": "The file has been removed: upload it again"})
    return open_table(content, sheet=run.sheet)


def checked_rows(run: ImportRun, today: dt.date) -> Iterator[tuple[Row, CheckedRow, bool]]:
    """Each row of the file checked, and whether it repeats an earlier row exactly (skipped, not a problem)."""
    # Each distinct row's reference, with its number and digest: on disk, so memory does not grow with the file.
    seen = Ledger()
    try:
        yield from _checked_against(run, today, seen)
    finally:
        seen.close()


def _checked_against(run: ImportRun, today: dt.date, seen: Ledger) -> Iterator[tuple[Row, CheckedRow, bool]]:
    """``checked_rows``, remembering in ``seen`` the first row of each reference."""
    for row in table_of(run).rows():
        checked = check_row(
            row, mapping=run.mapping, translations=run.translations, today=today, rules=kind_rules(run.kind).rules
        )
        first = seen.get("rows", checked.key)
        if first is not None and checked.ok:
            if first[1] == checked.digest:
                yield row, checked, True
                continue
            column = run.mapping.get("reference") or kind_rules(run.kind).columns.by_name["reference"].label
            checked.problems.append(
                Problem(
                    checked.number,
                    column,
                    f"Same record as row {first[0]} with different "
                    "details: give each record its own reference, or remove one row",
                )
            )
        if checked.ok:
            seen.put("rows", checked.key, (checked.number, checked.digest))
        yield row, checked, False


class RowWriter(Protocol):
    """What writes one kind's rows and brings them up to date on a re-run.

    A LADO service's: ``services.updating.LadoRows``; a setting's: ``services.setting_updating.SettingRows``.
    """

    unallocated: int

    def may_change(self, record: ImportedRecord) -> bool:
        """Whether the importer may change an earlier import's record (never one about themselves)."""

    def row_problems(self, checked: CheckedRow) -> list[Problem]:
        """Why a row must not be written (or rewritten) by this importer, as problems."""

    def count_new(self, created: Counter[str], checked: CheckedRow) -> None:
        """Count the records a new row brings in."""

    def new_person(self, checked: CheckedRow) -> bool:
        """Whether a new row's adult would be a new person record (the dry run)."""

    def create(self, checked: CheckedRow) -> ImportedRecord:
        """Write a new row's records; returns its source row, unsaved (inserted with the batch's)."""

    def start_batch(self, rows: Sequence[CheckedRow]) -> None:
        """Read at once what the batch's new ``rows`` would each look up, before they are written (or counted)."""

    def finish_batch(self) -> None:
        """Write what the batch's new rows left for its end, inside the batch's transaction."""

    def close(self) -> None:
        """Forget what the run remembered of its rows' adults (its ledger, ADR 0038) once the pass is over."""

    def created_counts(self, records: QuerySet[ImportedRecord]) -> Counter[str]:
        """What an attempt's committed records are, counted."""

    def update_problems(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Why a changed row must not be applied (reads only)."""

    def update(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Apply a changed row, or say why not."""


def outcome_for(run: ImportRun) -> Outcome:
    """An empty outcome with the created figures of the run's kind."""
    return Outcome(kinds=kind_rules(run.kind).created)


def rows_to_write(
    run: ImportRun, writer: RowWriter, outcome: Outcome, today: dt.date
) -> Generator[CheckedRow, None, None]:
    """Each row to import, checked; problem rows and repeats counted, not yielded (``with_earlier`` pairs them)."""
    for _row, checked, repeated in checked_rows(run, today):
        outcome.rows += 1
        if repeated:
            outcome.duplicates += 1
            continue
        if not checked.ok:
            outcome.add_problems(checked.problems)
            continue
        # Before anything is looked up: a row the importer may not write says so whether or not it was imported
        # before, so neither answer tells them anything about a record they may not see.
        if problems := writer.row_problems(checked):
            outcome.add_problems(problems)
            continue
        yield checked


def with_earlier(
    run: ImportRun, writer: RowWriter, outcome: Outcome, batch: Sequence[CheckedRow], *, lock: bool = False
) -> list[tuple[CheckedRow, ImportedRecord | None]]:
    """The batch's rows, each with its earlier import if any, read in one query.

    The import calls it inside the batch's transaction, with ``lock`` (PostgreSQL holds the rows until it
    commits), so what another run or an undo committed meanwhile is what it sees. A row whose earlier record
    the importer may not change is counted as unchanged and left out.
    """
    found = ImportedRecord.objects.filter(organisation=run.organisation, source_key__in=[row.key for row in batch])
    # Without the rows as they were imported: only a changed row reads them (a query then), and a batch's would
    # be most of what a re-run holds in memory.
    found = found.defer("values")
    earlier = {record.source_key: record for record in (found.select_for_update() if lock else found)}
    paired: list[tuple[CheckedRow, ImportedRecord | None]] = []
    for checked in batch:
        record = earlier.get(checked.key)
        if record is not None and not writer.may_change(record):
            outcome.unchanged += 1
            continue
        paired.append((checked, record))
    return paired


def finish(run: ImportRun, outcome: Outcome, status: str, *, was: str = "") -> bool:
    """Keep the figures and problems on the run, in its new status; the file goes once nothing is left to fix.

    ``was``: only if the run is still in that status (a check finishing never overtakes an import). Whether
    the run was changed.
    """
    summary = outcome.summary()
    problems = summary.pop("errors")
    values: dict[str, Any] = {
        "summary": summary,
        "problems": problems,
        "status": status,
        "rows_total": outcome.rows,
        "rows_done": outcome.rows,
        "finished_at": timezone.now(),
    }
    if status == RunStatus.IMPORTED and not outcome.problem_rows:
        values.update(upload=b"", problems=[])  # nothing left to fix: the file is not kept
    rows = ImportRun.objects.filter(pk=run.pk)
    if was:
        rows = rows.filter(status=was)
    changed = bool(rows.update(**values))
    refreshed(run)
    return changed


def refreshed(run: ImportRun) -> ImportRun:
    """``run`` read again, all but its file, which stays unread until asked for (``table_of`` reads it alone)."""
    run.__dict__.pop("upload", None)  # Django reloads every field but a deferred one, and an absent one is deferred
    run.refresh_from_db()
    return run


def summary_of(run: ImportRun) -> dict[str, Any]:
    """The run's summary with its problems, as the command prints it."""
    return {**run.summary, "errors": run.problems}


def counts_of(run: ImportRun) -> dict[str, Any]:
    """The run's figures for its audit event: counts only, never a value of the file."""
    return {name: value for name, value in run.summary.items() if name != "errors"}


def worked_on_since(
    *,
    since: dt.datetime,
    contacts: Iterable[int] = (),
    cases: Iterable[int] = (),
    people: Iterable[int] = (),
    concerns: Iterable[int] = (),
    allegations: Iterable[int] = (),
) -> bool:
    """Someone has changed or added to these records since an import wrote them at ``since`` (reads do not count).

    Every change of case data is audited, so the trail answers it: any event on the records or the
    adults' person records after ``since`` other than an import's own, a read (``record.*``) or a listing
    (``records.*``). What happened to an adult before the import (a colleague's match cleared) is not work on it.
    """
    events = AuditEvent.objects.none()
    for record_type, ids in (
        ("contact", contacts),
        ("case", cases),
        ("person", people),
        ("concern", concerns),
        ("allegation", allegations),
    ):
        keys = [str(pk) for pk in ids]
        if keys:
            events = events | AuditEvent.objects.filter(record_type=record_type, record_id__in=keys)
    return (
        events.filter(occurred_at__gte=since)
        .exclude(action__in=IMPORT_ACTIONS)
        .exclude(action__startswith="record.")
        .exclude(action__startswith="records.")
        .exists()
    )
