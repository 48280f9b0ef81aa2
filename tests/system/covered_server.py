"""Gunicorn with the test run's coverage measuring its workers: ``python -m tests.system.covered_server ARGS``.

``tests/system/server.py`` starts the journeys' server this way, with the same arguments as ``-m gunicorn``, when
the run measures coverage (``make test``: SlipCover, ADR 0047). SlipCover measures a process that imports our code
through its import hook, and the pytest workers only: this starts the hook in gunicorn's master before anything
of ours is imported, so each worker, forked from it, loads the application instrumented (``preload_app`` is off),
and every process writes what it ran at its exit into the run's coverage folder, named as SlipCover's pytest
plugin names a worker's data (``coverage-gw*.json``), so the run's report counts it with the workers'.
Without ``SLIPCOVER_COVERAGE_DIR`` (no coverage, or no xdist workers) it is plain gunicorn.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FOLDER = "SLIPCOVER_COVERAGE_DIR"
# The pytest worker whose server this is (server.py passes it: gunicorn itself must not see PYTEST_XDIST_WORKER).
WORKER = "THRESHOLD_TEST_SERVER_WORKER"


def measure(folder: Path, worker: str) -> None:
    """Instrument ``threshold/`` as it is imported from now on, and write each process's coverage at its exit."""
    import slipcover

    measured = slipcover.Slipcover(branch=True)
    matcher = slipcover.FileMatcher(sources=[str(REPOSITORY / "threshold")])
    slipcover.ImportManager(measured, matcher).__enter__()

    def write() -> None:
        # A forked worker runs this too (it inherits the registration) and writes its own file.
        path = folder / f"coverage-{worker}-server-{os.getpid()}.json"
        path.write_text(json.dumps(measured.get_coverage()))

    atexit.register(write)


def main() -> None:
    """Measure if the run measures, then run gunicorn's own entry point with this process's arguments."""
    folder = os.environ.get(FOLDER)
    if folder and Path(folder).is_dir():
        measure(Path(folder), os.environ.get(WORKER, "gw"))
    from gunicorn.app.wsgiapp import run

    sys.argv[0] = "gunicorn"
    run()


if __name__ == "__main__":
    main()
