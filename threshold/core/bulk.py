"""Derived rows written by the thousand (match keys, deadlines): one prepared insert, run for every row.

``bulk_create`` builds a model instance for each row and compiles each of its values into one long statement;
for an import's batch of 250 rows that is tens of thousands of instances (a record has a dozen match keys) and
about a quarter of the import's time (ADR 0037). ``rows_insert`` hands the driver one short statement and the
rows' values (``executemany``), which SQLite and psycopg both run as a prepared statement.

It only inserts: it reads nothing, returns no ids and sends no signal, so it is for rows nothing reads back in
the same step and whose models have no ``save`` of their own. ``row_insert`` is the same for one append-only
row whose id the caller keeps (an audit event: an import appends tens of thousands).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

# Values the drivers take as they are; any other field's values go through the field's own preparation
# (dates, times, JSON), as ``bulk_create`` would prepare them.
_AS_THEY_ARE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def rows_insert(model: type[models.Model], *, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values in the order of ``columns``: fields' names, ``<name>_id`` for a relation's id).

    Returns how many rows were given. Every column the table needs must be named: model defaults are not
    applied. Runs in the caller's transaction.
    """
    statement, prepares = _insert(model, tuple(columns))
    values = [[prepare(value) for prepare, value in zip(prepares, row, strict=True)] for row in rows]
    if values:
        with connection.cursor() as cursor:
            # access-lint: allow an insert of derived rows the caller made; the statement reads nothing
            cursor.executemany(statement, values)
    return len(values)


def row_insert(instance: models.Model) -> None:
    """Insert the new ``instance`` with one prepared statement and give it its id.

    ``save(force_insert=True)`` without the per-field steps: no defaults applied (the instance has them), no
    signals, no ``save`` override. For append-only rows whose caller has set every column.
    """
    meta = instance._meta
    columns = tuple(field.attname for field in meta.concrete_fields if field is not meta.pk)
    statement, prepares = _insert(type(instance), columns)
    key = connection.ops.quote_name(meta.pk.column)
    values = [prepare(getattr(instance, name)) for prepare, name in zip(prepares, columns, strict=True)]
    with connection.cursor() as cursor:
        # access-lint: allow an insert of the row the caller made; it returns only that row's new id
        cursor.execute(f"{statement} RETURNING {key}", values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias


@functools.cache
def _insert(model: type[models.Model], columns: tuple[str, ...]) -> tuple[str, list[Callable[[Any], Any]]]:
    """The insert statement into ``model``'s ``columns`` (attribute names), and how each column's value is sent."""
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    # Identifiers from the model's own options, quoted; every value is a parameter.
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    return statement, [_preparer(field) for field in fields]


def _preparer(field: Any) -> Callable[[Any], Any]:
    if field.get_internal_type() in _AS_THEY_ARE:
        return _as_it_is
    return lambda value: field.get_db_prep_save(value, connection=connection)


def _as_it_is(value: Any) -> Any:
    return value
