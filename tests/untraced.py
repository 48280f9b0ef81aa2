"""Tests marked ``untraced`` run with coverage's tracing paused (a pytest plugin, loaded by tests/conftest.py).

For the tests that walk every URL for several personas: their pages are code other tests measure, and coverage's
tracer made them about 60% slower. The test runs the same; only coverage does not watch it.

Not pytest-cov's own ``no_cover`` marker, for two reasons found on trying it. In an xdist worker pytest-cov starts
two ``Coverage`` objects (one when it loads, as if the worker were the run's master, and the worker's own) and
``no_cover`` stops only the second: coverage keeps its collectors on a stack, stopping one resumes the one under
it, and the test ran traced all the same (the access matrix 470 s of the workers' time with the marker, 436 s
without). And with ``--no-cov`` after ``--cov`` (CI's PostgreSQL pass) pytest-cov has no controller, and a
``no_cover`` test fails on pausing it. This pauses the collector that is tracing, whichever it is, and resumes it
after the test; with no coverage running it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def _tracing_collector() -> Any:
    """The coverage collector tracing this process now, or None (no coverage, or none active)."""
    try:
        from coverage.collector import Collector
    except ImportError:  # pragma: no cover - coverage is in the lock; a run without it traces nothing
        return None
    # Coverage's own stack of collectors (a private name; coverage is pinned in the lock): the last is the one
    # tracing, the others wait paused under it.
    stack = getattr(Collector, "_collectors", None)
    return stack[-1] if stack else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Pause the tracing collector for the call of a test marked ``untraced``, and resume it after."""
    collector = _tracing_collector() if item.get_closest_marker("untraced") else None
    if collector is None:
        yield
        return
    collector.pause()
    try:
        yield
    finally:
        collector.resume()
