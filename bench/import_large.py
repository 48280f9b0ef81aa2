"""Time a large LADO log through ``lado_import``: its dry run, its import, a re-run, with the peak memory of each.

Issue 16: "a 20,000-row workbook imports within 2 minutes on 2 cores and constant memory". This script builds a
throw-away SQLite database with the demo world, writes a synthetic log of ``--rows`` rows (default 20,000) as an
.xlsx in the canonical columns (six in ten consultations, the rest Tier 2 and Tier 1 cases, most of them
concluded; about one adult in three appearing more than once), and, as Mo (Northshire's LADO manager), runs the
dry run, the import and a re-run of the same file through the services the command uses (and, traced, the re-run
and the import again after undoing it). It prints each one's
time, rows a second and the peak of Python's allocations (tracemalloc, in a second pass, since tracing slows
Python), and does the same for a quarter of the rows, so "constant memory" reads as the two peaks being close
while the rows differ fourfold: beside each peak, what it is beyond the file's own bytes, which each pass reads
once (ADR 0038). It asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database

HEADER = [
    "reference",
    "received_on",
    "source",
    "referrer_name",
    "referrer_agency",
    "adult_first_name",
    "adult_last_name",
    "adult_date_of_birth",
    "employer_name",
    "adult_role",
    "categories",
    "decision",
    "consultation_reason",
    "decided_on",
    "outcome",
    "concluded_on",
    "summary",
]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Morgan", "Jamie", "Ali", "Charlie", "Dana"]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Green",
    "Walker",
    "Evans",
    "Thomas",
    "Roberts",
    "Khan",
    "Lewis",
    "Hughes",
    "Clarke",
    "Hall",
    "Wood",
    "Turner",
]
SETTINGS = [
    "Oakfield Primary School",
    "Hillcrest Academy",
    "Little Acorns Nursery",
    "Riverside Sports Club",
    "Northshire Youth Service",
    "St Anne's Church",
    "Harbour Foster Care",
]


def log_rows(count: int, seed: int = 16) -> list[list[Any]]:
    """``count`` rows of a synthetic log, ten years to 2024, in the canonical columns."""
    rng = random.Random(seed)
    adults = [
        (rng.choice(FIRST), f"{rng.choice(LAST)}-{n}", dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(12000)))
        for n in range(max(count * 2 // 3, 1))
    ]
    rows = []
    for n in range(count):
        first, last, born = rng.choice(adults)
        received = dt.date(2015, 1, 5) + dt.timedelta(days=rng.randrange(3600))
        decided = received + dt.timedelta(days=rng.randrange(3))
        level = rng.choices(["consultation", "tier-2", "tier-1"], weights=[6, 3, 1])[0]
        closed = level != "consultation" and rng.random() < 0.9
        rows.append(
            [
                f"NL-{n:06d}",
                received.strftime("%d/%m/%Y"),
                "employer",
                "A Head",
                rng.choice(SETTINGS),
                first,
                last,
                born.isoformat(),
                rng.choice(SETTINGS),
                "Teacher",
                "" if level == "consultation" else rng.choice(["physical", "sexual", "emotional;physical", "neglect"]),
                level,
                "practice_issue" if level == "consultation" else "",
                decided.isoformat(),
                rng.choice(["substantiated", "unsubstantiated", "unfounded"]) if closed else "",
                (decided + dt.timedelta(days=rng.randrange(20, 200))).isoformat() if closed else "",
                "Synthetic summary of the circumstances for the benchmark.",
            ]
        )
    return rows


def workbook(rows: list[list[Any]]) -> bytes:
    """The rows as an .xlsx saved as Excel and LibreOffice save one: stating the sheet's size (its dimension).

    openpyxl's write-only mode leaves the size out, and openpyxl then parses such a sheet to the end each time
    it opens the workbook (three times a pass): the dry run of 20,000 rows took 21 s on such a file against 12 s,
    a cost of how the bench would write its file, not of the files people upload.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LADO log"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def measured(step: Callable[[], Any]) -> tuple[Any, float]:
    began = time.perf_counter()
    result = step()
    return result, time.perf_counter() - began


def peak_of(step: Callable[[], Any]) -> int:
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    """Build the database and the files, then time each step and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--no-memory", action="store_true", help="Skip the traced second passes (quicker).")
    options = parser.parse_args()
    throwaway_demo_database()

    from threshold.accounts.models import Organisation, User
    from threshold.audit.context import AuditContext
    from threshold.demo import world
    from threshold.imports.models import ImportedRecord, ImportRun, RunStatus
    from threshold.imports.services.mapping import import_start
    from threshold.imports.services.running import import_check, import_execute
    from threshold.imports.services.undo import import_undo

    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    context = AuditContext.for_user(mo, northshire)

    def start(content: bytes) -> Any:
        return import_start(
            actor=mo, organisation=northshire, file_name="bench.xlsx", content=content, audit_context=context
        )

    def check(run: Any) -> Any:
        return import_check(actor=mo, run=run, audit_context=context)

    def execute(run: Any) -> Any:
        return import_execute(run_id=run.pk, audit_context=context, recorded_by=mo)

    # The peak includes the file's bytes, which a pass reads once from the run (ADR 0038); "beyond" is the rest.
    print(f"{'step':38s} {'rows':>7s} {'seconds':>8s} {'rows/s':>8s} {'peak MB':>8s} {'beyond':>8s}")

    def undo_all() -> None:
        run = ImportRun.objects.filter(status=RunStatus.IMPORTED).order_by("-pk").first()
        while run is not None:  # undo the newest import first, then the first one, so the next size starts afresh
            import_undo(actor=mo, run=run, expected_version=run.version)
            run = ImportRun.objects.filter(status=RunStatus.IMPORTED).order_by("-pk").first()
        assert not ImportedRecord.objects.exists()

    for rows in (options.rows, options.rows // 4):
        _measure(rows, start, check, execute, undo_all, traced=not options.no_memory)
        undo_all()


def _measure(
    rows: int,
    start: Callable[[bytes], Any],
    check: Callable[[Any], Any],
    execute: Callable[[Any], Any],
    undo_all: Callable[[], None],
    *,
    traced: bool,
) -> None:
    """The dry run, the import and a re-run of ``rows`` rows, each timed (and traced for memory in a second pass)."""
    content = workbook(log_rows(rows))

    def line(label: str, seconds: float, peak: int) -> None:
        beyond = f"{(peak - len(content)) / 1e6:8.1f}" if peak else ""
        print(f"{label:38s} {rows:7,d} {seconds:8.1f} {rows / seconds:8,.0f} {peak / 1e6:8.1f} {beyond}")

    _, seconds = measured(lambda: check(start(content)))
    peak = peak_of(lambda: check(start(content))) if traced else 0
    line(f"dry run ({len(content) / 1e6:.1f} MB file)", seconds, peak)
    checked = check(start(content))
    run, seconds = measured(lambda: execute(checked))
    line("import", seconds, 0)
    print(f"  {run.summary['created']}, {run.summary['rows_with_errors']} rows with problems")
    checked = check(start(content))
    _, seconds = measured(lambda: execute(checked))
    line("re-run of the same file (unchanged)", seconds, 0)
    if traced:
        checked = check(start(content))
        peak = peak_of(lambda: execute(checked))
        beyond = (peak - len(content)) / 1e6
        print(f"{'  the re-run again, traced':38s} {rows:7,d} {'':8s} {'':8s} {peak / 1e6:8.1f} {beyond:8.1f}")
        undo_all()  # the import itself, traced, into an authority without it
        checked = check(start(content))
        peak = peak_of(lambda: execute(checked))
        beyond = (peak - len(content)) / 1e6
        print(f"{'  the import again, traced':38s} {rows:7,d} {'':8s} {'':8s} {peak / 1e6:8.1f} {beyond:8.1f}")


if __name__ == "__main__":
    main()
