"""On PostgreSQL, eight concurrent writers share the connection pool and all succeed (ADR 0020).

Before the pool, every thread kept a connection of its own: the demo server
reached 66 connections and "too many clients" under eight writers. Skipped on
SQLite, which has no server to exhaust (its writers queue on the write lock).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record

WRITERS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's"),
]


def test_eight_concurrent_writers_succeed_within_the_pool() -> None:
    pool_size = connection.settings_dict["OPTIONS"]["pool"]["max_size"]
    assert pool_size < WRITERS, "the test must ask for more connections than the pool holds"
    start = threading.Barrier(WRITERS)
    backends: set[int] = set()
    lock = threading.Lock()

    def write(number: int) -> int:
        start.wait(timeout=30)
        try:
            with transaction.atomic():
                event = audit_record(
                    context=AuditContext.system("pool-test"),
                    action="pool_test.write",
                    record_type="pool_test",
                    record_id=number,
                )
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    with lock:
                        backends.add(cursor.fetchone()[0])
            return event.sequence
        finally:
            # Hands the connection back to the pool, as the end of a request does.
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WRITERS) as executor:
        sequences = list(executor.map(write, range(WRITERS)))

    # One chain, no gaps: the advisory lock still serialises the appends.
    assert sorted(sequences) == list(range(min(sequences), min(sequences) + WRITERS))
    assert AuditEvent.objects.filter(action="pool_test.write").count() == WRITERS
    # Eight writers, at most pool-size server connections between them.
    assert len(backends) <= pool_size
