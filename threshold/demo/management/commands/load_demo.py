"""``python manage.py load_demo``: load the synthetic demo world (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from threshold.demo.records import load_demo_records
from threshold.demo.world import DEMO_PASSWORD, PERSONAS, load_demo_world


class Command(BaseCommand):
    """Load the demo organisations and personas into the configured database."""

    help = "Load the synthetic demo world. Running it again adds only what is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the world and print the sign-ins."""
        try:
            created = load_demo_world()
            load_demo_records()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo world loaded ({summary} created).")
        self.stdout.write(f"Every persona's password is: {DEMO_PASSWORD}")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email}")
