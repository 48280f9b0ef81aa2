"""``manage.py imports_sweep``: empty the uploaded files of imports past their time (run it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threshold.imports.services.running import import_forget


class Command(BaseCommand):
    """Empty expired imports' files; a run never imported is marked abandoned (each import also sweeps at its end)."""

    help = "Empty the uploaded files of imports past their time."

    def handle(self, *args: Any, **options: Any) -> None:
        """Sweep, and say how many files were emptied."""
        swept = import_forget()
        self.stdout.write(f"{swept} expired import {'file' if swept == 1 else 'files'} deleted.")
