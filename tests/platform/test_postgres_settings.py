"""PostgreSQL connections run without JIT compilation (ADR 0032)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's"),
]


def test_a_connection_has_jit_off() -> None:
    # Access conditions make the planner's estimates large; with JIT on, each such query compiled for a second.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
