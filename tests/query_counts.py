"""Counting a page's queries, for the tests that a list costs the same at ten times the records."""

from __future__ import annotations

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
