"""``python manage.py anonymous_intake``: the nightly job for anonymous concerns shared on earlier days.

It writes the delayed audit events of anonymous concerns that no run has recorded yet, tells those who triage
each and starts its triage clock (ADR 0012), and prints how many concerns it took in. Each concern is taken in
once, so it is safe to run at any time, and a nightly run catches up a missed one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threshold.concerns.services import anonymous_intake


class Command(BaseCommand):
    """Take in the anonymous concerns shared before today: their audit events, who is told, their triage clocks."""

    help = "Record anonymous concerns shared before today in the audit trail and tell those who triage them."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the batch and say how many concerns it took in."""
        self.stdout.write(f"Took in {anonymous_intake()} anonymous concern(s).")
