"""Pages for auditors and LADO managers: a record's events, a person's access log, an organisation's events."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from threshold.access import fetch
from threshold.audit import selectors
from threshold.audit.context import AuditContext
from threshold.audit.forms import EventFilterForm
from threshold.audit.paging import event_page
from threshold.audit.presenters import described, kind_words
from threshold.audit.services import audit_home_listed, audit_record
from threshold.core.exports import csv_safe
from threshold.core.http import signed_in_user
from threshold.core.record_ids import token_of


def _require_auditor(request: HttpRequest) -> None:
    if not fetch.audit_scope(signed_in_user(request)):
        raise PermissionDenied


def home_listed(request: HttpRequest, listed: Mapping[str, Iterable[int | str]]) -> None:
    """The home page's one audit event for what its panels listed (``settings.HOME_LISTED``).

    ``threshold.core`` names this through a setting because it imports no ``audit``; the event is the service's.
    """
    audit_home_listed(context=AuditContext.from_request(request), listed=listed)


@login_required
def record_events(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Who has looked at or changed this record, and when."""
    _require_auditor(request)
    viewer = signed_in_user(request)
    visible = selectors.RECORD_MODELS.get(record_type)
    if visible is None:
        raise Http404("No such record.")
    record = visible(viewer, "view_summary" if record_type == "case" else "view").filter(pk=record_id).first()
    if record is None or selectors.record_organisation_id(record) not in fetch.audit_scope(viewer):
        raise Http404("No such record.")
    # Record the look first: the page then lists it too, and the paginator's
    # count matches what it slices.
    audit_record(
        context=AuditContext.from_request(request),
        action="audit.record_events_viewed",
        record_type=record_type,
        record_id=record_id,
    )
    events = selectors.record_events(record_type=record_type, record_id=record_id)
    page = event_page(events, [events], request)
    reference = selectors.record_references([(record_type, str(record_id))]).get((record_type, str(record_id)))
    return render(
        request,
        "audit/record_events.html",
        {
            "page": page,
            "lines": described(page.rows),
            "record_label": f"{kind_words(record_type)} {reference or token_of(record_id)}",
        },
    )


@login_required
def person_access_log(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every look at this person's records: who, what and when."""
    _require_auditor(request)
    viewer = signed_in_user(request)
    person = fetch.visible_people(viewer).filter(pk=person_id).first()
    if person is None or person.organisation_id not in fetch.audit_scope(viewer):
        raise Http404("No such record.")
    audit_record(
        context=AuditContext.from_request(request),
        action="audit.access_log_viewed",
        record_type="person",
        record_id=person.pk,
    )
    events = selectors.person_access_log(person=person)
    page = event_page(events, [events], request)
    return render(
        request, "audit/person_access_log.html", {"page": page, "lines": described(page.rows), "person": person}
    )


def _filters(
    request: HttpRequest, hidden: Mapping[str, set[str]] | None = None
) -> tuple[EventFilterForm, dict[str, Any] | None]:
    """The filter form, and what it asks for: ``None`` when it has mistakes (no events, not all of them)."""
    choices = selectors.filter_choices(viewer=signed_in_user(request), hidden=hidden)
    form = EventFilterForm(request.GET or None, actors=choices["actors"], actions=choices["actions"])
    if not form.is_bound:
        return form, {}
    if not form.is_valid():
        return form, None
    return form, {
        "actor_id": form.cleaned_data.get("actor"),
        "action": form.cleaned_data.get("action") or "",
        "date_from": form.cleaned_data.get("date_from"),
        "date_to": form.cleaned_data.get("date_to"),
    }


def _asked(filters: dict[str, Any] | None) -> dict[str, Any]:
    """What a viewing or an export of the trail asked for, as its event keeps it: the filters as read.

    Never the raw query string, which could carry anything typed into an address, a name included.
    """
    if filters is None:
        return {"filters": "not valid"}
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in filters.items() if value}


def _without_paging(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("page", "before", "after"):
        params.pop(key, None)
    return params.urlencode()


@login_required
def organisation_events(request: HttpRequest) -> HttpResponse:
    """The organisation's audit events, filterable by person, action and date."""
    _require_auditor(request)
    viewer = signed_in_user(request)
    hidden = selectors.records_hidden_from(viewer)
    form, filters = _filters(request, hidden)
    audit_record(context=AuditContext.from_request(request), action="audit.events_viewed", details=_asked(filters))
    events = selectors.organisation_events(viewer=viewer, hidden=hidden, **(filters or {}))
    # A filter with mistakes shows the errors, not every event as if unfiltered.
    walks = selectors.organisation_event_walks(viewer=viewer, hidden=hidden, **filters) if filters is not None else []
    page = event_page(events, walks, request)
    return render(
        request,
        "audit/organisation_events.html",
        {"form": form, "page": page, "lines": described(page.rows), "querystring": _without_paging(request)},
    )


@login_required
@require_safe
def organisation_events_csv(request: HttpRequest) -> HttpResponse:
    """The same events as CSV. The export is itself an audit event."""
    _require_auditor(request)
    viewer = signed_in_user(request)
    hidden = selectors.records_hidden_from(viewer)  # read once for the filters' choices and the rows
    _form, filters = _filters(request, hidden)
    events = selectors.organisation_events(viewer=viewer, hidden=hidden, **(filters or {}))
    rows = list(events[:100_000]) if filters is not None else []
    audit_record(
        context=AuditContext.from_request(request),
        action="audit.events_exported",
        details={"count": len(rows), **_asked(filters)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    writer = csv.writer(response)
    # "Who" is the stable actor label (user:<id>, system:<job>, anonymous), as hashed in the chain; the name
    # beside it is today's, for reading. The action and record type are the codes (for filtering); "What
    # happened" and the reference are what the page shows (issue 17).
    writer.writerow(
        [
            "Sequence",
            "When (UTC)",
            "Who",
            "Name",
            "Organisation",
            "What happened",
            "Action",
            "Record type",
            "Record id",
            "Record reference",
            "Address",
        ]
    )
    references = selectors.record_references((event.record_type, event.record_id) for event in rows)
    for line in described(rows, references=references):
        event = line.event
        writer.writerow(
            [
                event.sequence,
                event.occurred_at.isoformat(),
                csv_safe(event.actor_label),
                csv_safe(event.actor.full_name if event.actor else ""),
                csv_safe(event.organisation.name if event.organisation else ""),
                csv_safe(line.sentence),
                event.action,
                event.record_type,
                event.record_id,
                references.get((event.record_type, event.record_id), ""),
                event.source_ip or "",
            ]
        )
    return response
