"""``manage.py remind [--on YYYY-MM-DD]``: the daily reminder pass; prints a JSON summary of what it sent.

Run it once a day from cron (README); the demo runs it every few minutes. Running it again for the same date
sends nothing new.

The summary: ``{"date": "2026-12-07", "sent": [{"user": id, "kinds": [...], "items": n}], "skipped": n}``.
``sent`` is the emails this run decided, one entry per person by account id (no address: cron mails and logs
what it prints) (``kinds``: ``digest``, ``deadline_missed``,
``information_request``...; ``items``: how many things they list). ``skipped`` counts what was due but not
sent again: a reminder or digest already sent for that date, or a digest the person turned off. Emails still
failing from earlier runs are retried too (and counted in the audit event, not here).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.notifications.services.reminders import remind


class Command(BaseCommand):
    """Deadlines coming and missed, the daily digest, the auto-chase of requests, and retries of failed emails."""

    help = "Send the reminders and digests due on a date (default today) and print a JSON summary."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--on``: the date to remind for."""
        parser.add_argument("--on", help="The date to send for, YYYY-MM-DD (default: today in Europe/London).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the pass and print its summary."""
        raw = options.get("on")
        try:
            on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD, for example 2026-12-07.") from None
        summary = remind(on=on, audit_context=AuditContext.system("remind"))
        self.stdout.write(json.dumps(summary))
