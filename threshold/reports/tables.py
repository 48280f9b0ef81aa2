"""A report's figures as tables: the one shape pages, charts, spreadsheets, PDFs and JSON are all made from.

A figure is counted once, by a date the table states (``counted_by``), so every page, chart and export of it
says the same thing. Charts are drawn from a table and shown beside it; a spreadsheet has a sheet per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Value = int | float | str | None


@dataclass(frozen=True)
class Row:
    """One line of a table: what it counts (in words, and as the id the packs name it by) and its values."""

    label: str
    values: tuple[Value, ...]
    key: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table of figures, saying by which date its records were counted.

    ``columns`` are the headers, the first naming the row labels ("Category of abuse", "Referrals"). ``chart``
    says how the table is drawn beside itself ("bar": one bar per row of the first value column; "none": a table
    only). ``summary`` is the sentence a chart's reader hears first; ``notes`` say what a reader must know to
    read the figures (counts suppressed, records about the reader left out).
    """

    key: str
    title: str
    counted_by: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: Literal["bar", "none"] = "bar"
    summary: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def total(self, column: int = 0) -> int:
        """The sum of one value column's whole-number values (blank and suppressed cells add nothing)."""
        return sum(value for row in self.rows if isinstance(value := row.values[column], int))


def counts_table(
    *,
    key: str,
    title: str,
    counted_by: str,
    label_heading: str,
    value_heading: str,
    counts: Sequence[tuple[str, str, int]],
    summary: str = "",
    chart: Literal["bar", "none"] = "bar",
) -> Table:
    """A one-column table of counts from ``(key, label, count)`` triples, in the order given."""
    return Table(
        key=key,
        title=title,
        counted_by=counted_by,
        columns=(label_heading, value_heading),
        rows=tuple(Row(label=label, values=(count,), key=row_key) for row_key, label, count in counts),
        chart=chart,
        summary=summary,
    )


def table_as_json(table: Table) -> dict[str, Any]:
    """A table as JSON (figures kept for their reader, ADR 0045); ``table_from_json`` gives the same table back."""
    return {
        "key": table.key,
        "title": table.title,
        "counted_by": table.counted_by,
        "columns": list(table.columns),
        "rows": [{"label": row.label, "values": list(row.values), "key": row.key} for row in table.rows],
        "chart": table.chart,
        "summary": table.summary,
        "notes": list(table.notes),
    }


def table_from_json(data: dict[str, Any]) -> Table:
    """The table ``table_as_json`` wrote."""
    return Table(
        key=data["key"],
        title=data["title"],
        counted_by=data["counted_by"],
        columns=tuple(data["columns"]),
        rows=tuple(Row(label=row["label"], values=tuple(row["values"]), key=row["key"]) for row in data["rows"]),
        chart=data["chart"],
        summary=data["summary"],
        notes=tuple(data["notes"]),
    )
