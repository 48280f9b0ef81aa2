"""What every bench script shares: a throw-away SQLite database holding the demo world, and a timer."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django_set_up(database_url: str | None) -> str:
    """Django set up with the test settings, its data in a new temporary folder (returned), on SQLite unless
    ``database_url`` names a PostgreSQL database."""
    workdir = tempfile.mkdtemp(prefix="threshold-bench-")
    os.environ["THRESHOLD_DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "threshold.settings.test"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return workdir


def throwaway_demo_database(*, path: str | None = None, database_url: str | None = None) -> str:
    """Set Django up on a new database, migrated, with the demo world; return the temporary folder it uses.

    Never the configured database: benches write thousands of synthetic rows. SQLite by default, in the
    folder (or at ``path``, replaced if it exists); ``database_url`` names a PostgreSQL database instead,
    which the caller has created empty (``bench/generate.py --database postgres`` does).
    """
    workdir = _django_set_up(database_url)
    from django.conf import settings
    from django.core.management import call_command

    if not database_url:
        target = Path(path) if path else Path(workdir) / "bench.sqlite3"
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        settings.DATABASES["default"]["NAME"] = str(target)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from threshold.demo import world
    from threshold.demo.records import load_demo_records

    world.load_demo_world()
    load_demo_records()
    return workdir


def setup_reused(path: str | None, database_url: str | None) -> str:
    """Django on a world an earlier run built: a SQLite file (``--keep``) or the bench's PostgreSQL database."""
    workdir = _django_set_up(database_url)
    from django.conf import settings

    if path:
        settings.DATABASES["default"]["NAME"] = path
    return workdir


def timed(label: str, function: Callable[[], object], repeat: int = 5) -> None:
    """Run ``function`` ``repeat`` times and print the median and best wall-clock times."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    print(f"{label:60s} median {statistics.median(samples) * 1000:8.1f} ms   best {min(samples) * 1000:8.1f} ms")
