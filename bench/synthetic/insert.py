"""Inserting generated rows fast: ids drawn up front, each value adapted once, one ``executemany`` per batch.

``bulk_create`` prepares every value through the field's full save path, which at a million rows is most of
the generator's time. Here each column gets the one adaptation its type needs on this database (the
backend's own ``adapt_*_value``: dates and times as SQLite stores them, JSON as text or ``Jsonb``), rows go
in with the database driver's ``executemany`` (SQLite's C loop; psycopg's pipeline), and the ids are drawn
first (the table's next ids inside the generator's transaction on SQLite, its sequence on PostgreSQL) so
records can be linked before they are written. Defaults are the model's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState

BATCH = 5000
Adapt = Callable[[Any], Any]
M = TypeVar("M", bound=models.Model)


def _adapter(field: models.Field[Any, Any]) -> Adapt | None:
    """How a value of ``field`` is handed to the driver (``None``: as it is)."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        return lambda value: _json(ops, value, encoder)
    if kind == "GenericIPAddressField":
        return ops.adapt_ipaddressfield_value
    return None


def _sqlite_datetime(value: Any) -> Any:
    """What ``adapt_datetimefield_value`` gives SQLite for an aware datetime (naive UTC text), without its checks."""
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _json(ops: Any, value: Any, encoder: Any) -> Any:
    """A JSON value as the driver takes it; one already written as text (``common.Dumped``) is not dumped again."""
    if value is None:
        return None
    text = getattr(value, "text", None)
    if text is None:
        return ops.adapt_json_value(value, encoder)
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value, dumps=lambda _value: text)
    return text


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused ids of ``model``'s table (call inside the transaction that inserts them)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 (a model's own table)
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


class Table:
    """The insert statement and per-column adaptation of one model."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields]
        self.adapters = [_adapter(field) for field in self.fields]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (the model's own table and columns)

    def defaults(self) -> dict[str, Any]:
        """Each field's default (a callable default called once for the whole insert)."""
        return {field.attname: field.get_default() for field in self.fields if not field.primary_key}

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows already in column order, adapting each value."""
        adapters = self.adapters
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    self.sql,
                    [
                        [value if adapt is None else adapt(value) for value, adapt in zip(row, adapters, strict=True)]
                        for row in rows[start : start + BATCH]
                    ],
                )


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances of ``model``, giving each its id; foreign keys to saved instances are followed."""
    if not objects:
        return
    table = Table(model)
    ids = new_ids(model, len(objects))
    relations: list[Any] = [
        field if field.is_relation and (field.many_to_one or field.one_to_one) else None for field in table.fields
    ]
    rows = []
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        row = []
        for field, relation in zip(table.fields, relations, strict=True):
            value = obj.__dict__.get(field.attname)
            if value is None and relation is not None and relation.is_cached(obj):
                related = relation.get_cached_value(obj)
                value = related.pk if related is not None else None
                if value is None and related is not None:
                    raise ValueError(f"{model.__name__}.{relation.name} points at an unsaved {type(related).__name__}.")
                obj.__dict__[field.attname] = value
            row.append(value)
        rows.append(row)
    table.write(rows)


def insert_values(model: type[models.Model], values: Iterable[dict[str, Any]], *, ids: bool = False) -> list[int]:
    """Insert rows given as ``{attname: value}`` (the model's defaults for the rest); return their ids if asked."""
    table = Table(model)
    defaults = table.defaults()
    given = list(values)
    pks = new_ids(model, len(given))
    names = [(field.attname, defaults.get(field.attname)) for field in table.fields[1:]]
    if not table.fields[0].primary_key:
        raise ValueError(f"{model.__name__}'s first column is not its id.")
    table.write(
        [[pk, *(row.get(name, default) for name, default in names)] for pk, row in zip(pks, given, strict=True)]
    )
    return pks if ids else []


class _Blueprint:
    """What ``make`` needs to know about a model once: each field's default and its relations by name."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.static = {
            field.attname: field.get_default()
            for field in fields
            if not (field.has_default() and callable(field.default))
        }
        self.dynamic = [
            (field.name, field.attname, field.default)
            for field in fields
            if field.has_default() and callable(field.default)
        ]
        self.relations: dict[str, tuple[str, str]] = {
            field.name: (field.attname, field.cache_name)  # type: ignore[attr-defined]
            for field in fields
            if field.is_relation
        }
        self.pk = model._meta.pk.attname


_BLUEPRINTS: dict[type[models.Model], _Blueprint] = {}


def make(model: type[M], **values: Any) -> M:
    """An unsaved instance of ``model``, as ``model(**values)`` makes one but without its per-field machinery.

    A relation given by name (``subject=person``) is cached on the instance and its id copied when the
    related row has one (``insert_objects`` copies it later otherwise); a callable default is called only
    for a field not given. The instances are only ever inserted by ``insert_objects``, never saved.
    """
    blueprint = _BLUEPRINTS.get(model)
    if blueprint is None:
        blueprint = _BLUEPRINTS[model] = _Blueprint(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(blueprint.static)
    state[blueprint.pk] = None
    for name, attname, default in blueprint.dynamic:
        if name not in values and attname not in values:
            state[attname] = default()
    cache = obj._state.fields_cache
    for name, value in values.items():
        relation = blueprint.relations.get(name)
        if relation is None:
            state[name] = value
            continue
        attname, cache_name = relation
        cache[cache_name] = value
        state[attname] = value.pk if value is not None else None
    return obj
