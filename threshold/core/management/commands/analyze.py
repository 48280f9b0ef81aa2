"""``python manage.py analyze``: refresh the database's statistics, so its query planner picks the right index.

SQLite keeps no statistics until ``ANALYZE`` writes them (``sqlite_stat1``); without them it guesses, and at a
large authority it guessed wrong where the home page asks for a setting's open low-level concerns: it walked
every low-level concern of the authority's history by the day raised (3.5 ms for 22,000) rather than the
setting's own few by its index (0.07 ms once analysed; ADR 0041). Every row is read: the large authority's ten
years (bench/generate.py, 600 MB) took 0.4 s. ``PRAGMA analysis_limit`` would bound that, but its sample misled
the planner here (a status seemed to hold 1,000 of the concerns rather than 7,500, and it kept the wrong index).
PostgreSQL's autovacuum analyses tables as they change; running ``ANALYZE`` there too is harmless and brings a
restored or bulk-loaded database up to date at once. The deployment runs it nightly (README); the demo and the
benchmark run it once their data is loaded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    """Refresh the query planner's statistics of the default database."""

    help = "Refresh the database's statistics for its query planner (ANALYZE)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Analyse, then say which engine was analysed."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Analysed the {connection.vendor} database's tables for the query planner.")
