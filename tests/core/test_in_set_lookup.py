"""``in_set`` finds what ``in`` finds on both databases, and on PostgreSQL sends its values as one array parameter.

Rule 2 hides the people who could be the reader with it in every access condition (``threshold.core.lookups``).
The rows are the demo world's organisations: a school's trust is a key that is empty for most of them, so a
negated condition meets ``NULL`` as rule 2's does when a record has no subject. As rule 2 names its people
(``subject__pk__in_set``), the lookup is on the related record's key, which Django reads from the key column.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust_ids(demo_world: None) -> list[int]:
    """The trusts the demo world's schools belong to."""
    ids = sorted(set(Organisation.objects.filter(trust__isnull=False).values_list("trust_id", flat=True)))
    assert ids, "the demo world has schools in a trust"
    return ids


def _ids(condition: Q) -> list[int]:
    return sorted(Organisation.objects.filter(condition).values_list("pk", flat=True))


def test_it_finds_what_in_finds_and_its_negation_keeps_the_rows_without_a_trust(trust_ids) -> None:
    assert _ids(Q(trust__pk__in_set=trust_ids)) == _ids(Q(trust__pk__in=trust_ids))
    assert _ids(~Q(trust__pk__in_set=trust_ids)) == _ids(~Q(trust__pk__in=trust_ids))
    without_trust = Organisation.objects.get(name=world.NORTHSHIRE).pk
    assert without_trust in _ids(~Q(trust__pk__in_set=trust_ids))


def test_a_none_among_the_values_is_never_equal_and_an_empty_list_matches_nothing(trust_ids) -> None:
    assert _ids(Q(trust__pk__in_set=[*trust_ids, None])) == _ids(Q(trust__pk__in=trust_ids))
    assert _ids(Q(pk__in_set=[])) == []
    assert _ids(~Q(pk__in_set=[])) == _ids(Q())


def test_a_subquery_is_compiled_as_in_compiles_it(trust_ids) -> None:
    trusts = Organisation.objects.filter(pk__in=trust_ids).values("pk")

    assert _ids(Q(trust__pk__in_set=trusts)) == _ids(Q(trust__pk__in=trust_ids))


def test_on_postgresql_the_values_are_one_array_parameter_and_elsewhere_an_in_list(trust_ids) -> None:
    many = [*trust_ids, *range(10_000, 10_200)]
    sql, params = Organisation.objects.filter(trust__pk__in_set=many).query.get_compiler(using="default").as_sql()

    if connection.vendor == "postgresql":
        assert '"trust_id" = ANY(%s)' in sql
        assert list(params) == [many]
    else:
        assert '"trust_id" IN (' in sql
        assert len(params) == len(many)


def test_unhashable_values_such_as_a_json_fields_lists_find_what_in_finds(ids: dict[str, int]) -> None:
    categories = [list(found) for found in Case.objects.values_list("abuse_categories", flat=True)]

    assert Case.objects.filter(abuse_categories__in_set=categories).count() == len(categories)
    assert Case.objects.filter(abuse_categories__in_set=categories).count() == (
        Case.objects.filter(abuse_categories__in=categories).count()
    )
