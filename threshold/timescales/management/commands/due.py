"""``python manage.py due --user EMAIL [--on YYYY-MM-DD] --format json``: a person's work list, as JSON.

Prints ``[{"reference", "kind", "due", "status"}]`` (``due`` an ISO date, ``status`` one of ``overdue``,
``today``, ``week``, ``later``) for the open deadlines in that person's work list on the day given (today by
default), read through ``threshold.access`` as that person. Reading it is audited as a system read naming
the records listed. An unknown email is an error (exit status 1).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.accounts.selectors import active_user_with_email
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.timescales.selectors import STATUSES, work_list


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    """Print one person's work list."""

    help = "Print a person's work list (overdue, today, this week, later) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--user`` (required), ``--on`` and ``--format``."""
        parser.add_argument("--user", required=True, metavar="EMAIL", help="The person's sign-in email address.")
        parser.add_argument("--on", metavar="YYYY-MM-DD", help="The day to work the list out for (default today).")
        parser.add_argument("--format", choices=["json"], default="json", help="Output format (json).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Look the person up, work out their list, audit the read and print it."""
        today = _day(options["on"]) if options.get("on") else None
        user = active_user_with_email(options["user"])
        if user is None:
            raise CommandError("No active user has that email address.")
        groups = work_list(user, today=today)
        items = [item for status in STATUSES for item in groups[status]]
        # ``user`` says whose work list the operator read.
        audit_listed(
            context=AuditContext.system("due"),
            record_type="deadline",
            list_name="due_command",
            records=[item.deadline.record_key for item in items],
            details={"count": len(items), "user": user.pk},
        )
        rows = [
            {
                "reference": item.deadline.reference,
                "kind": item.deadline.kind,
                "due": item.deadline.due_on.isoformat(),
                "status": item.status,
            }
            for item in items
        ]
        self.stdout.write(json.dumps(rows, indent=2))
