"""Fixtures for chronology tests: the demo records."""

from __future__ import annotations

import pytest

from tests.conftest import demo_record_ids


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name."""
    return demo_record_ids()
