"""A kept list's condition, compiled to SQL once and reused by every copy of the list (ADR 0040).

A ``visible_*`` list is built once for what it is built from (ADR 0039), but Django compiles a query's
``WHERE`` afresh each time it runs: for an access condition, several correlated ``EXISTS`` subqueries each
with their own compiler, about a millisecond a list, several times a page. The condition's text is a pure
function of the built condition (the same rule as the kept list's: nothing read at compile time), so the
kept list's ``WHERE`` becomes a ``CompiledWhere`` that remembers what it compiled to.

What the text also depends on, and the remembered text is keyed by: the database connection and the
compiler's class, and every relabelling of the query's aliases since it was kept (a copy used as a subquery
is renamed ``U0``, ``V0`` … by ``Query.bump_prefix``; a copy combined with ``|`` or ``&`` may be renamed too).
A copy relabels its own nodes exactly as Django's would, so on a miss it compiles what Django would have
compiled; a node made any other way (``replace_expressions``, ``create``) remembers nothing and compiles
every time.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models.sql.where import AND, WhereNode

# Past this many shapes (connection, compiler, relabelling) a condition's text is compiled every time instead
# of remembered: a list used in a few places has a few shapes; more means something unusual, not a cache to grow.
MAX_SHAPES = 32

_EMPTY = "empty"
_FULL = "full"


class CompiledWhere(WhereNode):
    """A ``WHERE`` node that remembers its SQL for each shape it is compiled in (see the module's docstring)."""

    # Shared by every copy of one kept list, and only by them: ``clone`` hands it on, nothing else makes it.
    _compiled: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]] | str] | None = None
    # The alias relabellings since the list was kept, in order; part of the key.
    _renamed: tuple[tuple[tuple[str | None, str], ...], ...] = ()

    @classmethod
    def keep(cls, where: WhereNode) -> WhereNode:
        """A top-level ``WHERE`` for a kept list: a plain node (callers add filters to it) over the condition."""
        frozen = cast(CompiledWhere, cls.create(list(where.children), where.connector, where.negated))
        frozen._compiled = {}
        return WhereNode([frozen], AND)

    def clone(self) -> WhereNode:
        """Django's copy of the nodes (leaves shared), with the remembered text and the relabellings handed on."""
        clone = cast(CompiledWhere, super().clone())
        clone._compiled = self._compiled
        clone._renamed = self._renamed
        return clone

    def relabel_aliases(self, change_map: dict[str | None, str]) -> None:
        """Rename aliases as Django does; the new names become part of the key."""
        super().relabel_aliases(change_map)
        if change_map:
            self._renamed = (*self._renamed, tuple(change_map.items()))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """The remembered text for this shape, compiled as Django would the first time."""
        remembered = self._compiled
        if remembered is None:
            sql, params = super().as_sql(compiler, connection)
            return sql, list(params)
        key = (connection.alias, type(compiler), self._renamed)
        found = remembered.get(key)
        if found is None:
            try:
                sql, params = super().as_sql(compiler, connection)
            except EmptyResultSet:
                found = _EMPTY
            except FullResultSet:
                found = _FULL
            else:
                found = (sql, tuple(params))
            # No lock: a dictionary's item is set atomically, and two threads compiling one shape at once write
            # the same text; the bound may be passed by a thread or two, which is harmless.
            if len(remembered) < MAX_SHAPES:
                remembered[key] = found
        if found == _EMPTY:
            raise EmptyResultSet
        if found == _FULL:
            raise FullResultSet
        sql, params = found  # type: ignore[misc]
        return sql, list(params)
