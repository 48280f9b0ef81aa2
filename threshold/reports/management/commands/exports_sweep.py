"""``manage.py exports_sweep``: delete the files of background exports past their expiry (run it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threshold.reports.exports.services import exports_sweep


class Command(BaseCommand):
    """Delete expired export files and mark their jobs expired (each export's task also sweeps when it ends)."""

    help = "Delete the files of background exports past their expiry."

    def handle(self, *args: Any, **options: Any) -> None:
        """Sweep, and say how many were deleted."""
        swept = exports_sweep()
        self.stdout.write(f"{swept} expired {'export' if swept == 1 else 'exports'} deleted.")
