"""Reads of the audit trail, scoped to the organisations a reader may audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.documents.models import Document
from threshold.lado.models import Case, Contact, Meeting
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
    events = AuditEvent.objects.filter(organisation_id__in=orgs).select_related("actor", "organisation")
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return _hide_records_about(viewer, events).order_by("-sequence")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_choices(*, viewer: User) -> dict[str, Any]:
    """The people and actions that appear in the events this viewer may audit."""
    events = AuditEvent.objects.filter(organisation_id__in=fetch.audit_scope(viewer))
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
    """Every event about one record, newest first (the caller has checked access)."""
    return (
        AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id))
        .select_related("actor", "organisation")
        .order_by("-sequence")
    )


def person_access_log(*, person: Person) -> QuerySet[AuditEvent]:
    """Every read of the person record and of the records about the person, newest first."""
    ids = {
        "person": [person.pk],
        "concern": list(Concern.objects.filter(subject=person).values_list("pk", flat=True)),
        "allegation": list(Allegation.objects.filter(subject=person).values_list("pk", flat=True)),
        "contact": list(Contact.objects.filter(subject=person).values_list("pk", flat=True)),
        "case": list(Case.objects.filter(subject=person).values_list("pk", flat=True)),
        "meeting": list(Meeting.objects.filter(case__subject=person).values_list("pk", flat=True)),
        "document": list(
            Document.objects.filter(
                Q(concern__subject=person)
                | Q(allegation__subject=person)
                | Q(case__subject=person)
                | Q(meeting__case__subject=person)
            ).values_list("pk", flat=True)
        ),
    }
    condition = Q(pk__in=[])
    for record_type, pks in ids.items():
        if pks:
            condition |= Q(record_type=record_type, record_id__in=[str(pk) for pk in pks])
    return (
        AuditEvent.objects.filter(condition, action__startswith="record.")
        .select_related("actor", "organisation")
        .order_by("-sequence")
    )
