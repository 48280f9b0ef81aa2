"""Spreadsheets out: XLSX (what LADO teams and trusts open) and CSV, written row by row so memory stays flat.

The one way every report and list leaves Threshold as a spreadsheet. A cell that would start a formula is kept
as text (CSV and XLSX injection: a name typed as ``=HYPERLINK(...)`` must not run in the reader's Excel).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from threshold.core.exports import csv_safe
from threshold.reports.tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Above this size a spooled workbook moves from memory to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its header row and its rows (any iterable, read once, so a query can stream)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts (at most 31 characters, no brackets, colons, stars, question marks or slashes), unique."""
    base = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding the value as itself: numbers and dates as such, text always as text, never a formula."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; callers pass London time
    cell = WriteOnlyCell(sheet, value=value if not isinstance(value, str) else None)
    if isinstance(value, str):
        # A control character a workbook cannot hold (one pasted into a role, say) would refuse the whole file, and
        # the error would quote the text into the server's log: it becomes a space.
        cell.value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        cell.data_type = "s"  # openpyxl would otherwise read "=..." as a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_write(sheets: Iterable[Sheet], target: IO[bytes]) -> int:
    """Write a workbook of the sheets to ``target`` in write-only (streamed) mode; returns the rows written."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_name(spec.title, taken))
        sheet.append([_cell(sheet, heading, bold=True) for heading in spec.header])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
            written += 1
    if not taken:
        workbook.create_sheet("Empty")
    workbook.save(target)
    return written


def csv_write(header: Sequence[str], rows: Iterable[Sequence[Any]], target: IO[str]) -> int:
    """Write a CSV with a header row; every text cell made safe from formula injection. Returns the rows written."""
    writer = csv.writer(target)
    writer.writerow([csv_safe(heading) for heading in header])
    written = 0
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
        written += 1
    return written


def table_rows(table: Table) -> Iterator[list[Any]]:
    """A table's lines as spreadsheet rows: the label, then each value."""
    for row in table.rows:
        yield [row.label, *row.values]


def tables_to_sheets(tables: Iterable[Table]) -> list[Sheet]:
    """One sheet per table, its header the table's columns."""
    return [Sheet(title=table.title, header=table.columns, rows=table_rows(table)) for table in tables]


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> FileResponse:
    """An XLSX download: written to a spooled temporary file (memory, then disk when large), then streamed."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    xlsx_write(sheets, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str) -> StreamingHttpResponse:
    """A CSV download streamed line by line, so a long list never sits in memory."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow([csv_safe(heading) for heading in header])
        for row in rows:
            yield writer.writerow([csv_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
