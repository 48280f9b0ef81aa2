"""Charts drawn on the server as SVG from a report's tables: readable without JavaScript, printable, and in PDFs.

Each chart is a horizontal bar chart of one value column of a ``Table`` (labels of any length fit on the left).
It is an image with a title and a description a screen reader announces (the table's summary); the same figures
are always in the table shown beside it (``reports/_figure.html``), which is the accessible form of the data.
Only presentation attributes are used, never ``style``: the strict content security policy allows no inline
styles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from threshold.reports.tables import Table

WIDTH = 640
LABEL_WIDTH = 270
BAR_HEIGHT = 22
GAP = 8
TOP = 8
# GOV.UK Design System blue, and its text colour: contrast above 4.5:1 on white.
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
LABEL_CHARACTERS = 32


def _short(label: str) -> str:
    """A label cut to fit beside its bar; the full label is in the table beside the chart."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(table: Table, *, column: int = 0) -> Markup:
    """The SVG bar chart of ``table``'s value column ``column``: one bar per row, its value written at its end.

    A cell that is not a number (a suppressed count, "fewer than 5") gets no bar and its text instead.
    """
    values = [row.values[column] for row in table.rows]
    numbers = [value for value in values if isinstance(value, int | float)]
    largest = max([*numbers, 1])
    plot = WIDTH - LABEL_WIDTH - 70
    height = TOP * 2 + len(table.rows) * (BAR_HEIGHT + GAP)
    ident = f"chart-{escape(table.key)}"
    summary = table.summary or f"{table.title}. The figures are in the table beside the chart."
    parts = [
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false">',
        f'<title id="{ident}-title">{escape(table.title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
    ]
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = TOP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="14"'
            f' fill="{TEXT_COLOUR}">{escape(_short(row.label))}</text>'
        )
        length = round(plot * value / largest) if isinstance(value, int | float) and value > 0 else 0
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        shown = "" if value is None else value
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" font-size="14" fill="{TEXT_COLOUR}">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every value above is escaped)


@dataclass(frozen=True)
class Figure:
    """A table ready for ``reports/_figure.html``: the table and its chart (empty when it has none)."""

    table: Table
    svg: Markup


def figures(tables: Iterable[Table]) -> list[Figure]:
    """Each table with its chart drawn, for the page, the print view and the PDF alike."""
    return [
        Figure(table=table, svg=bar_chart(table) if table.chart == "bar" and table.rows else Markup(""))
        for table in tables
    ]
