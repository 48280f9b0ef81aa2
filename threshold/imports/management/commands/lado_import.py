"""``manage.py lado_import``: a LADO service's (or a setting's) spreadsheet in, from the command line.

``python manage.py lado_import FILE --authority SLUG_OR_NAME [--mapping MAPPING.json] [--dry-run]
[--format json] [--as EMAIL] [--sheet NAME]``; ``--setting SLUG_OR_NAME`` instead of ``--authority``
imports a setting's low-level concern log and allegations (its columns are in ``docs/import.md`` too).

Without ``--mapping`` the file's headers are mapped as the upload page suggests (the canonical columns of
``docs/import.md`` and their common variants). A mapping file is ``{"columns": {"received_on": "Date
received", ...}, "values": {"decision": {"T1": "tier-1"}, ...}}``. ``--dry-run`` checks every row and
prints what the import would do, writing nothing but the run's own record; it needs nobody named. An
import is recorded as the LADO manager (or the setting's head or DSL) ``--as`` names (ADR 0034: the records
it writes name the person who brought them in), and runs here, not in the background. Prints a JSON summary
(``{"rows", "created", "updated", "unchanged", "errors": [{"row", "column", "message"}]}``); exits 1 on a
file it cannot read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from threshold.accounts.models import User
from threshold.accounts.selectors import active_user_with_email, local_authority_named, setting_named
from threshold.audit.context import AuditContext, operating_account
from threshold.imports.columns import folded
from threshold.imports.reading import max_bytes
from threshold.imports.services.common import summary_of
from threshold.imports.services.mapping import import_start
from threshold.imports.services.running import import_check, import_execute


def _mapping(path: str | None) -> tuple[dict[str, str] | None, dict[str, dict[str, str]]]:
    if not path:
        return None, {}
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"The mapping file could not be read: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("columns", {}), dict):
        raise CommandError('The mapping file must be {"columns": {...}, "values": {...}}.')
    values = {
        name: {folded(value): code for value, code in codes.items()}
        for name, codes in document.get("values", {}).items()
    }
    return {str(k): str(v) for k, v in document.get("columns", {}).items()}, values


class Command(BaseCommand):
    """Import (or check) a spreadsheet of a LADO service's earlier records."""

    help = "Import a LADO service's earlier records from an XLSX or CSV file; prints a JSON summary."

    def add_arguments(self, parser: CommandParser) -> None:
        """The file, the authority and the options."""
        parser.add_argument("file")
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--authority", help="The local authority's name or slug: its LADO service's records.")
        whose.add_argument("--setting", help="The setting's name or slug: its concern log and allegations.")
        parser.add_argument("--mapping", help="A JSON file of columns and value translations.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument("--format", choices=("json",), default="json")
        parser.add_argument("--as", dest="as_email", help="Who the import is recorded as (their email).")
        parser.add_argument("--sheet", default="", help="The workbook's sheet (by default its first).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, check and (unless a dry run) import; print the summary."""
        if options.get("setting"):
            organisation = setting_named(options["setting"])
            if organisation is None:
                raise CommandError(f"No single setting is called {options['setting'].strip()!r}.")
        else:
            organisation = local_authority_named(options["authority"])
            if organisation is None:
                raise CommandError(f"No single local authority is called {options['authority'].strip()!r}.")
        person = self._person(options.get("as_email"), dry_run=options["dry_run"])
        path = Path(options["file"])
        try:
            if path.stat().st_size > max_bytes():
                raise CommandError(f"The file must be smaller than {max_bytes() // (1024 * 1024)} MB.")
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"The file could not be read: {error.strerror}.") from None
        columns, values = _mapping(options.get("mapping"))
        context = (
            AuditContext.for_user(person, organisation)
            if person is not None
            else AuditContext.system("lado_import", organisation)
        )
        try:
            run = import_start(
                actor=person,
                organisation=organisation,
                file_name=path.name,
                content=content,
                audit_context=context,
                mapping=columns,
                translations=values,
                sheet=options["sheet"],
            )
            run = import_check(actor=person, run=run, audit_context=context)
            if not options["dry_run"]:
                run = import_execute(run_id=run.pk, audit_context=context, recorded_by=person)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        summary = {**summary_of(run), "dry_run": options["dry_run"], "operator": operating_account()}
        self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False, default=str))

    def _person(self, email: str | None, *, dry_run: bool) -> User | None:
        if not email:
            if dry_run:
                return None
            raise CommandError("Name who the import is recorded as: --as EMAIL (a dry run needs nobody).")
        person = active_user_with_email(email)
        if person is None:
            raise CommandError("No active user has that email address.")
        return person
