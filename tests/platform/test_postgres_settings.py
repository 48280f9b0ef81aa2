"""PostgreSQL connections run without JIT compilation (ADR 0032)."""

from __future__ import annotations

import pytest
from django.db import connection

from threshold.settings.database import with_jit_off


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_a_connection_has_jit_off() -> None:
    # Access conditions make the planner's estimates large; with JIT on, each such query compiled for a second.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("", "-c jit=off"),
        ("-c statement_timeout=5000", "-c statement_timeout=5000 -c jit=off"),
        ("-c jit=on", "-c jit=on"),
    ],
)
def test_options_in_the_database_url_are_kept_beside_jit_off(given: str, sent: str) -> None:
    assert with_jit_off(given) == sent
