"""Reads of the audit trail, scoped to the organisations a reader may audit."""

from __future__ import annotations

# access-lint: allow-module the audit trail's own reads, each scoped by fetch.audit_scope or a record
# the caller fetched through threshold.access; records about the viewer are hidden (rule 2).
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from threshold.access import fetch
from threshold.access.guard import scoped
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.audit.index import events_naming
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.lado.models import Case, Contact, Meeting
from threshold.people.models import Person


def records_hidden_from(viewer: User) -> dict[str, set[str]]:
    """The records about the viewer, by type: what the audit pages leave out (rule 2 reaches the audit trail).

    Read once for a page and handed to ``organisation_events`` and ``organisation_event_walks`` (``hidden``): a
    page of events walks two indexes an organisation, and each would read it afresh (two queries each: the
    people who could be the viewer, then their records).
    """
    return fetch.records_about(viewer)


def _hide_records_about(
    viewer: User, events: QuerySet[AuditEvent], hidden: Mapping[str, set[str]] | None
) -> QuerySet[AuditEvent]:
    """Rule 2 reaches the audit trail: no row may reveal a record about the viewer."""
    about = hidden if hidden is not None else records_hidden_from(viewer)
    for record_type, ids in about.items():
        if ids:
            events = events.exclude(record_type=record_type, record_id__in=ids)
    if about.get("person"):
        # A pattern review's finding and escalation are about one of its people, named in the event's details
        # (the review itself is about the setting): hidden from whoever that person is, or could be.
        people = sorted(int(pk) for pk in about["person"])
        events = events.exclude(record_type="pattern_review", details__person__in=people)
    return events


def organisation_events(
    *,
    viewer: User,
    actor_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    hidden: Mapping[str, set[str]] | None = None,
) -> QuerySet[AuditEvent]:
    """Events in the organisations this auditor or LADO manager may audit, filtered, newest first.

    ``hidden`` is ``records_hidden_from(viewer)`` when the caller has it already; read here otherwise.
    """
    events = AuditEvent.objects.filter(_in_scope(fetch.audit_scope(viewer)))
    # Scoped by fetch.audit_scope just above, so the page may paginate it (threshold.access.guard).
    return scoped(_filtered(viewer, events, actor_id, action, date_from, date_to, hidden).order_by("-sequence"))


def organisation_event_walks(
    *,
    viewer: User,
    actor_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    hidden: Mapping[str, set[str]] | None = None,
) -> list[QuerySet[AuditEvent]]:
    """The same events as ``organisation_events``, as one query per organisation and way of being in scope.

    Each runs down one index in sequence order (``(organisation, sequence)`` or ``(record_organisation,
    sequence)``, or their action and person forms when filtered), so a page of the newest events reads about a
    page of rows at any depth (``threshold.audit.paging``). The condition with ``OR`` cannot: a database
    gathers every event of both branches and sorts them to find the first fifty.
    """
    walks = []
    hidden = hidden if hidden is not None else records_hidden_from(viewer)
    for organisation in sorted(fetch.audit_scope(viewer)):
        for branch in (Q(organisation_id=organisation), Q(record_organisation=organisation)):
            events = _filtered(viewer, AuditEvent.objects.filter(branch), actor_id, action, date_from, date_to, hidden)
            # Scoped by fetch.audit_scope just above (threshold.access.guard).
            walks.append(scoped(events))
    return walks


def _filtered(
    viewer: User,
    events: QuerySet[AuditEvent],
    actor_id: int | None,
    action: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    hidden: Mapping[str, set[str]] | None,
) -> QuerySet[AuditEvent]:
    events = events.select_related("actor", "organisation")
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return _hide_records_about(viewer, events, hidden)


def _in_scope(orgs: set[int]) -> Q:
    """Events of these organisations: made by someone acting for them, or reads of their records.

    A read event names the reader's acting organisation and keeps the
    record's own in ``details.record_organisation`` (``access.fetch.audit_read``),
    so a local authority's auditor sees the police reading its case. When the
    two differ, ``audit_record`` copies the record's into the indexed
    ``record_organisation`` column.
    """
    return Q(organisation_id__in=orgs) | Q(record_organisation__in=orgs)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_choices(*, viewer: User, hidden: Mapping[str, set[str]] | None = None) -> dict[str, Any]:
    """The people (as their id and name, in name order) and actions that appear in the events this viewer may audit.

    Two queries however long the trail: each skips from one distinct value to the next down an index
    (``_distinct_in_scope``), so it reads one index entry per person or action, not one row per event. The
    people are read as their id and name: a trail names a hundred people or more, and the select needs no more.
    Rule 2: a person or action found only in events about records about the viewer is not offered (it would say
    who acted on a record about them, and filtering by it would show "No events").
    """
    orgs = fetch.audit_scope(viewer)
    hidden = hidden if hidden is not None else records_hidden_from(viewer)
    actor_ids = _shown_only(viewer, "actor_id", _distinct_in_scope("actor_id", orgs), orgs, hidden)
    return {
        "actors": list(
            User.objects.filter(pk__in=actor_ids).order_by("full_name", "pk").values_list("pk", "full_name")
        ),
        "actions": sorted(_shown_only(viewer, "action", _distinct_in_scope("action", orgs), orgs, hidden)),
    }


def _shown_only(
    viewer: User, column: str, values: list[Any], orgs: set[int], hidden: Mapping[str, set[str]]
) -> list[Any]:
    """``values`` of ``column`` that appear in an event the viewer may read, not only in events rule 2 hides.

    Only the few values found on the hidden records' events are checked again (an indexed ``EXISTS`` each);
    a viewer with no record about them costs nothing more.
    """
    about = Q()
    for record_type, ids in hidden.items():
        if ids:
            about |= Q(record_type=record_type, record_id__in=ids)
    if not about:
        return values
    in_scope = AuditEvent.objects.filter(_in_scope(orgs))
    suspects = set(in_scope.filter(about).values_list(column, flat=True).distinct())
    return [
        value
        for value in values
        if value not in suspects or _hide_records_about(viewer, in_scope.filter(**{column: value}), hidden).exists()
    ]


# One walk of a skip scan: the smallest value of the column in scope, then the smallest above it, and so on, each
# one index lookup (``(organisation, action, sequence)`` and the like). Portable: SQLite and PostgreSQL both run a
# recursive common table expression, and neither skips along an index by itself for ``SELECT DISTINCT``.
_WALK = """{name}(value) AS (
    SELECT MIN({column}) FROM audit_auditevent WHERE {scope} = %s
    UNION ALL
    SELECT (SELECT MIN({column}) FROM audit_auditevent WHERE {scope} = %s AND {column} > {name}.value)
    FROM {name} WHERE {name}.value IS NOT NULL
)"""
_SKIPPED_COLUMNS = ("action", "actor_id")


def _distinct_in_scope(column: str, orgs: Iterable[int]) -> list[Any]:
    """The distinct values of ``column`` among the events of these organisations, made or about their records."""
    if column not in _SKIPPED_COLUMNS:
        raise ValueError(f"No skip scan over {column}.")
    walks: list[str] = []
    params: list[int] = []
    for organisation in sorted(orgs):
        for scope in ("organisation_id", "record_organisation"):
            walks.append(_WALK.format(name=f"walk{len(walks)}", column=column, scope=scope))
            params += [organisation, organisation]
    if not walks:
        return []
    # Built only from constants (the column is one of _SKIPPED_COLUMNS); every value is a parameter.
    found = " UNION ".join(
        f"SELECT value FROM walk{number} WHERE value IS NOT NULL"  # noqa: S608
        for number in range(len(walks))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {', '.join(walks)} {found}", params)
        return [value for (value,) in cursor.fetchall()]


RECORD_MODELS: dict[str, Any] = {
    "person": fetch.visible_people,
    "concern": fetch.visible_concerns,
    "allegation": fetch.visible_allegations,
    "contact": fetch.visible_contacts,
    "case": fetch.visible_cases,
    "meeting": fetch.visible_meetings,
    # A document follows its record: no action of its own to pass on.
    "document": lambda user, action="view": fetch.visible_documents(user),
}


# The records whose audit rows name them by reference.
_REFERENCED: dict[str, Any] = {"contact": Contact, "case": Case, "concern": Concern, "allegation": Allegation}


def record_references(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The reference people quote for each (record type, id) that has one, read a kind at a time.

    For the audit trail's pages, whose events the viewer may already read (scoped, and rule 2 applied): a
    reference names the record the event is about and says nothing more.
    """
    wanted: dict[str, set[int]] = {}
    for record_type, record_id in pairs:
        if record_type in _REFERENCED and str(record_id).isdigit():
            wanted.setdefault(record_type, set()).add(int(record_id))
    found: dict[tuple[str, str], str] = {}
    for record_type, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):  # an export's many ids, a bounded query at a time
            chunk = ordered[start : start + 500]
            rows = _REFERENCED[record_type].objects.filter(pk__in=chunk).values_list("pk", "reference")
            found.update({(record_type, str(pk)): reference for pk, reference in rows})
    return found


def record_organisation_id(record: Any) -> int | None:
    """The organisation that owns a protected record, for audit scope."""
    for attribute in ("organisation_id", "local_authority_id"):
        if hasattr(record, attribute):
            return int(getattr(record, attribute))
    if isinstance(record, Meeting):
        return int(record.case.local_authority_id)
    return None


def record_events(*, record_type: str, record_id: int) -> QuerySet[AuditEvent]:
    """Every event naming one record, newest first, lists and searches included (the caller has checked access).

    The record index (``threshold.audit.index``) finds the events that name the
    record among many in their details, as well as those about it alone.
    """
    condition = Q(record_type=record_type, record_id=str(record_id)) | events_naming([(record_type, [record_id])])
    # The caller fetched the record through threshold.access and may audit it (threshold.access.guard).
    return scoped(AuditEvent.objects.filter(condition).select_related("actor", "organisation").order_by("-sequence"))


def person_access_log(*, person: Person) -> QuerySet[AuditEvent]:
    """Every look at the person record and at the records about the person, newest first.

    Single reads (``record.*``) and the lists, searches, panels and exports
    (``records.*``) that showed any of them, found through the record index.
    """
    ids = fetch.records_about_person(person)
    reads = Q(action__startswith="record.") | Q(action__startswith="records.")
    # The caller fetched the person through threshold.access and may audit it (threshold.access.guard).
    return scoped(
        AuditEvent.objects.filter(reads, events_naming(ids.items()))
        .select_related("actor", "organisation")
        .order_by("-sequence")
    )
