"""A kept list's condition is compiled once and its text reused, exactly as Django would compile it (ADR 0040)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.sql.where import WhereNode

from threshold.access import compiled, fetch
from threshold.access.compiled import CompiledWhere
from threshold.access.scope import scopes_remembered
from threshold.allegations import listing as allegation_listing
from threshold.concerns import selectors as concern_selectors
from threshold.lado.models import Case, Contact

pytestmark = pytest.mark.django_db

LISTS: list[tuple[str, Callable[..., QuerySet[Any]], tuple[Any, ...]]] = [
    ("concerns", fetch.visible_concerns, ("view",)),
    ("concerns to change", fetch.visible_concerns, ("change",)),
    ("allegations", fetch.visible_allegations, ("view",)),
    ("contacts", fetch.visible_contacts, ("view",)),
    ("cases", fetch.visible_cases, ("view",)),
    ("cases to change", fetch.visible_cases, ("change",)),
    ("meetings", fetch.visible_meetings, ("view",)),
    ("people", fetch.visible_people, ("view",)),
    ("documents", fetch.visible_documents, ()),
    ("deadlines", fetch.visible_deadlines, ("view",)),
    ("deadlines to act on", fetch.actionable_deadlines, ()),
    ("notifications", fetch.visible_notifications, ()),
    # Selectors kept as the lists are (ADR 0041): joins, an excluded relation, EXISTS and subquery annotations.
    ("concerns awaiting triage", concern_selectors._awaiting_triage, ((),)),
    ("open low-level concerns", concern_selectors.open_low_level, ()),
    ("open allegations on the home page", allegation_listing.open_managed, ()),
    ("concluded allegations", allegation_listing._concluded, ()),
]

# What callers do with a list: read it, narrow it, count it, use it in another query, combine it.
USES: list[tuple[str, Callable[[QuerySet[Any]], QuerySet[Any] | Any]]] = [
    ("as it is", lambda rows: rows),
    ("narrowed and ordered", lambda rows: rows.filter(pk__gt=0).order_by("-pk")[:5]),
    ("as a subquery of its own model", lambda rows: rows.model._default_manager.filter(pk__in=rows)),
    ("as a correlated EXISTS", lambda rows: rows.model._default_manager.filter(Exists(rows.filter(pk=OuterRef("pk"))))),
    ("combined with itself", lambda rows: rows.filter(pk__lt=10) | rows.filter(pk__gt=20)),
]


def afresh(visible: Callable[..., QuerySet[Any]]) -> Callable[..., QuerySet[Any]]:
    """The list's builder itself: built again, nothing kept or remembered."""
    return cast(Any, visible).__wrapped__


def sql_of(rows: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The statement a queryset would run, with its parameters ("nothing" for a list Django knows is empty)."""
    try:
        statement, params = rows.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return "nothing", ()
    return statement, tuple(params)


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch) -> None:
    monkeypatch.setattr(fetch, "_kept_lists", OrderedDict())


READERS = ("lara", "mo", "hana", "dev", "priya", "pat", "gina")


@pytest.mark.parametrize(("label", "visible", "arguments"), LISTS, ids=[label for label, _, _ in LISTS])
def test_every_list_used_every_way_runs_what_django_compiles_and_finds_what_a_list_built_afresh_finds(
    records, persona, monkeypatch, label, visible, arguments
) -> None:
    for name in READERS:
        reader = persona(name)
        for use, shaped in USES:
            with scopes_remembered(reads_only=True):
                first, second = shaped(visible(reader, *arguments)), shaped(visible(reader, *arguments))
                remembered = sql_of(first), sql_of(second)
                with monkeypatch.context() as plain:
                    plain.setattr(CompiledWhere, "as_sql", WhereNode.as_sql)  # Django's own compiling, every time
                    compiled_now = sql_of(shaped(visible(reader, *arguments)))
                assert remembered == (compiled_now, compiled_now), (name, use)
                assert list(second) == list(shaped(afresh(visible)(reader, *arguments))), (name, use)


def test_a_condition_is_compiled_once_for_page_after_page(records, persona, monkeypatch) -> None:
    lara = persona("lara")
    compiled_now: list[str] = []
    real = compiled.WhereNode.as_sql

    def counted(node, compiler, connection):
        if type(node) is CompiledWhere:
            compiled_now.append("condition")
        return real(node, compiler, connection)

    monkeypatch.setattr(compiled.WhereNode, "as_sql", counted)
    for _ in range(3):  # three requests
        with scopes_remembered(reads_only=True):
            list(fetch.visible_cases(lara).filter(pk__gt=0)[:5])
    assert compiled_now == ["condition"]


def test_a_copy_used_as_a_subquery_is_compiled_under_its_new_names_not_the_kept_list_s(records, persona) -> None:
    lara = persona("lara")
    kept = fetch.visible_contacts(lara)
    top = sql_of(kept)[0]
    inner = sql_of(Contact._default_manager.filter(pk__in=fetch.visible_contacts(lara)))[0]
    assert '"lado_contact"."local_authority_id" IN' in top
    assert 'U0."local_authority_id" IN' in inner
    assert '"lado_contact"."local_authority_id" IN' not in inner
    assert sql_of(fetch.visible_contacts(lara))[0] == top  # the kept list's own text is unchanged by the subquery


def test_a_list_that_reaches_nothing_stays_empty_however_often_it_is_read(records, persona) -> None:
    sid = persona("sid")  # the system administrator reads no case data
    for _ in range(3):
        assert list(fetch.visible_cases(sid)) == []
        assert fetch.visible_cases(sid).count() == 0


def test_a_node_made_another_way_remembers_nothing(records, persona) -> None:
    lara = persona("lara")
    node: Any = fetch.visible_cases(lara).query.where.children[0]
    assert isinstance(node, CompiledWhere)
    assert node._compiled is not None
    replaced = cast(Any, node).replace_expressions(
        {Case._meta.pk.get_col("lado_case"): Case._meta.pk.get_col("lado_case")}
    )
    assert isinstance(replaced, CompiledWhere)
    assert replaced._compiled is None


def test_past_its_limit_of_shapes_a_condition_is_compiled_each_time_and_remembers_no_more(
    records, persona, monkeypatch
) -> None:
    monkeypatch.setattr(compiled, "MAX_SHAPES", 1)
    lara = persona("lara")
    list(fetch.visible_cases(lara))
    inner = Case._default_manager.filter(pk__in=fetch.visible_cases(lara))
    assert sql_of(inner) == sql_of(Case._default_manager.filter(pk__in=afresh(fetch.visible_cases)(lara)))
    node: Any = fetch.visible_cases(lara).query.where.children[0]
    assert len(node._compiled) == 1


def test_using_a_copy_in_every_way_leaves_the_kept_condition_as_it_was(records, persona, monkeypatch) -> None:
    lara = persona("lara")
    with monkeypatch.context() as plain:
        plain.setattr(CompiledWhere, "as_sql", WhereNode.as_sql)
        before = sql_of(fetch.visible_deadlines(lara))
    for _use, shaped in USES:
        list(shaped(fetch.visible_deadlines(lara)))
    with monkeypatch.context() as plain:
        plain.setattr(CompiledWhere, "as_sql", WhereNode.as_sql)  # the kept nodes themselves, compiled again
        assert sql_of(fetch.visible_deadlines(lara)) == before
