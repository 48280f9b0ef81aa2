"""Tests marked ``no_cover`` run untraced in an xdist worker too (a pytest plugin, loaded by tests/conftest.py).

pytest-cov's ``no_cover`` stops its controller's ``Coverage`` for the test. In an xdist worker pytest-cov has
started two: one when it loaded (as if the worker were the run's master) and the worker's own. Coverage keeps its
collectors on a stack, and stopping the worker's one resumes the other, so the test ran traced all the same: the
access matrix took as long with the marker as without it (435 and 470 s of the workers' time in two runs). This
pauses whichever collector is tracing once pytest-cov has paused its own, and resumes it after the test, so the
marker does what it says with or without workers. It only ever stops tracing: what the test runs is the same.
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
    # Coverage's own stack of collectors: the last is the one tracing, the others wait paused under it.
    stack = getattr(Collector, "_collectors", None)
    return stack[-1] if stack else None


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Inside pytest-cov's own pause (``trylast``: the innermost wrapper), pause what still traces."""
    collector = _tracing_collector() if item.get_closest_marker("no_cover") else None
    if collector is None:
        yield
        return
    collector.pause()
    try:
        yield
    finally:
        collector.resume()
