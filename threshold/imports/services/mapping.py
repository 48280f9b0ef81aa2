"""Taking a file in and mapping it: the upload, the columns, what coded values mean, and saved mappings."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.locking import bump_version
from threshold.imports.columns import Kind, folded, suggested_code
from threshold.imports.kinds import kind_for, kind_rules
from threshold.imports.models import ImportedRecord, ImportRun, RunStatus, SavedMapping
from threshold.imports.reading import UnreadableFile, open_table
from threshold.imports.services.common import (
    VALID_FOR,
    audit_run_event,
    require_importer,
    require_starter,
    table_of,
)
from threshold.imports.values import cell_text


def import_start(
    *,
    actor: User | None,
    organisation: Organisation,
    file_name: str,
    content: bytes,
    audit_context: AuditContext,
    mapping: Mapping[str, str] | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str = "",
) -> ImportRun:
    """Take a file in for ``organisation``: refuse what cannot be read, find its header, suggest a mapping.

    A local authority's file holds its LADO service's records, a setting's its concerns and allegations
    (``kinds.kind_for``). ``actor`` is None for the command line's system job. ``mapping`` and
    ``translations`` (a saved or given mapping) replace the suggestion.
    """
    require_importer(actor, organisation)
    kind = kind_for(organisation)
    columns = kind_rules(kind).columns
    try:
        table = open_table(content, sheet=sheet)
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    chosen = dict(mapping) if mapping is not None else columns.suggested_mapping(list(table.headers))
    chosen = {name: header for name, header in chosen.items() if name in columns.by_name and header in table.headers}
    with transaction.atomic(durable=True):
        run = ImportRun.objects.create(
            organisation=organisation,
            kind=kind,
            started_by=actor,
            actor_label=audit_context.actor.label,
            file_name=(file_name.replace("\\", "/").rsplit("/", 1)[-1] or "upload")[:200],
            file_format=table.file_format,
            file_digest=hashlib.sha256(content).hexdigest(),
            sheet=table.sheet,
            header_row=table.header_row,
            headers=list(table.headers),
            upload=content,
            mapping=chosen,
            translations={name: dict(values) for name, values in (translations or {}).items()},
            expires_at=timezone.now() + VALID_FOR,
        )
        audit_run_event(
            context=audit_context,
            run=run,
            action="import.uploaded",
            details={"header_row": run.header_row, "columns": len(run.headers)},
        )
    return run


def mapping_errors(run: ImportRun, mapping: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with a mapping: an unknown column, one header for two fields, or a required field left out."""
    rules = kind_rules(run.kind)
    by_name = rules.columns.by_name
    errors: dict[str, str] = {}
    seen: dict[str, str] = {}
    for name, header in mapping.items():
        if name not in by_name or header not in run.headers:
            errors[name if name in by_name else "mapping"] = "Choose a column of the file, or “Do not import”"
            continue
        if header in seen:
            errors[name] = f"“{header}” is already used for {by_name[seen[header]].label}: choose it for one field only"
        seen[header] = name
    for names, message in rules.required:
        if not set(names) & set(mapping):
            errors.setdefault(names[0], message)
    return errors


def import_map(
    *,
    actor: User,
    run: ImportRun,
    mapping: Mapping[str, str],
    translations: Mapping[str, Mapping[str, str]],
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> ImportRun:
    """Keep the person's mapping (canonical column → the file's header) and value translations for the run."""
    require_starter(actor, run)
    if run.status in (RunStatus.CHECK_QUEUED, RunStatus.CHECKING, RunStatus.QUEUED, RunStatus.RUNNING):
        raise ValidationError(
            {"mapping": "The file is being checked or imported: open the import's page to see how far it has got"}
        )
    if run.status not in (RunStatus.MAPPING, RunStatus.CHECKED) or ImportedRecord.objects.filter(run=run).exists():
        # A stopped import keeps its mapping: the rows it brought in were matched by it.
        raise ValidationError(
            {
                "mapping": "This import has brought records in, or was undone: check it again as it is, "
                "or upload the file again"
            }
        )
    mapping = {name: header for name, header in mapping.items() if header}
    errors = mapping_errors(run, mapping)
    by_name = kind_rules(run.kind).columns.by_name
    for name, values in translations.items():
        column = by_name.get(name)
        codes = {code for code, _ in column.choices} if column is not None else set()
        if column is None or any(code not in codes and code != "" for code in values.values()):
            errors[f"values-{name}"] = "Choose one of Threshold's values for each value of the file"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(run, expected_version)
        run.mapping = dict(mapping)
        run.translations = {name: dict(values) for name, values in translations.items() if name in mapping}
        run.status = RunStatus.MAPPING
        run.save(update_fields=["mapping", "translations", "status"])
        audit_run_event(
            context=context_for(actor, audit_context),
            run=run,
            action="import.mapped",
            details={"columns": sorted(run.mapping)},
        )
    return run


@dataclass(frozen=True)
class ValueChoice:
    """A value the file holds in a coded column, how often, and what Threshold suggests (or was told) it means."""

    value: str
    key: str
    count: int
    suggested: str | None


def value_choices(run: ImportRun) -> dict[str, list[ValueChoice]]:
    """For each coded column mapped, every distinct value the file holds there: those Threshold cannot read first.

    Every value, not the commonest few: a value the page did not offer could be neither given a meaning (its
    rows stayed problems however often the file was mapped) nor checked (its suggestion was applied unseen).
    Those with no suggestion come first, as they need the person; then the rest, commonest first.
    """
    by_name = kind_rules(run.kind).columns.by_name
    columns = [name for name in kind_rules(run.kind).columns.coded if name in run.mapping]
    if not columns:
        return {}
    counts: dict[str, Counter[str]] = {name: Counter() for name in columns}
    shown: dict[tuple[str, str], str] = {}
    for row in table_of(run).rows():
        for name in columns:
            raw = cell_text(row.cells.get(run.mapping[name]))
            parts = (
                [part.strip() for part in raw.replace(",", ";").replace("/", ";").split(";")]
                if by_name[name].kind is Kind.CODES
                else [raw]
            )
            for part in parts:
                if part:
                    counts[name][folded(part)] += 1
                    shown.setdefault((name, folded(part)), part)
    choices: dict[str, list[ValueChoice]] = {}
    for name in columns:
        told = run.translations.get(name, {})
        found = [
            ValueChoice(
                value=shown[(name, key)],
                key=key,
                count=count,
                suggested=told.get(key, suggested_code(by_name[name], shown[(name, key)])),
            )
            for key, count in counts[name].most_common()
        ]
        choices[name] = sorted(found, key=lambda choice: choice.suggested is not None)  # stable: commonest first
    return choices


def mapping_save(*, actor: User, run: ImportRun, name: str, audit_context: AuditContext | None = None) -> SavedMapping:
    """Keep the run's mapping under ``name`` for its organisation's next file of the same layout.

    A mapping of that name is replaced.
    """
    require_starter(actor, run)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the mapping"})
    if len(name) > 100:
        raise ValidationError({"name": "Name must be 100 characters or fewer"})
    with transaction.atomic(durable=True):
        saved, _ = SavedMapping.objects.update_or_create(
            organisation=run.organisation,
            name=name,
            defaults={
                "mapping": run.mapping,
                "translations": run.translations,
                "saved_by": actor,
                "saved_at": timezone.now(),
            },
        )
        audit_record(
            context=context_for(actor, audit_context),
            action="import.mapping_saved",
            record_type="import_mapping",
            record_id=saved.pk,
            organisation=run.organisation,
        )
    return saved
