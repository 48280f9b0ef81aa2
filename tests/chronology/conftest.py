"""Fixtures for chronology tests: the demo records."""

from __future__ import annotations

import pytest

from threshold.core.demo_records import load_demo_records


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name."""
    return load_demo_records().ids
