"""``python manage.py demo_totp EMAIL``: print a demo persona's current authenticator code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.demo.world import PERSONAS_BY_EMAIL, current_demo_code


class Command(BaseCommand):
    """Print the current TOTP code for a demo persona; refuses outside demo mode."""

    help = "Print the current 6-digit authenticator code of a demo persona (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        """One argument: the persona's email address."""
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the code, or refuse."""
        if not settings.DEMO_MODE:
            raise CommandError("demo_totp only works in demo mode (THRESHOLD_DEMO_MODE=true).")
        email = str(options["email"]).strip().lower()
        if email not in PERSONAS_BY_EMAIL:
            raise CommandError(f"{email} is not one of the demo personas.")
        self.stdout.write(current_demo_code())
