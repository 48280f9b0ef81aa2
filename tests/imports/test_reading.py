"""Reading a CSV as people save one (``threshold.imports.reading``): decoded as it is read, never held twice."""

from __future__ import annotations

import datetime as dt
import gc
import io
import tracemalloc
from collections.abc import Sequence

import pytest

from threshold.imports import reading
from threshold.imports.reading import open_table
from threshold.imports.values import CellError, read_date


def test_a_csv_excel_saved_on_windows_reads_its_pound_signs_and_accents() -> None:
    content = "Reference,Surname,Summary\r\nC-1,Zoë,Lent £20 to a pupil\r\n".encode("cp1252")

    table = open_table(content)

    assert table.headers == ("Reference", "Surname", "Summary")
    assert [row.cells for row in table.rows()] == [
        {"Reference": "C-1", "Surname": "Zoë", "Summary": "Lent £20 to a pupil"}
    ]


def test_a_utf_8_csv_with_one_windows_byte_pasted_in_is_refused_not_read_with_its_names_garbled() -> None:
    # Zoë and Siân in UTF-8, and a "£" pasted in from a Windows file on the last row.
    content = "Reference,Surname,Summary\r\nC-1,Zoë,x\r\nC-2,Siân,y\r\n".encode() + "C-3,Ng,Lent £20\r\n".encode(
        "cp1252"
    )

    with pytest.raises(reading.UnreadableFile, match="save it again as CSV UTF-8"):
        open_table(content)


def test_excels_byte_order_mark_is_not_part_of_the_first_header() -> None:
    content = "\ufeffReference;Surname\r\nC-1;Zoë\r\n".encode()

    table = open_table(content)

    assert table.headers == ("Reference", "Surname")
    assert [row.cells for row in table.rows()] == [{"Reference": "C-1", "Surname": "Zoë"}]


def test_a_character_split_between_two_slices_of_the_check_still_reads_as_utf_8() -> None:
    header = "Reference,Surname\n"
    padding = "x" * (reading._DECODE_SLICE - len(header) - len("C-0,") - 1)
    # "ë" is two bytes in UTF-8: the first ends one slice of the encoding check, the second starts the next.
    content = f"{header}C-0,{padding}ë\nC-1,Zoë\n".encode()
    assert content[reading._DECODE_SLICE - 1 : reading._DECODE_SLICE + 1] == "ë".encode()

    rows = list(open_table(content).rows())

    assert rows[-1].cells == {"Reference": "C-1", "Surname": "Zoë"}
    assert str(rows[0].cells["Surname"]).endswith("ë")


def _workbook(rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def test_a_workbooks_rows_keep_the_sheets_numbers_its_dates_and_its_formulas_as_text() -> None:
    content = _workbook(
        [
            ["Reference", "Received on", "Summary"],
            ["C-1", dt.date(2021, 3, 1), '=HYPERLINK("http://example.test")'],
            [],
            ["C-2", dt.datetime(2021, 3, 2, 9, 30), None, "beyond the headers"],
        ]
    )

    rows = list(open_table(content).rows())

    assert [row.number for row in rows] == [2, 4]
    assert rows[0].cells == {
        "Reference": "C-1",
        "Received on": dt.datetime(2021, 3, 1),
        "Summary": '=HYPERLINK("http://example.test")',
    }
    assert rows[1].cells == {"Reference": "C-2", "Received on": dt.datetime(2021, 3, 2, 9, 30), "Summary": None}


def _held_while_reading(rows: int) -> int:
    """How much more memory is held at a sheet's last row than at its hundredth, while it is being read."""
    content = _workbook([["Reference", "Received on", "Summary"]] + [[n, n, n] for n in range(rows)])
    gc.collect()  # openpyxl's workbooks are cycles: an earlier one freed mid-trace would blur the figure
    tracemalloc.start()
    try:
        at_hundredth = 0
        for number, _row in enumerate(open_table(content).rows(), start=1):
            if number == 100:
                gc.collect()  # what opening the file left for the collector is not the reading's
                at_hundredth = tracemalloc.get_traced_memory()[0]
            elif number == rows:
                gc.collect()
                return tracemalloc.get_traced_memory()[0] - at_hundredth
        raise AssertionError("the sheet's last row was never read")
    finally:
        tracemalloc.stop()


def test_a_sheet_being_read_holds_no_more_at_its_last_row_than_near_its_first() -> None:
    # openpyxl's own reader kept each row it had read: 97 KB more here by the last row. Numbers only, so
    # the workbook has no strings to share; what is left is the parser's read-ahead (a few KB either way).
    assert _held_while_reading(3_000) < 30_000


def test_a_csv_cell_longer_than_the_csv_modules_own_limit_is_read_whole() -> None:
    # The csv module refuses a field over 128 KB unless told: a long summary further down the file is still read,
    # on every page that reads the rows (the values, the check, the rows to fix), not only the header's.
    summary = "A long account of what was seen. " * 6_500  # about 210,000 characters
    rows = "".join(f"C-{number},Zephyr,Short\r\n" for number in range(30))
    content = f"Reference,Surname,Summary\r\n{rows}C-30,Zephyr,{summary}\r\n".encode()

    table = open_table(content)

    cells = [row.cells for row in table.rows()]
    assert len(cells) == 31
    assert cells[-1]["Summary"] == summary


def test_a_header_row_of_thousands_of_repeated_titles_is_numbered_in_one_pass() -> None:
    headers = reading._headers(["Notes"] * 3_000 + ["Notes (2)", "", "Summary"])

    assert headers[:3] == ("Notes", "Notes (2)", "Notes (3)")
    assert headers[2_999] == "Notes (3000)"
    assert headers[3_000] == "Notes (2) (2)"  # a title that is already a numbered one is numbered in turn
    assert headers[3_001:] == (f"Column {reading._letter(3_001)}", "Summary")
    assert len(set(headers)) == len(headers)


@pytest.mark.parametrize("year", [1975, 1975.0, "1975", 2019])
def test_a_year_alone_is_refused_not_read_as_a_day_in_1905(year: object) -> None:
    # Excel keeps "1975" typed in a General cell as the number 1975: as a serial date, 28 May 1905.
    with pytest.raises(CellError, match=r"^is a year only: enter the full date, like 27/03/2024$"):
        read_date(year)


@pytest.mark.parametrize("number", [1, 365, 9999, 2100])
def test_a_number_before_a_five_digit_serial_is_not_a_date(number: int) -> None:
    with pytest.raises(CellError, match=r"^must be a date, like 27/03/2024$"):
        read_date(number)
    assert read_date(43845) == read_date("43845") == dt.date(2020, 1, 15)


@pytest.mark.parametrize("slip", ["01/01/0001", "0219-03-27", "27/03/1066", dt.date(1899, 12, 31)])
def test_a_date_before_1900_is_a_typing_slip_refused_as_the_forms_refuse_it(slip: object) -> None:
    assert read_date("01/01/1900") == dt.date(1900, 1, 1)
    with pytest.raises(CellError, match=r"^must be 1900 or later, like 27/03/2024$"):
        read_date(slip)
