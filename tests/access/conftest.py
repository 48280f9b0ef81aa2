"""Fixtures for access tests: the demo world with its protected records."""

from __future__ import annotations

import pytest

from threshold.core.demo_records import load_demo_records


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name (see ``threshold/core/demo_records.py``)."""
    return load_demo_records().ids
