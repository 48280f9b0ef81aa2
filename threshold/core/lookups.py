"""``in_set``: ``IN`` over a list of values, sent to PostgreSQL as one array parameter.

Rule 2 hides the people who are or could be the reader in every access condition of a page, as a list of person
ids read once for the request (ADR 0033). ``subject_id IN (%s, %s, …)`` carries each id as its own parameter:
at six authorities a LADO's list held 190 people, and a case page's fifteen conditions made some 3,000
parameters. Django prepared each one, psycopg parsed the long text afresh for every query (it keeps the parsed
form only of queries of at most 50 parameters), and PostgreSQL read each literal back. On PostgreSQL ``in_set``
writes ``subject_id = ANY(%s)`` with the list as one array parameter: the same rows, the same plan (PostgreSQL
turns an ``IN`` list into that same ``= ANY`` of an array). Django prepares one value and psycopg keeps the
short query's parsed form; with client-side binding it still writes the array into the text it sends, as one
literal (ADR 0043). Elsewhere (SQLite) it is Django's own ``IN``.

``NULL`` is never equal to anything either way, so ``NOT`` (``~Q(subject__pk__in_set=ids)``) keeps the rows it
kept. An empty list matches nothing, as ``IN`` with nothing does. Registered on plain fields (a key named through
its relation, ``subject__pk``, is one: Django reads it from the ``subject_id`` column without a join).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet


@Field.register_lookup
class InSet(In):
    """``field IN (values)``; on PostgreSQL ``field = ANY(%s)``, the values one array parameter."""

    lookup_name = "in_set"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        """``lhs = ANY(%s)``; a subquery or an expression is compiled as ``IN`` is."""
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # As ``In.process_rhs``: None is dropped (never equal to anything), and nothing left matches nothing.
        values: Any
        try:
            values = OrderedSet(self.rhs)
            values.discard(None)
        except TypeError:  # unhashable values (a JSON field's), as ``In`` allows
            values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        _placeholders, prepared = self.batch_process_rhs(compiler, connection, values)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(prepared)]
