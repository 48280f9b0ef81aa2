"""Fixtures for the bench code's tests: the demo world with its protected records (the generator builds on them)."""

from __future__ import annotations

import pytest

from tests.conftest import demo_record_ids


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name (see ``threshold/demo/records.py``)."""
    return demo_record_ids()
