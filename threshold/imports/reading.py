"""Opening an uploaded spreadsheet safely and reading it row by row, in constant memory.

Refused, with a message a person can act on: a file larger than ``IMPORT_MAX_BYTES``, a file that is not
an XLSX workbook or a CSV, a macro-enabled workbook, an encrypted (password-protected) workbook or an old
``.xls`` file, and a workbook whose parts would unpack to more than ``_MAX_UNPACKED`` (a "zip bomb").
Workbooks are opened read-only (openpyxl streams the sheet, with ``defusedxml`` guarding its XML; each row
leaves the parser once read), formulas are read as their text and never evaluated, a CSV is decoded as it is
read, and nothing is written to disk.

Real logs start with a title, a merged row of groups or a blank line: the header row is the one, among
the first twenty, whose cells Threshold recognises most; rows above it are skipped, and so are blank rows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.worksheet._reader import DATA_TAG as _SHEET_DATA
from openpyxl.worksheet._reader import ROW_TAG as _ROW
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.functions import iterparse

from threshold.imports.columns import LADO_COLUMNS
from threshold.imports.setting_columns import SETTING_COLUMNS
from threshold.imports.values import cell_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MAX_UNPACKED = 400 * 1024 * 1024
# Spreadsheet XML compresses about 10 to 30 times; far more than this is a bomb, not a log.
_MAX_RATIO = 200
_MAX_PART_READ = 1024 * 1024
_HEADER_SCAN = 20
_DECODE_SLICE = 64 * 1024
# A letter beyond ASCII written as UTF-8 (two or three bytes): Windows text almost never holds such a pair.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_MIXED = (
    "The file mixes two kinds of text encoding, so some names in it cannot be read: open it in Excel and save it "
    "again as CSV UTF-8 (Comma delimited), or as .xlsx"
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_MACRO_TYPES = ("macroEnabled", "vbaProject")


class UnreadableFile(ValueError):
    """A file Threshold will not read as an import; the message says why and what to do instead."""


def max_bytes() -> int:
    """The largest file an import accepts."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Row:
    """One row of the sheet: its number as the spreadsheet shows it, and its cells by header."""

    number: int
    cells: dict[str, object]


@dataclass(frozen=True)
class Table:
    """The sheet an import reads: where its header is, what the headers say, and a way to read its rows again."""

    content: bytes
    file_format: str  # "xlsx" or "csv"
    sheet: str
    header_row: int
    headers: tuple[str, ...]

    def rows(self) -> Iterator[Row]:
        """The rows under the header, blank ones skipped, read afresh from the file each time."""
        for number, values in _raw_rows(self.content, self.file_format, self.sheet):
            if number <= self.header_row:
                continue
            cells = {
                header: values[index] if index < len(values) else None for index, header in enumerate(self.headers)
            }
            if any(cell_text(value) for value in cells.values()):
                yield Row(number=number, cells=cells)


def _check_workbook(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UnreadableFile(
            "The file is damaged or is not an Excel workbook: save it again as .xlsx or .csv"
        ) from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        # The sizes the archive declares are checked before anything is unpacked: a "zip bomb" declares
        # small parts that unpack huge, and zipfile stops at the declared size, so the declared size bounds it.
        if sum(info.file_size for info in infos) > _MAX_UNPACKED or any(
            info.compress_size and info.file_size / info.compress_size > _MAX_RATIO for info in infos
        ):
            raise UnreadableFile("The workbook is too large once unpacked: save it as .csv, or split it")
        if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise UnreadableFile("The file is not an Excel workbook: save it as .xlsx or .csv")
        types_part = archive.getinfo("[Content_Types].xml")
        if types_part.file_size > _MAX_PART_READ:
            raise UnreadableFile("The file is not an Excel workbook: save it as .xlsx or .csv")
        types = archive.read(types_part).decode("utf-8", "replace")
        if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
            kind in types for kind in _MACRO_TYPES
        ):
            raise UnreadableFile(
                "The file is a macro-enabled workbook, which Threshold does not open: save it as .xlsx (Excel "
                "Workbook) or .csv, without macros"
            )


def file_format(content: bytes) -> str:
    """The file's format, "xlsx" or "csv", from what it holds (never from its name), or ``UnreadableFile``."""
    if not content.strip():
        raise UnreadableFile("The file is empty")
    if len(content) > max_bytes():
        raise UnreadableFile(f"The file must be smaller than {max_bytes() // (1024 * 1024)} MB: split it into parts")
    if content.startswith(_OLE):
        raise UnreadableFile(
            "The file is password-protected, or an old .xls workbook: remove the password and save it as .xlsx "
            "(Excel Workbook) or .csv"
        )
    if content.startswith(_ZIP):
        _check_workbook(content)
        return "xlsx"
    if b"\x00" in content[:8192]:
        raise UnreadableFile("The file is not a spreadsheet: upload an .xlsx or .csv file")
    return "csv"


def _encoding(content: bytes) -> str:
    """How the CSV is encoded: UTF-8 (with or without Excel's byte-order mark), else what Excel on Windows saves.

    Checked a slice at a time, so a large file is never held twice (as bytes and as text) to find out.
    """
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(view), _DECODE_SLICE):
            decoder.decode(view[start : start + _DECODE_SLICE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if _UTF8_LETTER.search(content):
            # Mostly UTF-8 with a stray byte (a cell pasted from a Windows file): read as Windows text, every
            # accented name in it would be stored garbled ("Zoë" as "ZoÃ«"), and names are what matching reads.
            raise UnreadableFile(_MIXED) from None
        return "cp1252"  # what Excel on Windows saves as "CSV" (not "CSV UTF-8")
    return "utf-8"


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[object]]]:
    # A cell may be as long as the file (a long summary): the csv module refuses fields over 128 KB unless told.
    # The limit is the process's: raised, once, to the largest file taken in (``IMPORT_MAX_BYTES``).
    if csv.field_size_limit() < max_bytes():
        csv.field_size_limit(max_bytes())
    # Decoded as it is read: the file's text is never held whole beside its bytes.
    text = io.TextIOWrapper(io.BytesIO(content), encoding=_encoding(content), errors="replace", newline="")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text.read(8192), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    for number, values in enumerate(csv.reader(text, dialect), start=1):
        yield number, list(values)


def sheet_names(content: bytes) -> list[str]:
    """The workbook's visible sheets, in order."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    try:
        return [sheet.title for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    finally:
        workbook.close()


class _SheetRows(WorkSheetParser):
    """openpyxl's parser of a sheet's XML, reading only its rows and letting each go once it is read.

    openpyxl's own ``parse`` clears each row's element but leaves it in the sheet's tree, and keeps the sizes
    of rows with a height of their own: about 80 bytes a row that stay until the sheet is closed (1.5 MB at
    20,000 rows). Here each row leaves the tree when read (ADR 0038). Cells are read by openpyxl's
    ``parse_row``, formulas as their text (``data_only=False``), dates by the workbook's number formats.
    """

    def parse(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        sheet_data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    sheet_data = element
            elif element.tag == _ROW:
                row = self.parse_row(element)
                element.clear()
                if sheet_data is not None:
                    # The first child: the rows before it have gone (the parser may have read a few beyond it).
                    with contextlib.suppress(ValueError):  # a row outside the sheet's data: read, and left
                        sheet_data.remove(element)
                self.row_dimensions.clear()
                yield row


def _xlsx_rows(content: bytes, sheet: str) -> Iterator[tuple[int, list[object]]]:
    # data_only=False: a formula is read as its text ("=HYPERLINK(...)"), never a cached result, and refused.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        # The sheet's rows through ``_SheetRows`` rather than ``iter_rows``, which holds every row read; the
        # parser is built as openpyxl's read-only sheet builds it (openpyxl is pinned in the lock, and the
        # reading tests fail if these names move). A row's number is the sheet's, missing rows left out.
        with worksheet._get_source() as source:
            parser = _SheetRows(
                source,
                worksheet._shared_strings,
                data_only=False,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                values: list[object] = [None] * max((int(cell["column"]) for cell in cells), default=0)
                for cell in cells:
                    values[int(cell["column"]) - 1] = cell["value"]
                yield number, values
    finally:
        workbook.close()


def _raw_rows(content: bytes, file_format: str, sheet: str) -> Iterator[tuple[int, list[object]]]:
    if file_format == "xlsx":
        return _xlsx_rows(content, sheet)
    return _csv_rows(content)


def _headers(values: Sequence[object]) -> tuple[str, ...]:
    """Each header as text; a blank one named by its column letter, a repeated one numbered."""
    headers: list[str] = []
    used: set[str] = set()
    # The next number to try for each repeated title: a row of thousands of "Notes" is numbered in one pass,
    # not by trying every number from 2 again for each (which took minutes).
    following: dict[str, int] = {}
    for index, value in enumerate(values):
        header = cell_text(value) or f"Column {_letter(index)}"
        base, n = header, following.get(header, 2)
        while header in used:
            header, n = f"{base} ({n})", n + 1
        following[base] = n
        used.add(header)
        headers.append(header)
    while headers and headers[-1].startswith("Column ") and not cell_text(values[len(headers) - 1]):
        headers.pop()
    return tuple(headers)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _header_row(rows: Iterator[tuple[int, list[object]]]) -> tuple[int, list[object]]:
    best: tuple[int, int, list[object]] | None = None  # (recognised, number, values)
    first_filled: tuple[int, list[object]] | None = None
    for number, values in rows:
        if number > _HEADER_SCAN:
            break
        filled = [value for value in values if cell_text(value)]
        if len(filled) >= 2 and first_filled is None:
            first_filled = (number, values)
        # Either kind's headers: the header row is found before anyone says whose records the file holds.
        known = max(
            len({columns.recognised(value) for value in filled} - {None}) for columns in (LADO_COLUMNS, SETTING_COLUMNS)
        )
        if known >= 2 and (best is None or known > best[0]):
            best = (known, number, values)
    if best is not None:
        return best[1], best[2]
    if first_filled is not None:
        return first_filled
    raise UnreadableFile("The sheet has no header row: the first row of the table must name its columns")


def open_table(content: bytes, *, sheet: str = "") -> Table:
    """The table an upload holds (on ``sheet``, or the first visible sheet), or ``UnreadableFile``."""
    kind = file_format(content)
    if kind == "xlsx":
        try:
            names = sheet_names(content)
        except Exception as error:  # openpyxl raises many kinds on a damaged file; none is safe to show
            raise UnreadableFile(
                "The workbook could not be read: open it in Excel and save it again as .xlsx"
            ) from error
        if not names:
            raise UnreadableFile("The workbook has no visible sheet")
        if sheet and sheet not in names:
            raise UnreadableFile("The workbook has no sheet of that name")
        sheet = sheet or names[0]
    else:
        sheet = ""
    try:
        number, values = _header_row(_raw_rows(content, kind, sheet))
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile("The file could not be read: save it again as .xlsx or .csv") from error
    return Table(content=content, file_format=kind, sheet=sheet, header_row=number, headers=_headers(values))
