"""Oakfield Primary School's low-level concern log as schools keep it, built in the test.

The columns are the low-level concern form's questions as a DSL typed them into a spreadsheet over 2022–2024
(synthetic people): a title row and a merged row of groups above the header, a blank row, dates as
spreadsheet dates, ``dd/mm/yyyy`` text and ISO text, short codes ("LLC", "Alleg", "NFA", "Chat", "Unsub"), one
adult (Carl Coach) in three rows, a concern raised anonymously (no name in "Raised by", as the form asks), a
row repeated exactly, a row with a date that does not exist, one about Hana Head (the headteacher) and one
about Dev Dsl, who imports it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.imports.workbook import titled_workbook

HEADER = [
    "Ref",
    "Date raised",
    "Raised by",
    "Name",
    "Role",
    "How it arose",
    "Details of the concern",
    "LLC or allegation",
    "Reasons",
    "Steps taken",
    "Response",
    "Breach",
    "Further action",
    "Action owner",
    "Action due",
    "Action completed",
    "Date closed",
    "Outcome of allegation",
    "Date concluded",
]

# 4: a low-level concern, its record complete and its action done, closed.
FIRST: list[Any] = [
    "LC-01",
    dt.datetime(2022, 9, 14),
    "Tom Teacher (colleague)",
    "Carl Coach",
    "Sports coach",
    "Suspicion",
    "Gave a pupil a lift home alone after a match.",
    "LLC",
    "Poor judgement, no harm: inconsistent with the code of conduct.",
    "Spoke to Tom and to Carl; read the trip records.",
    "Carl said the parent was late and he did not think.",
    "Boundaries",
    "Chat",
    "Dev Dsl",
    "21/09/2022",
    "2022-09-20",
    "30/09/2022",
    "",
    "",
]

ROWS: list[list[Any] | None] = [
    FIRST,
    None,  # 5: blank
    # 6: Carl again, raised anonymously, low level, its action still to do: the record open.
    [
        "LC-02",
        "03/03/2023",
        "",
        "carl coach",
        "Sports coach",
        "Suspicion",
        "Messaged a pupil on a personal phone about training times.",
        "LLC",
        "",
        "Spoke to Carl; looked at the messages.",
        "",
        "Devices",
        "Formal plan",
        "Hana Head",
        "2023-04-03",
        "",
        "",
        "",
        "",
    ],
    # 7: Carl a third time: an allegation, concluded unsubstantiated.
    [
        "LC-03",
        "2023-11-06",
        "Parent of a pupil",
        "Carl Coach",
        "Sports coach",
        "Parent complaint",
        "A parent says Carl grabbed their child's arm hard.",
        "Alleg",
        "Meets the harm threshold: referred to the LADO.",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Unsub",
        "12/01/2024",
    ],
    # 8: row 4 again, exactly.
    FIRST,
    # 9: a date that does not exist.
    [
        "LC-04",
        "31/02/2024",
        "Tom Teacher",
        "Ann Assistant",
        "Teaching assistant",
        "Suspicion",
        "Shouted at a pupil in the corridor.",
        "LLC",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # 10: about the headteacher: the trust's director and DSLs handle it (13.3).
    [
        "LC-05",
        "2024-05-20",
        "Anonymous",
        "Hana Head",
        "Headteacher",
        "",
        "Spoke sharply to a pupil in assembly.",
        "Appropriate",
        "Reasonable in the circumstances.",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # 11: about Dev Dsl, who imports the log: not his to record.
    [
        "LC-06",
        "2024-06-03",
        "Tom Teacher",
        "Dev Dsl",
        "DSL",
        "Suspicion",
        "Left a safeguarding file open on a desk.",
        "LLC",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # 12: an allegation still open, about another adult.
    [
        "LC-07",
        "2024-11-18",
        "Tom Teacher",
        "Bea Bursar",
        "Business manager",
        "Disclosure by a child",
        "A pupil says Bea pushed them in the lunch queue.",
        "Allegation",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def concern_log(rows: list[list[Any] | None] | None = None) -> bytes:
    """The log as an .xlsx file's bytes: a title, a merged row of groups, the header on row 3, then ``rows``."""
    return titled_workbook(
        sheet="Concerns",
        title="Oakfield Primary School: low-level concerns log",
        groups=["The concern", None, None, None, None, None, None, "Decision", None, "Record"],
        merged=[(1, 7)],
        header=HEADER,
        rows=ROWS if rows is None else rows,
    )


def log_row(**changes: Any) -> list[Any]:
    """The first row of the log with some cells changed, by header (underscores for spaces)."""
    cells = list(FIRST)
    for header, value in changes.items():
        cells[HEADER.index(header.replace("_", " "))] = value
    return cells
