"""Running calls at the same moment, each on its own database connection, as concurrent requests do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same moment; each one's result, or the exception it raised.

    At most three: with the test's own, as many connections as the PostgreSQL pool holds (4), so none waits for
    another to finish.
    """
    assert len(calls) <= 3, "the pool holds four connections, the test's own among them"
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait(timeout=30)
        try:
            return call()
        except Exception as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as executor:
        return list(executor.map(run, calls))
