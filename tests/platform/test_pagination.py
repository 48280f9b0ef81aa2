"""Every list is paged the same way: ``threshold.core.pagination.page_of`` and ``includes/pagination.html``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from threshold.access import fetch
from threshold.access.guard import scoped
from threshold.core.pagination import PAGE_SIZE, Segment, page_of, pages_of_segments
from threshold.lado.models import Case, CaseShare

factory = RequestFactory()
EXAMPLE = (
    '{% from "includes/pagination.html" import list_summary, list_pagination %}'
    '{{ list_summary(page, "cases") }}{{ list_pagination(page) }}'
)


def render(page: object) -> str:
    return str(engines["jinja2"].from_string(EXAMPLE).render({"page": page}))


def test_a_page_holds_page_size_rows_and_knows_where_it_sits() -> None:
    page = page_of(list(range(1, 121)), factory.get("/list", {"page": "2"}))
    assert page.rows == list(range(51, 101))
    assert (page.number, page.pages, page.total) == (2, 3, 120)
    assert (page.first_shown, page.last_shown) == (51, 100)
    assert PAGE_SIZE == 50


def test_a_page_number_that_is_not_a_page_gives_the_first_or_the_last() -> None:
    assert page_of(list(range(120)), factory.get("/list", {"page": "many"})).number == 1
    assert page_of(list(range(120)), factory.get("/list", {"page": "99"})).number == 3


def test_the_links_keep_the_filters_and_drop_the_page_number_for_the_first_page() -> None:
    page = page_of(list(range(500)), factory.get("/list", {"category": "sexual", "page": "5"}))
    links = page.govuk()
    assert links["previous"] == {"href": "?category=sexual&page=4"}
    assert links["next"] == {"href": "?category=sexual&page=6"}
    numbers = [item.get("number") for item in links["items"]]
    # GOV.UK: the first, the last and the neighbours of the current page, with an ellipsis for the gaps.
    assert numbers == [1, None, 4, 5, 6, None, 10]
    assert links["items"][0]["href"] == "?category=sexual"
    assert [item["current"] for item in links["items"] if "number" in item] == [False, False, True, False, False]


@pytest.mark.django_db
def test_an_unordered_queryset_is_refused_since_a_row_could_fall_between_pages() -> None:
    with pytest.raises(ValueError, match="ordered"):
        page_of(Group.objects.all(), factory.get("/list"))


@pytest.mark.django_db
def test_a_queryset_is_counted_once_and_sliced_once(django_assert_num_queries: object) -> None:
    Group.objects.bulk_create([Group(name=f"group {n}") for n in range(60)])
    with django_assert_num_queries(2):  # type: ignore[operator]
        page = page_of(Group.objects.order_by("name"), factory.get("/list", {"page": "2"}))
    assert len(page) == 10
    assert page.total == 60


def test_the_summary_says_which_rows_are_shown_and_the_links_are_govuk_pagination() -> None:
    page = page_of(list(range(6000)), factory.get("/list", {"page": "2"}))
    html = render(page)
    assert "Showing 51 to 100 of 6,000 cases." in html
    assert 'class="govuk-pagination' in html
    assert 'aria-label="Pages of results"' in html
    one_page = render(page_of([1, 2], factory.get("/")))
    assert "2 cases." in one_page
    assert "govuk-pagination" not in one_page


@pytest.mark.django_db
def test_parts_of_a_list_are_each_paged_by_their_own_parameter_and_their_rows_read_in_one_query(
    django_assert_num_queries: object,
) -> None:
    # Groups "a 000".."a 119", "b 000".."b 009" and "c 000".."c 059": three parts, their keys read by the caller.
    names = [f"{part} {n:03}" for part, size in (("a", 120), ("b", 10), ("c", 60)) for n in range(size)]
    Group.objects.bulk_create([Group(name=name) for name in names])
    keys = {
        part: list(Group.objects.filter(name__startswith=part).order_by("name").values_list("pk", flat=True))
        for part in "abc"
    }
    parts = [
        Segment(keys=keys["a"], parameter="a_page", label="A"),
        Segment(keys=keys["b"], parameter="b_page", label="B"),
    ]
    parts.append(Segment(keys=keys["c"], parameter="c_page", label="C"))
    request = factory.get("/list", {"a_page": "3", "b_page": "7", "c_page": "two", "kind": "x"})
    with django_assert_num_queries(1):  # type: ignore[operator]
        a, b, c = pages_of_segments(Group.objects.order_by("name"), request, parts)
    assert [group.name for group in a.rows] == [f"a {n:03}" for n in range(100, 120)]
    assert [group.name for group in b.rows] == [f"b {n:03}" for n in range(10)]  # past the end: the last page
    assert [group.name for group in c.rows] == [f"c {n:03}" for n in range(50)]  # not a number: the first
    assert [(page.number, page.pages, page.total) for page in (a, b, c)] == [(3, 3, 120), (1, 1, 10), (1, 2, 60)]
    assert c.govuk()["next"] == {"href": "?a_page=3&b_page=7&kind=x&c_page=2"}


@pytest.mark.django_db
def test_parts_with_nothing_in_them_are_empty_pages_and_run_no_query(django_assert_num_queries: object) -> None:
    parts = [Segment(keys=[], parameter="a_page", label="A"), Segment(keys=[], parameter="b_page", label="B")]
    with django_assert_num_queries(0):  # type: ignore[operator]
        pages = pages_of_segments(Group.objects.order_by("name"), factory.get("/list"), parts)
    assert [(page.rows, page.number, page.pages, page.total) for page in pages] == [([], 1, 1, 0), ([], 1, 1, 0)]


@pytest.mark.django_db
def test_a_row_no_longer_in_the_list_is_left_off_its_page_and_the_rest_keep_their_order() -> None:
    Group.objects.bulk_create([Group(name=f"g {n:02}") for n in range(30)])
    keys = list(Group.objects.order_by("-name").values_list("pk", flat=True))  # the caller's order, not the table's
    gone = Group.objects.get(name="g 28").pk
    (page,) = pages_of_segments(
        Group.objects.exclude(pk=gone), factory.get("/list"), [Segment(keys=keys, parameter="page", label="G")], size=5
    )
    assert [group.name for group in page.rows] == ["g 29", "g 27", "g 26", "g 25"]
    assert (page.total, page.pages) == (30, 6)


def _keys_sql(rows: object) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page_of(rows, factory.get("/list"), by_key=True)  # type: ignore[arg-type]
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_a_list_of_one_table_is_counted_and_paged_by_key_without_distinct(persona, records) -> None:
    # Mo's all cases: DISTINCT changes nothing on one table, but PostgreSQL hashed every case to reach a page.
    cases = fetch.visible_cases(persona("mo")).order_by("-opened_at", "-pk")
    count, keys, rows = _keys_sql(cases)
    assert "COUNT(*)" in count
    assert "DISTINCT" not in count
    assert "DISTINCT" not in keys
    assert "DISTINCT" in rows  # the page's rows are still read from the list as the access layer gives it
    page = page_of(cases, factory.get("/list"), by_key=True)
    assert page.total == cases.count()
    assert [case.pk for case in page.rows] == list(cases.values_list("pk", flat=True)[:PAGE_SIZE])


@pytest.mark.django_db
def test_a_list_whose_condition_joins_another_table_stays_distinct(persona, ids) -> None:
    # A case shared twice is two rows of the join: its key is counted and shown once, as before.
    case = Case.objects.get(pk=ids["case_chris"])
    for partner in ("pat", "pat"):
        CaseShare.objects.create(case=case, user=persona(partner), shared_by=persona("lara"))
    # Marked as scoped as an access list is: the pagination evaluates it (threshold.access.guard).
    rows = scoped(Case.objects.filter(shares__ended_at__isnull=True).distinct().order_by("pk"))
    count, keys, _rows = _keys_sql(rows)
    assert "DISTINCT" in count
    assert "DISTINCT" in keys
    page = page_of(rows, factory.get("/list"), by_key=True)
    assert page.total == len(page.rows) == Case.objects.filter(shares__ended_at__isnull=True).distinct().count()
    assert [row.pk for row in page.rows].count(case.pk) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "joined",
    [
        lambda cases: cases.order_by("-shares", "pk"),  # a related name sorts through a join made when compiled
        lambda cases: cases.extra(tables=["lado_caseshare"], where=["lado_caseshare.case_id = lado_case.id"]).order_by(
            "pk"
        ),
    ],
    ids=["ordered by a related name", "an extra table"],
)
def test_a_list_joined_only_when_compiled_stays_distinct(persona, ids, joined) -> None:
    case = Case.objects.get(pk=ids["case_chris"])
    for _ in range(2):
        CaseShare.objects.create(case=case, user=persona("pat"), shared_by=persona("lara"))
    rows = scoped(joined(Case.objects.filter(pk=case.pk).distinct()))
    count, keys, _rows = _keys_sql(rows)
    assert "DISTINCT" in count
    assert "DISTINCT" in keys
