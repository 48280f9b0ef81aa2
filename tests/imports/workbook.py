"""A LADO service's log as teams really keep it, built in the test: titles, merged groups, blanks, mixed dates.

Northshire's log of 2019–2024 (synthetic people): a title row and a merged row of groups above the header,
a blank row, dates as spreadsheet dates, ``dd/mm/yyyy`` text, ISO text and a serial number, short codes
("T2", "Phys", "Sub"), one adult (John Smith, born 12 May 1980) in three rows, a row repeated exactly, a
row with a date that does not exist, one whose summary is a formula, and one about Lara Lado, a LADO of
the service.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

HEADER = [
    "Ref",
    "Date received",
    "Surname",
    "Forename",
    "DOB",
    "Setting",
    "Role",
    "Category",
    "Tier",
    "Why consultation",
    "Date decided",
    "Outcome",
    "Date closed",
    "Summary",
    "LADO",
    "Police",
]
LARA = "lara.lado@northshire.example"

# 4: a Tier 2 case, closed: a spreadsheet date, text dates, short codes.
FIRST: list[Any] = [
    "NL-001",
    dt.datetime(2019, 3, 4),
    "SMITH",
    "john",
    "12/05/1980",
    "Oakfield Primary School",
    "Teacher",
    "Phys",
    "T2",
    "",
    "05/03/2019",
    "Sub",
    "2019-06-28",
    "Pushed a pupil against a wall.",
    LARA,
    "No",
]

ROWS: list[list[Any] | None] = [
    FIRST,
    None,  # 5: blank
    # 6: the same adult again, a Tier 1 case, several categories, a serial date, concluded.
    [
        "NL-002",
        "2020-01-10",
        "Smith",
        "John",
        dt.datetime(1980, 5, 12),
        "Oakfield Primary School",
        "Teacher",
        "Sex; Emot",
        "Tier 1",
        "",
        43845,
        "Unsub",
        "30 June 2020",
        "Inappropriate messages to a pupil.",
        LARA,
        "Y",
    ],
    # 7: a consultation, with its reason as people write it.
    [
        "NL-003",
        "14/09/2021",
        "Green",
        "Alex",
        "",
        "Hillcrest Academy",
        "Coach",
        "",
        "C",
        "Practice issue",
        "14/09/2021",
        "",
        "",
        "Shouted at a team during training.",
        "",
        "no",
    ],
    # 8: row 4 again, exactly.
    FIRST,
    # 9: a date that does not exist.
    [
        "NL-004",
        "31/02/2022",
        "Brown",
        "Sam",
        "",
        "Meadow Lane Academy",
        "Cook",
        "Neg",
        "T2",
        "",
        "",
        "",
        "",
        "Left a child unsupervised.",
        "",
        "",
    ],
    # 10: a formula where the summary should be.
    [
        "NL-005",
        "2022-05-01",
        "White",
        "Jo",
        "",
        "Oakfield Primary School",
        "TA",
        "Phys",
        "T2",
        "",
        "",
        "",
        "",
        '=HYPERLINK("http://example.invalid","click")',
        "",
        "",
    ],
    # 11: about a LADO of the service: hidden from her once imported.
    [
        "NL-006",
        "2023-02-02",
        "Lado",
        "Lara",
        "",
        "Northshire Council",
        "LADO",
        "Conduct",
        "T2",
        "",
        "03/02/2023",
        "Unfounded",
        "2023-04-01",
        "A complaint about how a meeting was chaired.",
        "mo.manager@northshire.example",
        "",
    ],
    # 12: the same adult a third time: a Tier 2 case still open.
    [
        "NL-007",
        "2024-11-04",
        "Smith",
        "John",
        "12/05/1980",
        "Hillcrest Academy",
        "Teacher",
        "Emot",
        "T2",
        "",
        "05/11/2024",
        "",
        "",
        "Belittled a pupil in class.",
        LARA,
        "",
    ],
]


def titled_workbook(
    *,
    sheet: str,
    title: str,
    groups: list[Any],
    merged: list[tuple[int, int]],
    header: list[str],
    rows: list[list[Any] | None],
) -> bytes:
    """A log as teams keep one, as .xlsx bytes: a merged title, a row of merged groups, the header on row 3, then
    ``rows`` (None for a blank row). ``merged``: the groups' (first, last) columns."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append([title])
    worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    worksheet.append(groups)
    for first, last in merged:
        worksheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
    worksheet.append(header)
    for row in rows:
        worksheet.append(row if row is not None else [])
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def messy_workbook(rows: list[list[Any] | None] | None = None) -> bytes:
    """The log as an .xlsx file's bytes: a title, a merged row of groups, the header on row 3, then ``rows``."""
    return titled_workbook(
        sheet="LADO log",
        title="Northshire LADO contacts 2019–2024",
        groups=["Contact", None, "The adult", None, None, None, None, "The decision"],
        merged=[(1, 2), (3, 7)],
        header=HEADER,
        rows=ROWS if rows is None else rows,
    )


def csv_file(rows: list[list[str]], header: list[str]) -> bytes:
    """A CSV as Excel saves it ("CSV UTF-8"): a byte-order mark, commas, CRLF line ends."""
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + text.getvalue().encode()
