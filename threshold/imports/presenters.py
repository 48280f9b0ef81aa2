"""What the import pages show of a run: its figures in words, its problems, how far it has got, what can be done."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.imports.kinds import kind_rules
from threshold.imports.models import ImportedRecord, ImportKind, ImportRun, RunStatus
from threshold.imports.services.common import VALID_FOR
from threshold.imports.services.running import BUSY
from threshold.imports.services.undo import undo_problem

PROBLEMS_SHOWN = 200
_WORDS = {
    RunStatus.CHECKED: "What the import will do",
    RunStatus.QUEUED: "Waiting to import",
    RunStatus.RUNNING: "Importing",
    RunStatus.IMPORTED: "Imported",
    RunStatus.FAILED: "The import stopped",
    RunStatus.UNDONE: "Undone",
    RunStatus.ABANDONED: "Abandoned",
    RunStatus.MAPPING: "Map the columns",
    RunStatus.CHECK_QUEUED: "Checking the file",
    RunStatus.CHECKING: "Checking the file",
}


# How each created figure is named: one, and many when not one + "s".
_CREATED: dict[str, tuple[str, ...]] = {
    "contacts": ("contact",),
    "decisions": ("decision",),
    "cases": ("case",),
    "people": ("adult",),
    "concerns": ("concern",),
    "low_level_records": ("low-level concern record",),
    "allegations": ("allegation",),
}


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def figures(run: ImportRun) -> list[dict[str, Any]]:
    """The summary as GOV.UK summary-list rows; "will" before the import, "did" after."""
    summary = run.summary or {}
    created = summary.get("created", {})
    after = run.status in (RunStatus.IMPORTED, RunStatus.FAILED, RunStatus.UNDONE)
    new = "Brought in" if after else "To bring in"
    rows = [
        ("Rows read", _plural(summary.get("rows", 0), "row")),
        (
            new,
            ", ".join(_plural(created.get(kind, 0), *_CREATED[kind]) for kind in kind_rules(run.kind).created),
        ),
        ("Already imported, changed" if not after else "Updated", _plural(summary.get("updated", 0), "record")),
        ("Already imported, unchanged", _plural(summary.get("unchanged", 0), "record")),
        ("Repeated rows (skipped)", _plural(summary.get("duplicates", 0), "row")),
        ("Rows to fix (not imported)", _plural(summary.get("rows_with_errors", 0), "row")),
    ]
    if run.kind == ImportKind.LADO:
        rows.append(
            (
                "Left unallocated (the LADO named is not one of the service’s now)",
                _plural(summary.get("unallocated", 0), "row"),
            )
        )
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def run_page_context(run: ImportRun) -> dict[str, Any]:
    """Everything the run's page shows."""
    problems = run.problems or []
    file_kept = bool(run.upload)
    return {
        "run": run,
        "heading": _WORDS.get(RunStatus(run.status), run.get_status_display()),
        "figures": figures(run)
        if run.summary and run.status not in (RunStatus.CHECK_QUEUED, RunStatus.CHECKING)
        else [],
        "problems": problems[:PROBLEMS_SHOWN],
        "more_problems": max((run.summary or {}).get("error_count", 0) - min(len(problems), PROBLEMS_SHOWN), 0),
        "in_progress": run.status in BUSY,
        "progress": f"{run.rows_done:,} of {run.rows_total:,} rows read"
        if run.rows_total
        else f"{run.rows_done:,} rows read",
        "can_import": run.status == RunStatus.CHECKED and (run.summary or {}).get("rows", 0) > 0,
        "can_remap": run.status in (RunStatus.CHECKED, RunStatus.MAPPING) and file_kept and not _has_records(run),
        "can_recheck": run.status == RunStatus.FAILED and file_kept,
        "errors_url": reverse("import_problems", args=[run.pk])
        if file_kept and (run.summary or {}).get("rows_with_errors")
        else "",
        "undo_problem": undo_problem(run) if run.status in (RunStatus.IMPORTED, RunStatus.FAILED) else "",
        "can_undo": run.status in (RunStatus.IMPORTED, RunStatus.FAILED),
        "kept_until": run.expires_at if file_kept else None,
        "kept_for_hours": int(VALID_FOR.total_seconds() // 3600),
    }


def _has_records(run: ImportRun) -> bool:
    return ImportedRecord.objects.filter(run=run).exists()
