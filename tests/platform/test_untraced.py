"""A test marked ``no_cover`` runs untraced, in an xdist worker as well, and the tests after it are traced again.

Without coverage (``--no-cov``, ``make test-fast``) nothing is traced and both hold trivially; under ``make test``
(coverage and xdist workers) the first fails if tests/untraced.py stops pausing the collector pytest-cov leaves
tracing, and the second if it stops resuming it.
"""

from __future__ import annotations

import sys

import coverage
import pytest


@pytest.mark.no_cover
def test_a_test_marked_no_cover_runs_untraced() -> None:
    assert sys.gettrace() is None


@pytest.mark.no_cover
def test_a_second_one_runs_untraced_too() -> None:
    assert sys.gettrace() is None


def test_a_test_not_marked_is_traced_whenever_coverage_measures_the_run() -> None:
    measuring = coverage.Coverage.current() is not None
    assert (sys.gettrace() is not None) == measuring
