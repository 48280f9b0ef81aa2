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

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

# Values the drivers take as they are; any other field's values go through the field's own preparation
# (dates, times, JSON), as ``bulk_create`` would prepare them. Callers pass plain values for these (``str``, a
# choice, an ``int`` id): no ``str()`` is applied, so a lazy translation or a model instance is refused by the driver.
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
    database = connections[DEFAULT_DB_ALIAS]
    statement, fields = _insert(model, tuple(columns))
    prepares = [_preparer(field, database) for field in fields]
    values = [[prepare(value) for prepare, value in zip(prepares, row, strict=True)] for row in rows]
    if values:
        with database.cursor() as cursor:
            # access-lint: allow an insert of derived rows the caller made; the statement reads nothing
            cursor.executemany(statement, values)
    return len(values)


def row_insert(instance: models.Model) -> None:
    """Insert the new ``instance`` with one prepared statement and give it its id.

    ``save(force_insert=True)`` without the per-field steps: no defaults applied (the instance has them), no
    signals, no ``save`` override. For append-only rows whose caller has set every column.
    """
    if instance.pk is not None or not instance._state.adding:
        raise PermissionError("Only a new row is inserted; rows written this way are never updated.")
    meta, database = instance._meta, connections[DEFAULT_DB_ALIAS]
    columns = tuple(field.attname for field in meta.concrete_fields if field is not meta.pk)
    statement, fields = _insert(type(instance), columns)
    key = database.ops.quote_name(meta.pk.column)
    values = [_preparer(field, database)(getattr(instance, field.attname)) for field in fields]
    with database.cursor() as cursor:
        # access-lint: allow an insert of the row the caller made; it returns only that row's new id
        cursor.execute(f"{statement} RETURNING {key}", values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = database.alias


@functools.cache
def _insert(model: type[models.Model], columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    """The insert statement into ``model``'s ``columns`` (attribute names), and the columns' fields."""
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    # Identifiers from the model's own options, quoted; every value is a parameter.
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    return statement, fields


def _preparer(field: Any, database: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """How ``field``'s values are sent: as they are, or through the field's preparation for ``database``."""
    if field.get_internal_type() in _AS_THEY_ARE:
        return _as_it_is
    return functools.partial(field.get_db_prep_save, connection=database)


def _as_it_is(value: Any) -> Any:
    return value
