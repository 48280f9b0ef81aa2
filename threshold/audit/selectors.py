"""Reads of the audit trail, scoped to the organisations a reader may audit."""

from __future__ import annotations

# access-lint: allow-module the audit trail's own reads, each scoped by fetch.audit_scope or a record
# the caller fetched through threshold.access; records about the viewer are hidden (rule 2).
import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from threshold.access import fetch
from threshold.access.guard import scoped
from threshold.accounts.models import User
from threshold.audit.index import sequences_naming
from threshold.audit.models import AuditEvent
from threshold.lado.models import Meeting
from threshold.people.models import Person


def _hide_records_about(viewer: User, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Rule 2 reaches the audit trail: no row may reveal a record about the viewer."""
    about = fetch.records_about(viewer)
    for record_type, ids in about.items():
        if ids:
            events = events.exclude(record_type=record_type, record_id__in=ids)
    return events


def organisation_events(
    *,
    viewer: User,
    actor_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events in the organisations this auditor or LADO manager may audit, filtered."""
    orgs = fetch.audit_scope(viewer)
    events = AuditEvent.objects.filter(_in_scope(orgs)).select_related("actor", "organisation")
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    # Scoped by fetch.audit_scope just above, so the page may paginate it (threshold.access.guard).
    return scoped(_hide_records_about(viewer, events).order_by("-sequence"))


def _in_scope(orgs: set[int]) -> Q:
    """Events of these organisations: made by someone acting for them, or reads of their records.

    A read event names the reader's acting organisation and keeps the
    record's own in ``details.record_organisation`` (``access.fetch.audit_read``),
    so a local authority's auditor sees the police reading its case.
    """
    return Q(organisation_id__in=orgs) | Q(details__record_organisation__in=sorted(orgs))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_choices(*, viewer: User) -> dict[str, Any]:
    """The people and actions that appear in the events this viewer may audit."""
    events = AuditEvent.objects.filter(_in_scope(fetch.audit_scope(viewer)))
    actor_ids = events.exclude(actor__isnull=True).values_list("actor_id", flat=True).distinct()
    return {
        "actors": User.objects.filter(pk__in=actor_ids).order_by("full_name"),
        "actions": sorted(set(events.values_list("action", flat=True).distinct())),
    }


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
    sequences = sequences_naming([(record_type, [record_id])])
    condition = Q(record_type=record_type, record_id=str(record_id)) | Q(sequence__in=sequences)
    # The caller fetched the record through threshold.access and may audit it (threshold.access.guard).
    return scoped(AuditEvent.objects.filter(condition).select_related("actor", "organisation").order_by("-sequence"))


def person_access_log(*, person: Person) -> QuerySet[AuditEvent]:
    """Every look at the person record and at the records about the person, newest first.

    Single reads (``record.*``) and the lists, searches, panels and exports
    (``records.*``) that showed any of them, found through the record index.
    """
    ids = fetch.records_about_person(person)
    sequences = sequences_naming(ids.items())
    reads = Q(action__startswith="record.") | Q(action__startswith="records.")
    # The caller fetched the person through threshold.access and may audit it (threshold.access.guard).
    return scoped(
        AuditEvent.objects.filter(reads, sequence__in=sequences)
        .select_related("actor", "organisation")
        .order_by("-sequence")
    )
