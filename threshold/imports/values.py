"""Reading one cell of an import as Threshold's value, or saying in words what is wrong with it.

Dates come as spreadsheet dates, ISO (``2024-03-27``), ``27/03/2024`` (the day first, as in England) or
``27 March 2024``; yes or no as "Yes", "Y", "No", "N", "True", "False", "1", "0"; coded values as the
code, its label, a short form people use, or what the person said the file's value means (the mapping's
translations). A cell that holds a formula is never evaluated: it is refused with a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from threshold.core.names import without_hidden_characters
from threshold.imports.columns import Column, Kind, folded, suggested_code

# Excel's day 0 (its 1900 leap-year bug is why it is the 30th, not the 31st).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of dates from 18 May 1927 (10000, the first of five digits) to 2099: no adult working with
# children now was born before, and a smaller number is a stray one, most often a year alone (1975 would be
# 28 May 1905), not a date in another century. The same range whether Excel keeps the number or a CSV spells it.
_SERIALS = range(10000, 73051)
_YEARS = range(1900, 2100)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%d %B, %Y")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
# The mapping's translations: column → the file's value (folded) → Threshold's code, as the person chose.
Translations = Mapping[str, Mapping[str, str]]
EXAMPLE_DATE = "27/03/2024"


class CellError(ValueError):
    """A cell that cannot be read as its column's value; the message says what to do, in words."""


_PLAIN = (str, int, float, dt.datetime, dt.date, dt.time)


def is_formula(raw: object) -> bool:
    """A cell holding a formula: its text starting "=", or an array or data-table formula object (openpyxl).

    Anything but a plain value (text, a number, a date) counts, so no object is ever turned into text.
    """
    if raw is None:
        return False
    return (isinstance(raw, str) and raw.lstrip().startswith("=")) or not isinstance(raw, _PLAIN)


def cell_text(raw: object) -> str:
    """A cell as stripped text without hidden characters; numbers without a trailing ".0"."""
    if raw is None:
        return ""
    if not isinstance(raw, _PLAIN):
        return "(a formula)"  # an array or data-table formula: never its object's text
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime | dt.date):
        return raw.strftime("%d/%m/%Y")
    return without_hidden_characters(str(raw)).strip()


# The earliest year a date may have, as the forms' date inputs ask (``core.forms``): "0219" is a typing slip.
EARLIEST_YEAR = 1900


def read_date(raw: object) -> dt.date | None:
    """A date from a spreadsheet date, a serial number, ISO, ``dd/mm/yyyy`` or ``27 March 2024``; 1900 or later."""
    day = _read_date(raw)
    if day is not None and day.year < EARLIEST_YEAR:
        raise CellError(f"must be {EARLIEST_YEAR} or later, like {EXAMPLE_DATE}")
    return day


def _read_date(raw: object) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if int(raw) in _SERIALS:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        if raw == int(raw) and int(raw) in _YEARS:
            raise CellError(f"is a year only: enter the full date, like {EXAMPLE_DATE}")
        raise CellError(f"must be a date, like {EXAMPLE_DATE}")
    text = cell_text(raw)
    if not text:
        return None
    try:
        if match := _ISO.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if text.isdigit() and int(text) in _SERIALS and len(text) == 5:
            return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    except ValueError:
        raise CellError(f"must be a real date, like {EXAMPLE_DATE}") from None
    if text.isdigit() and len(text) == 4 and int(text) in _YEARS:
        raise CellError(f"is a year only: enter the full date, like {EXAMPLE_DATE}")
    for pattern in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"must be a date, like {EXAMPLE_DATE}")


def read_yes_no(raw: object) -> bool | None:
    """Yes, no, or not said (a blank cell)."""
    text = folded(cell_text(raw))
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError("must be Yes or No")


def read_code(column: Column, raw: object, translations: Translations) -> str:
    """The code a cell means: as translated on the mapping page, else the code, its label or a short form."""
    text = cell_text(raw)
    if not text:
        return ""
    chosen = translations.get(column.name, {}).get(folded(text))
    if chosen is not None:
        if chosen in (code for code, _ in column.choices):
            return chosen
        if chosen == "":
            return ""  # the person said this value means "not recorded"
    code = suggested_code(column, text)
    if code is None:
        raise CellError(
            f"“{_shortened(text)}” is not one of Threshold's values: choose what it means when you map the file"
        )
    return code


def read_codes(column: Column, raw: object, translations: Translations) -> list[str]:
    """Several codes in one cell, separated by ";" (or "," or "/"), each read as ``read_code``; no repeats."""
    codes: list[str] = []
    for part in re.split(r"[;,/]", cell_text(raw)):
        code = read_code(column, part, translations)
        if code and code not in codes:
            codes.append(code)
    return codes


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def read_cell(column: Column, raw: object, translations: Translations) -> Any:
    """The cell as its column's value; ``CellError`` says what is wrong, without the column's name."""
    if is_formula(raw):
        raise CellError("holds a formula, which Threshold does not run: type the value itself")
    if column.kind is Kind.DATE:
        return read_date(raw)
    if column.kind is Kind.YES_NO:
        return read_yes_no(raw)
    if column.kind is Kind.CODED:
        return read_code(column, raw, translations)
    if column.kind is Kind.CODES:
        return read_codes(column, raw, translations)
    text = cell_text(raw)
    if len(text) > column.max_length:
        raise CellError(f"must be {column.max_length:,} characters or fewer")
    return text
