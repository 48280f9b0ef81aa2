"""Background tasks of the audit trail: catching the record index up with the list events (ADR 0031)."""

from __future__ import annotations

from django_tasks import task

from threshold.audit.index import index_pending_lists


@task()
def index_lists() -> int:
    """Write the index rows of the list events after the last mark; how many list events it indexed.

    Queued by a request once enough events follow the last mark; any number may run at once, each a no-op
    once the index has caught up.
    """
    return index_pending_lists()
