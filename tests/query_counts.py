"""Counting a page's queries, for the tests that a list costs the same at ten times the records, and naming the
tables a page reads, for the tests that a record page reads each table once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def open_counted(client: Client, url: str) -> tuple[int, str]:
    """GET ``url`` twice (the first warms the session and caches); the second's query count and page."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


_ROWS_OF = re.compile(r'SELECT (?:DISTINCT )?"(\w+)"\.')


def tables_read(queries: Iterable[dict[str, Any]]) -> list[str]:
    """The table whose rows each query reads on its own (``lado_casechild``), in order.

    A query is named by the table of its first selected column: a subquery inside another table's query, an
    ``EXISTS`` (``SELECT 1``), a count and a union are not a read of a table's rows and are left out.
    """
    return [found.group(1) for query in queries if (found := _ROWS_OF.match(query["sql"]))]
