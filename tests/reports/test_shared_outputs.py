"""The shapes every report and export shares: charts, spreadsheets that cannot run formulas, PDFs that fetch nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest

from threshold.reports.charts import bar_chart, figures
from threshold.reports.pdf import ResourceRefused, _static_file, html_to_pdf
from threshold.reports.spreadsheets import Sheet, csv_write, sheet_name, tables_to_sheets, xlsx_write
from threshold.reports.tables import Row, Table, counts_table

CATEGORIES = counts_table(
    key="by_category",
    title="Referrals by category of abuse",
    counted_by="Counted by the date the contact was received.",
    label_heading="Category of abuse",
    value_heading="Referrals",
    counts=[("physical", "Physical", 12), ("sexual", "Sexual", 3), ("neglect", "Neglect", 0)],
)


def test_a_chart_has_a_bar_per_counted_row_a_title_and_a_description() -> None:
    svg = str(bar_chart(CATEGORIES))
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="chart-by_category-title">Referrals by category of abuse</title>' in svg
    assert svg.count("<rect") == 2  # no bar for a zero
    assert ">12</text>" in svg
    assert ">0</text>" in svg
    assert "style=" not in svg  # the content security policy allows no inline style


def test_a_chart_escapes_its_labels_and_writes_a_suppressed_count_as_text() -> None:
    table = Table(
        key="t",
        title="<b>Sources</b>",
        counted_by="",
        columns=("Source", "Contacts"),
        rows=(Row(label="<script>", values=("fewer than 5",)), Row(label="Police", values=(7,))),
    )
    svg = str(bar_chart(table))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count("<rect") == 1
    assert ">fewer than 5</text>" in svg


def test_a_workbook_has_a_sheet_per_table_and_keeps_formulas_as_text() -> None:
    formula = counts_table(
        key="x",
        title="Sources: police/other [all]",
        counted_by="",
        label_heading="Source",
        value_heading="Contacts",
        counts=[("x", '=HYPERLINK("http://evil.example")', 1)],
    )
    target = io.BytesIO()
    written = xlsx_write(tables_to_sheets([CATEGORIES, formula]), target)
    workbook = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    assert written == 4
    assert workbook.sheetnames == ["Referrals by category of abuse", "Sources  police other  all"]
    sheet = workbook["Referrals by category of abuse"]
    assert [cell.value for cell in sheet[1]] == ["Category of abuse", "Referrals"]
    assert [cell.value for cell in sheet[2]] == ["Physical", 12]
    cell = workbook["Sources  police other  all"]["A2"]
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s"


def test_a_control_character_pasted_into_a_cell_becomes_a_space_not_a_refused_workbook() -> None:
    roles = counts_table(
        key="roles",
        title="Roles",
        counted_by="",
        label_heading="Role",
        value_heading="Cases",
        counts=[("coach", "Football\x0bcoach", 1)],
    )
    target = io.BytesIO()
    xlsx_write(tables_to_sheets([roles]), target)
    assert openpyxl.load_workbook(io.BytesIO(target.getvalue()))["Roles"]["A2"].value == "Football coach"


def test_sheet_names_are_unique_and_short_enough_for_excel() -> None:
    taken: set[str] = set()
    first = sheet_name("A very long title that Excel would refuse to open", taken)
    second = sheet_name("A very long title that Excel would refuse to open", taken)
    assert len(first) <= 31
    assert len(second) <= 31
    assert first != second


def test_a_csv_cell_that_starts_a_formula_is_made_text() -> None:
    target = io.StringIO()
    csv_write(["Name"], [["=1+1"], ["Ann"]], target)
    assert target.getvalue().splitlines() == ["Name", "'=1+1", "Ann"]


def test_an_empty_workbook_still_opens() -> None:
    target = io.BytesIO()
    xlsx_write([Sheet(title="Cases", header=["Reference"], rows=[])], target)
    assert openpyxl.load_workbook(io.BytesIO(target.getvalue())).sheetnames == ["Cases"]


def test_a_pdf_is_made_with_the_projects_stylesheet() -> None:
    pdf = html_to_pdf(
        '<html><head><link rel="stylesheet" href="/static/build/application.css"></head>'
        '<body><h1 class="govuk-heading-l">Annual report</h1></body></html>'
    )
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "address",
    [
        "http://example.com/x.png",
        "file:///etc/passwd",
        "https://threshold.invalid/static/../../settings/base.py",
        "https://threshold.invalid/media/secret.pdf",
    ],
)
def test_making_a_pdf_fetches_nothing_but_the_projects_static_files(address: str) -> None:
    with pytest.raises(ResourceRefused):
        _static_file(address)


def test_a_figure_has_a_chart_only_when_its_table_asks_for_one_and_has_rows() -> None:
    empty = counts_table(key="e", title="E", counted_by="", label_heading="A", value_heading="B", counts=[])
    plain = counts_table(
        key="p", title="P", counted_by="", label_heading="A", value_heading="B", counts=[("a", "A", 1)], chart="none"
    )
    drawn, nothing, table_only = figures([CATEGORIES, empty, plain])
    assert str(drawn.svg).startswith("<svg")
    assert str(nothing.svg) == ""
    assert str(table_only.svg) == ""
