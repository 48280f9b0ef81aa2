"""The policy engine needs no Django, no cache and no database.

The repository-wide ``tests/conftest.py`` has an autouse fixture that clears the
Django cache before every test; here it is shadowed by a fixture of the same name
that does nothing, so these tests run without a database under the normal pytest
configuration. They also run with Django switched off entirely:
``pytest tests/policy -p no:django -p no:cacheprovider --noconftest``.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Shadow the repository-wide cache-clearing fixture: nothing to clear here."""
