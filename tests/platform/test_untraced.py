"""A test marked ``untraced`` runs with coverage's tracing paused, in an xdist worker as well (tests/untraced.py).

Under ``make test`` (coverage, xdist workers) the marked tests fail if tests/untraced.py stops pausing the
collector that traces. Without coverage nothing traces and they hold trivially. Whether tracing comes back after a
marked test is not something a later test can see (pytest-cov's own collector would trace it either way): the
coverage floor of ``make test`` is what notices a run left untraced.
"""

from __future__ import annotations

import sys

import pytest


@pytest.mark.untraced
def test_a_test_marked_untraced_runs_with_nothing_tracing_it() -> None:
    assert sys.gettrace() is None


@pytest.mark.untraced
def test_a_second_one_runs_untraced_too() -> None:
    assert sys.gettrace() is None
