"""Writing a list out: the rows in the list's order, streamed from the database, and the one audit event.

The ids of the records are read first (one column, one query) and named in the ``records.exported`` event; the
rows are then streamed with ``iterator(chunk_size=…)`` and only those named are written, so the file never holds
a record its audit event does not name, and memory stays flat however long the list.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import IO, Any

from django.db.models import QuerySet

from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.reports.exports.base import Filters, ListExport
from threshold.reports.spreadsheets import Sheet, csv_write, xlsx_write

# Rows fetched from the database at a time, and how often a background job says how far it has got.
CHUNK = 500


def record_ids(records: QuerySet[Any]) -> list[int]:
    """The ids of the records a list holds, in one query of one column."""
    return list(records.order_by().values_list("pk", flat=True))


def export_rows(
    spec: ListExport, records: QuerySet[Any], ids: Collection[int], progress: Callable[[int], object] | None = None
) -> Iterator[Sequence[Any]]:
    """The list's rows as spreadsheet cells, streamed in its order; ``progress`` is told every ``CHUNK`` rows."""
    named = set(ids)
    done = 0
    for record in records.iterator(chunk_size=CHUNK):
        # A record added since the ids were read is not in the audit event, so it is not written either.
        if record.pk not in named:
            continue
        yield spec.row(record)
        done += 1
        if progress is not None and done % CHUNK == 0:
            progress(done)
    if progress is not None:
        progress(done)


def write_export(file_format: str, spec: ListExport, rows: Iterator[Sequence[Any]], target: IO[bytes]) -> int:
    """Write the rows to ``target`` as XLSX (one sheet) or CSV (UTF-8); returns the rows written."""
    if file_format == "xlsx":
        return xlsx_write([Sheet(title=spec.title, header=spec.header, rows=rows)], target)
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    try:
        return csv_write(spec.header, rows, text)
    finally:
        text.flush()
        text.detach()  # the caller owns and closes ``target``


def export_filename(spec: ListExport, file_format: str, on: dt.date) -> str:
    """The name a download is saved under: the list and the day, never a person ("all-cases-2026-05-01.xlsx")."""
    return f"{spec.kind}-{on.isoformat()}.{file_format}"


def audit_export(
    *,
    context: AuditContext,
    spec: ListExport,
    filters: Filters,
    records: QuerySet[Any],
    ids: list[int],
    file_format: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """The ``records.exported`` event of an export, naming every record in it (docs/audit.md).

    One event for each organisation whose records the file holds, naming that organisation's records (as a read
    keeps the record's organisation): a partner's file of two councils' cases is on each council's audit page.
    A file of one organisation's records, as nearly every file is, is one event.
    """
    groups = _by_owner(records, ids)
    for owner, group in groups:
        part = records.filter(pk__in=group) if len(groups) > 1 else records
        named = spec.named(part, group, filters)
        details: dict[str, Any] = {
            "list": spec.kind,
            "format": file_format,
            "filters": filters,
            "count": len(group),
            **named["details"],
            **(extra or {}),
        }
        if len(groups) > 1:
            details["of"] = len(ids)  # the file's whole count, across the events
        if owner is not None:
            details["record_organisation"] = owner
        audit_record(
            context=context,
            action="records.exported",
            record_type=spec.record_type,
            record_id=named.get("record_id", ""),
            details=details,
        )


# Where each kind of listed row finds the organisation that owns it (``access.fetch.owning_organisation``).
_OWNER_FIELDS = {
    "contact": "local_authority_id",
    "case": "local_authority_id",
    "meeting": "case__local_authority_id",
    "meetingaction": "meeting__case__local_authority_id",
    "concern": "organisation_id",
    "allegation": "organisation_id",
    "deadline": "organisation_id",
}


def _by_owner(records: QuerySet[Any], ids: list[int]) -> list[tuple[int | None, list[int]]]:
    """The ids grouped by their records' owning organisation, in the file's order (one group when none is known)."""
    field = _OWNER_FIELDS.get(records.model._meta.model_name or "")
    if field is None or not ids:
        return [(None, ids)]
    owners = dict(records.filter(pk__in=ids).order_by().values_list("pk", field))
    groups: dict[int | None, list[int]] = {}
    for pk in ids:
        groups.setdefault(owners.get(pk), []).append(pk)
    return list(groups.items())
