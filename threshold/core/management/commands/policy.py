"""``python manage.py policy list|show|assess|retention|reference``: the policy engine from the command line."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from threshold.policy.cli import main as policy_main


class Command(BaseCommand):
    """Ask the policy engine a question and print its answer as JSON (see ``docs/policy-packs.md``)."""

    help = (
        "Policy packs: 'list', 'show PACK', 'assess PACK FACTS', 'retention PACK FACTS', 'reference PACK FACTS'. "
        "FACTS is a JSON file or '-' for standard input. Prints JSON; exits 2 with a message on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Everything after ``policy`` goes to the engine's own command line."""
        parser.add_argument("words", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        """Hand the raw arguments to the engine and exit with its code (0, or 2 on bad input)."""
        code = policy_main(argv[2:], sys.stdin, sys.stdout, sys.stderr)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        """Used by ``call_command``: run the engine with the given words."""
        code = policy_main(list(options["words"]), sys.stdin, self.stdout, self.stderr)  # type: ignore[arg-type]
        if code:
            sys.exit(code)
