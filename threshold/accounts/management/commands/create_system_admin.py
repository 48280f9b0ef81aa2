"""``python manage.py create_system_admin EMAIL --name "…"``: create the first (or another) system administrator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.accounts.bootstrap import system_admin_create
from threshold.audit.context import AuditContext


def default_base_url() -> str:
    """Where the service is reached: the first allowed host, over HTTPS unless it is this machine."""
    hosts = [host for host in settings.ALLOWED_HOSTS if host and host != "*"]
    host = hosts[0].lstrip(".") if hosts else "127.0.0.1"
    if host in {"127.0.0.1", "localhost"}:
        return f"http://{host}:8000"
    return f"https://{host}"


class Command(BaseCommand):
    """Create a system administrator and print (and email) a one-time link to choose a password."""

    help = "Create a system administrator and print a one-time link to choose a password (also emailed)."

    def add_arguments(self, parser: CommandParser) -> None:
        """The email address, the full name and, optionally, the address the service is reached at."""
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Where the service is reached, for the link (default: https:// and the first ALLOWED_HOSTS entry).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the account, or refuse with the reason."""
        try:
            user, link = system_admin_create(
                audit_context=AuditContext.system("create_system_admin"),
                email=str(options["email"]),
                full_name=str(options["name"]),
                base_url=options["base_url"] or default_base_url(),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Created system administrator {user.full_name} <{user.email}>.")
        self.stdout.write("One-time link to choose a password (also emailed; it works once and expires):")
        self.stdout.write(link)
        self.stdout.write("After choosing a password they sign in and set up an authenticator app.")
