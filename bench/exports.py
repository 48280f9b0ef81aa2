"""Time all cases out to XLSX and CSV at a large authority, with the peak memory of writing each (prints figures).

Issue 14: "XLSX of all cases within 10 s with constant memory (streamed)". This script builds a throw-away SQLite
database with the demo world plus a large authority's ten years in Northshire (default 18,000 contacts and 6,000
cases, ``bench/generate.py``), then, as Mo (the LADO manager), writes all cases as a background export
(``export_job_run``: read through ``threshold.access`` as Mo, streamed with ``iterator(chunk_size=…)`` into an
openpyxl write-only workbook) and prints the time, the rows and the peak of Python's allocations (tracemalloc)
while writing. It does the same for the first quarter of the cases (filtered by tier), so "constant memory"
reads as the two peaks being close while the rows differ fourfold; then again after ``ANALYZE``. It asserts
nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database
from bench.generate import generate


def main() -> None:
    """Build the data set, then write each export and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="Of the large authority (bench/generate.py).")
    parser.add_argument("--contacts", type=int, help="Contacts instead of the scale's (18,000 at 1.0).")
    parser.add_argument("--cases", type=int, help="Cases instead of the scale's (6,000 at 1.0).")
    options = parser.parse_args()

    workdir = throwaway_demo_database()

    from django.conf import settings
    from django.db import connection

    from threshold.accounts.models import User
    from threshold.demo import world
    from threshold.lado.models import Case
    from threshold.reports.exports.services import export_job_run
    from threshold.reports.models import ExportJob

    settings.EXPORT_ROOT = Path(workdir) / "exports"
    started = time.perf_counter()
    built = generate(1, options.scale, contacts=options.contacts, cases=options.cases)
    print(f"Built {built.contacts} contacts and {built.cases} cases in {time.perf_counter() - started:.1f} s")
    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)
    few = Case.objects.filter(tier="tier-1").order_by("pk").values_list("pk", flat=True)
    Case.objects.filter(pk__in=list(few[built.cases // 4 :])).update(tier="tier-2")

    def run(file_format: str, filters: dict[str, str], *, traced: bool) -> tuple[ExportJob, str, float, int]:
        job = ExportJob.objects.create(requester=mo, kind="all-cases", file_format=file_format, filters=filters)
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        status = export_job_run(job_id=job.pk)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
        job.refresh_from_db()
        return job, status, seconds, peak

    exports: tuple[tuple[str, str, dict[str, str]], ...] = (
        ("all cases, XLSX", "xlsx", {}),
        ("all cases, CSV", "csv", {}),
        ("a quarter of them (Tier 1), XLSX", "xlsx", {"tier": "tier-1"}),
    )
    # Without statistics SQLite reads each case's "overdue" through the (state, due_on) index; after ANALYZE
    # (what ``PRAGMA optimize`` keeps up to date) through the case's own. Both are printed.
    for analysed in (False, True):
        with connection.cursor() as cursor:
            if analysed:
                cursor.execute("ANALYZE")
            elif connection.vendor == "sqlite":
                # The world was analysed as it was built (``manage.py analyze``, ADR 0041): forget that first.
                cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
                if cursor.fetchone():
                    cursor.execute("DELETE FROM sqlite_stat1")
        if not analysed:
            connection.close()  # SQLite reads its statistics when a connection opens
        print(f"{'export' + (' (after ANALYZE)' if analysed else ''):34s} {'rows':>7s} {'seconds':>8s} {'peak MB':>8s}")
        for label, file_format, filters in exports:
            job, status, seconds, _ = run(file_format, filters, traced=False)
            _, _, _, peak = run(file_format, filters, traced=True)  # timed apart: tracing slows Python down
            print(f"{label:34s} {job.rows_done:7d} {seconds:8.2f} {peak / 2**20:8.1f}  {status}")
    print(f"(workdir {workdir})")


if __name__ == "__main__":
    main()
