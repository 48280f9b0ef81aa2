"""The page for one person record, and deciding that a possible match on a record is not that colleague."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.people import panels
from threshold.people.forms import MatchClearForm
from threshold.people.subjects import subject_clear


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person and the records about them that the viewer may see, newest first, each kind a page at a time."""
    user = signed_in_user(request)
    person = fetch.access_person(user, person_id, "view", request=request)
    records = {
        "concerns": fetch.visible_concerns(user).filter(subject=person).order_by("-raised_on", "-pk"),
        "allegations": fetch.visible_allegations(user).filter(subject=person).order_by("-created_at", "-pk"),
        "cases": fetch.visible_cases(user, "view_summary").filter(subject=person).order_by("-opened_at", "-pk"),
    }
    # Each kind pages on its own parameter, so paging one keeps the others where they are.
    pages = {
        kind: page_of(rows, request, parameter=f"{kind}_page", label=f"Pages of {kind}")
        for kind, rows in records.items()
    }
    # The page lists the records about the person: a read of each, so audited by name (as every list is).
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="person",
        record_id=person.pk,
        organisation=person.organisation,
        list_name="person_records",
        details={kind: [record.pk for record in page.rows] for kind, page in pages.items()},
    )
    return render(
        request,
        "people/person_detail.html",
        {"person": person, **pages, "can_read_audit": person.organisation_id in fetch.audit_scope(user)},
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


@login_required
@require_POST
def person_match_clear(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Decide that a record's possible match with a colleague is not them, so the record shows to them (ADR 0018)."""
    actor = signed_in_user(request)
    fetchers = {
        "concern": (fetch.access_concern, "concern_detail"),
        "allegation": (fetch.access_allegation, "allegation_detail"),
        "contact": (fetch.access_contact, "contact_detail"),
        "case": (fetch.access_case, "case_detail"),
    }
    if record_type not in fetchers:
        raise Http404("No such record.")
    access, page = fetchers[record_type]
    record: Any = access(actor, record_id, "view", request=request)
    if not panels.may_clear(actor, record, record_type):
        raise PermissionDenied("Only the people who handle this record decide whom it is about.")
    # Only a colleague the record is kept from because their name or email could be its adult's: never a
    # linked account, and never anyone outside the record's own organisations (the colleague's id is in the
    # form, not the URL, so it stays out of access logs).
    possible = {row["user"].pk: row["user"] for row in panels.clearable(record, record_type)}
    colleague = possible.get(_int(request.POST.get("user")))
    if colleague is None:
        raise Http404("No such person.")
    # The one form page (``core.pages``): sent without a reason, the question again on a page of its own, the error
    # beside the box and what was typed kept (GOV.UK's pattern), not an unannounced banner over a closed box.
    return pages.form_page(
        request,
        record,
        make_form=lambda _record, data: MatchClearForm(data),
        save=lambda form: subject_clear(
            actor=actor,
            person=record.subject,
            user=colleague,
            reason=form.cleaned_data["reason"],
            organisation=panels.record_organisations(record, record_type)[0],
            audit_context=AuditContext.from_request(request),
        ),
        template="people/match_clear.html",
        message="The record is now shown to your colleague.",
        redirect_to=reverse(page, args=[record_id]),
        context={
            "colleague": colleague,
            "record_type": record_type,
            "record_id": record_id,
            "record_url": reverse(page, args=[record_id]) + "#hidden-from",
        },
    )
