"""A page of audit events, newest first, reached by walking indexes: page fifty costs what page one does.

The audit trail is the fastest-growing table, so its pages neither count the events in scope nor skip rows with
``OFFSET``: both read every row before the page. A page is found by its neighbour's sequence numbers instead
(keyset pagination). The "Next" link names the last event shown (``?page=3&before=1234``: the events older
than 1234) and "Previous" the first (``?page=1&after=1284``: the events newer than it), so each page is one
short walk down an index from a known place. ``page`` only labels the page; a page number typed without a
cursor (``?page=50``) is found by reading the sequence numbers of the pages before it from the index alone.

Each walk is one ordered queryset (``selectors.organisation_event_walks``: one per organisation and way of
being in scope); the page's sequence numbers are merged from all of them, then its rows read in one query.
The GOV.UK pagination component shows "Previous" and "Next".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from threshold.audit.models import AuditEvent

# Events on a page of an audit trail page.
PAGE_SIZE = 50
_CURSORS = ("page", "before", "after")


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, and the links to the pages either side."""

    rows: list[AuditEvent]
    number: int
    previous_href: str | None
    next_href: str | None

    def __iter__(self) -> Iterator[AuditEvent]:
        return iter(self.rows)

    def govuk(self) -> dict[str, Any]:
        """The parameters of the GOV.UK pagination component: previous and next."""
        return {
            "previous": {"href": self.previous_href} if self.previous_href else None,
            "next": {"href": self.next_href} if self.next_href else None,
        }


def _whole(value: str | None) -> int | None:
    """A positive whole number from the query string, or ``None`` for anything else."""
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


def _merged(walks: Sequence[QuerySet[AuditEvent]], limit: int, *, newest_first: bool) -> list[int]:
    """The first ``limit`` sequence numbers of all the walks together, in page order, each once."""
    order = "-sequence" if newest_first else "sequence"
    found: set[int] = set()
    for walk in walks:
        found.update(walk.order_by(order).values_list("sequence", flat=True)[:limit])
    return sorted(found, reverse=newest_first)[:limit]


def event_page(events: QuerySet[AuditEvent], walks: Sequence[QuerySet[AuditEvent]], request: HttpRequest) -> EventPage:
    """The page of ``events`` that the request's ``page``, ``before`` or ``after`` names, ``PAGE_SIZE`` events.

    ``walks`` together hold exactly the events of ``events`` (for a single query, ``[events]``); each must be
    a walk down an index in sequence order for a page to cost a page of rows.
    """
    size = PAGE_SIZE
    number = _whole(request.GET.get("page")) or 1
    before, after = _whole(request.GET.get("before")), _whole(request.GET.get("after"))
    if after is not None:
        newer = _merged([walk.filter(sequence__gt=after) for walk in walks], size + 1, newest_first=False)
        shown = sorted(newer[:size], reverse=True)
        has_newer, has_older = len(newer) > size, True
    else:
        skip = 0 if before is not None else (number - 1) * size
        start = [walk.filter(sequence__lt=before) for walk in walks] if before is not None else list(walks)
        window = _merged(start, skip + size + 1, newest_first=True)[skip:]
        shown = window[:size]
        has_newer, has_older = number > 1, len(window) > size
    rows = list(events.filter(sequence__in=shown).order_by("-sequence")) if shown else []
    kept = [(key, value) for key, values in request.GET.lists() if key not in _CURSORS for value in values]

    def href(page: int, cursor: tuple[str, int] | None) -> str:
        parameters = list(kept)
        if page > 1:
            parameters.append(("page", str(page)))
            if cursor is not None:
                parameters.append((cursor[0], str(cursor[1])))
        return "?" + urlencode(parameters)

    previous = None
    if has_newer and number > 1:
        previous = href(number - 1, ("after", shown[0]) if shown else None)
    following = href(number + 1, ("before", shown[-1])) if has_older and shown else None
    return EventPage(rows=rows, number=number, previous_href=previous, next_href=following)
