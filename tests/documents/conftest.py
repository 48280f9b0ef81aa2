"""Fixtures for document tests: the demo records, and an empty store for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import demo_record_ids


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """Ids of the demo world's protected records, by name."""
    return demo_record_ids()


@pytest.fixture
def store(settings, tmp_path: Path) -> Path:
    """A fresh document store, so a test can see exactly which files were written."""
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return settings.DOCUMENT_ROOT
