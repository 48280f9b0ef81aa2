"""One way to page a list: a page of rows from a queryset, and the GOV.UK pagination links for it.

Issue 15: "page-size pagination (GOV.UK pagination component) on every list". A list view asks ``page_of`` for
the page named by ``?page=`` (the first page for anything that is not a page number, the last for a number past
the end, as Django's ``Paginator.get_page`` does), renders its rows, and includes
``includes/pagination.html`` with the ``ListPage``: "Showing 51 to 100 of 6,000 cases" and the numbered links,
every other query-string parameter kept so filters survive a page change. Only the page's rows are fetched
(``LIMIT``/``OFFSET``) and one ``COUNT`` says how many there are, so a page's queries do not grow with history.
The audit trail's own pages, whose tables grow fastest, page through ``threshold.audit`` itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

T = TypeVar("T")

# Rows on a page of any list: enough to scan, few enough that a page renders in a blink at any size.
PAGE_SIZE = 50
# Page numbers shown either side of the current one before an ellipsis (GOV.UK: "1 … 6 7 8 … 42").
AROUND = 1


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """A page of a list: its rows, where it sits in the list, and the links to the others."""

    rows: list[T]
    number: int
    pages: int
    total: int
    size: int
    query: tuple[tuple[str, str], ...] = ()
    # The query-string parameter naming the page, and the links' landmark label: a page with two paged lists
    # (the team view's contacts and cases) gives each its own, so paging one keeps the other where it is.
    parameter: str = "page"
    label: str = "Pages of results"

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def first_shown(self) -> int:
        """The position in the list of the page's first row (1-based; 0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        """The position in the list of the page's last row."""
        return self.first_shown + len(self.rows) - 1 if self.rows else 0

    def href(self, number: int) -> str:
        """The address (query string only) of page ``number``, keeping every other parameter."""
        parameters = [*self.query, *([(self.parameter, str(number))] if number > 1 else [])]
        return "?" + urlencode(parameters) if parameters else "?"

    def govuk(self) -> dict[str, Any]:
        """The parameters of the GOV.UK pagination component: previous, next and the numbered items."""
        items: list[dict[str, Any]] = []
        last_number = 0
        for number in _numbers_shown(self.number, self.pages):
            if number - last_number > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": self.href(number), "current": number == self.number})
            last_number = number
        return {
            "previous": {"href": self.href(self.number - 1)} if self.number > 1 else None,
            "next": {"href": self.href(self.number + 1)} if self.number < self.pages else None,
            "items": items,
            "landmarkLabel": self.label,
        }


class _KeysFirst:
    """A queryset as ``Paginator`` reads it when it is paged by its keys: counted and sliced as primary keys only.

    The lists read through ``threshold.access`` are ``DISTINCT`` (a condition over shares can repeat a row), so
    counting them, or sorting them to reach a page, de-duplicates whole rows, annotations and all, for every
    record the reader may see. Here the count and the page's slice de-duplicate primary keys alone, and only the
    page's rows are then read whole (one more query): at a large authority's six thousand cases, all cases'
    first page took 57 ms instead of 229 ms and the count 41 ms instead of 108 ms (SQLite). A list read from its
    own table alone (``_one_table``) cannot repeat a key, so its keys are read without ``DISTINCT`` at all.
    """

    def __init__(self, rows: QuerySet[Any]) -> None:
        self.rows = rows
        self.keys = rows.values_list("pk", flat=True)
        if _one_table(self.keys):
            # A list read from one table, its conditions all on that table's columns or in subqueries, cannot
            # repeat a primary key: DISTINCT would change nothing, but PostgreSQL would still hash every record
            # the reader may see before sorting them to reach a page (7 ms at 6,000 cases), where without it
            # it walks the list's index and stops at the page.
            self.keys.query.distinct = False

    def count(self) -> int:
        """How many rows the list holds."""
        return int(self.keys.count())

    def __getitem__(self, window: slice) -> list[Any]:
        keys = list(self.keys[window])
        if not keys:
            return []
        found = {row.pk: row for row in self.rows.filter(pk__in=keys)}
        return [found[key] for key in keys if key in found]


def _one_table(rows: QuerySet[Any]) -> bool:
    """Whether the list reads its own table alone: no join in its conditions and none in its order.

    A join a query set up but no longer uses (a ``select_related`` of the full list, dropped when only keys are
    read) has no references and is not in its SQL. Its order may name its own columns, its annotations and
    forward keys (a key sorts by its own column); a related name or an ``extra`` table would join at compile time.
    """
    query = rows.query
    base = query.get_initial_alias()
    if query.extra or query.extra_tables or query.distinct_fields or query.combinator:
        return False
    if any(query.alias_refcount[alias] for alias in query.alias_map if alias != base):
        return False
    return all(_own_column(rows.model, query, field) for field in query.order_by)


def _own_column(model: type[Model], query: Any, field: object) -> bool:
    """Whether an ``order_by`` entry sorts by a column of the list's own table (or an annotation of it)."""
    if not isinstance(field, str):
        return False
    name = field.lstrip("-")
    if name in ("pk", "?") or name in query.annotations:
        return True
    if LOOKUP_SEP in name:
        return False
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(found.concrete) and not found.many_to_many


def _numbers_shown(current: int, pages: int) -> list[int]:
    shown = {1, pages, *range(current - AROUND, current + AROUND + 1)}
    return sorted(number for number in shown if 1 <= number <= pages)


def _kept_query(request: HttpRequest, parameter: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, value) for key, values in request.GET.lists() if key != parameter for value in values)


def page_of(
    rows: QuerySet[Any] | Sequence[T],
    request: HttpRequest,
    *,
    size: int = PAGE_SIZE,
    parameter: str = "page",
    label: str = "Pages of results",
    by_key: bool = False,
) -> ListPage[Any]:
    """The page of ``rows`` that ``?page=`` names: one ``COUNT`` and one sliced query for a queryset.

    ``rows`` must be ordered (a list that shifts between pages would show a row twice or never); an unordered
    queryset is refused rather than paged unpredictably. ``by_key`` pages a queryset of model instances by its
    primary keys (``_KeysFirst``: one more query, each far cheaper on a ``DISTINCT`` list). ``parameter`` names
    the page in the query string and ``label`` the links' landmark, for a page holding more than one list.
    Several parts of one list, each paged on its own, are ``pages_of_segments``.
    """
    if isinstance(rows, QuerySet) and not rows.ordered:
        raise ValueError("A paged list must be ordered, so each row is on exactly one page.")
    listed: Any = _KeysFirst(rows) if by_key and isinstance(rows, QuerySet) else rows
    paginator = Paginator(listed, size, allow_empty_first_page=True)
    page = paginator.get_page(request.GET.get(parameter))
    return ListPage(
        rows=list(page.object_list),
        number=page.number,
        pages=paginator.num_pages,
        total=paginator.count,
        size=size,
        query=_kept_query(request, parameter),
        parameter=parameter,
        label=label,
    )


@dataclass(frozen=True)
class Segment:
    """One part of a list paged on its own (``pages_of_segments``): the keys of its rows in order, and its links."""

    keys: Sequence[Any]
    parameter: str
    label: str


def pages_of_segments(
    rows: QuerySet[Any], request: HttpRequest, segments: Sequence[Segment], *, size: int = PAGE_SIZE
) -> list[ListPage[Any]]:
    """A page of each part of a list, each part paged by its own parameter, the pages' rows read in one query.

    The caller has read each part's keys, in order, with whatever counts and groups them (My work reads its
    open steps' keys, kinds and due dates in one light query and groups them by when they fall due); this pages
    each part by its own parameter, then reads the rows on those pages from ``rows`` (the caller's list, with
    its access condition) in one query by key. A row no longer in ``rows`` (closed since) is left out; page
    numbers are read as ``page_of`` reads them (the first page for anything that is not a number, the last past
    the end). Nothing to show runs no query.
    """
    placed = []
    for segment in segments:
        paginator = Paginator(segment.keys, size, allow_empty_first_page=True)
        placed.append((segment, paginator, paginator.get_page(request.GET.get(segment.parameter))))
    wanted = [key for *_, page in placed for key in page.object_list]
    found = {row.pk: row for row in rows.order_by().filter(pk__in=wanted)} if wanted else {}
    return [
        ListPage(
            rows=[found[key] for key in page.object_list if key in found],
            number=page.number,
            pages=paginator.num_pages,
            total=paginator.count,
            size=size,
            query=_kept_query(request, segment.parameter),
            parameter=segment.parameter,
            label=segment.label,
        )
        for segment, paginator, page in placed
    ]
