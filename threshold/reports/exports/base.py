"""What an exportable list is: its name, its columns in words, how its filters are read and its rows found.

Each list's own module (``lado_lists``, ``employer_lists``, ``work_lists``) describes its lists with
``ListExport``; ``registry`` names them all. A list is found again from its filters alone (codes and ids kept
on an ``ExportJob``), so a background export reads exactly what the page would have shown its requester.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from threshold.accounts.models import User

# A list's filters as kept: codes, flags and ids only (a job stores them; the audit event names them).
Filters = dict[str, Any]


def no_filters(user: User, query: Mapping[str, str]) -> Filters:
    """A list without filters: the export holds everything the page lists."""
    return {}


def ids_named(records: QuerySet[Any], ids: list[int], filters: Filters) -> dict[str, Any]:
    """What an export's audit event names by default: the ids of the records in it."""
    return {"details": {"ids": ids}}


@dataclass(frozen=True)
class ListExport:
    """One list that leaves as a spreadsheet.

    ``filters`` reads the page's GET parameters into the filters kept (refusing, as the page does, someone the
    list is not for); ``records`` is the list's own selector with those filters applied, in the page's order;
    ``row`` is one record as the spreadsheet's cells, in words and dates; ``named`` says which records the
    export's audit event names (its ``record_id`` and ``details``); ``page`` is the list page's address.
    """

    kind: str
    title: str
    record_type: str
    header: tuple[str, ...]
    records: Callable[[User, Filters], QuerySet[Any]]
    row: Callable[[Any], Sequence[Any]]
    page: Callable[[Filters], str]
    filters: Callable[[User, Mapping[str, str]], Filters] = no_filters
    named: Callable[[QuerySet[Any], list[int], Filters], dict[str, Any]] = ids_named


def london(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment (UTC) as the time in Europe/London to the second: the workbook shows it as that time."""
    return timezone.localtime(moment).replace(microsecond=0) if moment is not None else None


def london_day(moment: dt.datetime | None) -> dt.date | None:
    """The day a stored moment fell on in Europe/London."""
    return timezone.localtime(moment).date() if moment is not None else None


def yes_no(value: bool | None) -> str:
    """A flag in words."""
    return "Not recorded" if value is None else ("Yes" if value else "No")


def name_of(person: Model | None, empty: str) -> str:
    """A user's full name, or ``empty`` in words when there is nobody."""
    return str(getattr(person, "full_name", "") or empty) if person is not None else empty
