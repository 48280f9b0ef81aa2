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


def throwaway_demo_database() -> str:
    """Set Django up on a new SQLite database in a temporary folder, migrated, with the demo world; return the folder.

    Never the configured database: benches write thousands of synthetic rows.
    """
    workdir = tempfile.mkdtemp(prefix="threshold-bench-")
    os.environ["THRESHOLD_DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "threshold.settings.test"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATABASES["default"]["NAME"] = str(Path(workdir) / "bench.sqlite3")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from threshold.demo import world
    from threshold.demo.records import load_demo_records

    world.load_demo_world()
    load_demo_records()
    return workdir


def timed(label: str, function: Callable[[], object], repeat: int = 5) -> None:
    """Run ``function`` ``repeat`` times and print the median and best wall-clock times."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    print(f"{label:60s} median {statistics.median(samples) * 1000:8.1f} ms   best {min(samples) * 1000:8.1f} ms")
