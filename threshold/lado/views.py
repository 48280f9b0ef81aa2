"""Pages for LADO contacts, cases and meetings (read side; the casework arrives with issue 6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threshold.access import fetch
from threshold.audit.services import audit_record
from threshold.chronology.panels import chronology_context
from threshold.core.http import signed_in_user
from threshold.documents.panels import documents_context


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The LADO cases this person may see, searchable by the adult's name."""
    # Searches are POSTed: an adult's name must never sit in a URL, a log line or browser history.
    query = request.POST.get("q", "").replace("\x00", "").strip()[:200] if request.method == "POST" else ""
    cases = fetch.visible_cases(signed_in_user(request), "view_summary").select_related("subject", "local_authority")
    if query:
        cases = cases.filter(subject__full_name__icontains=query)
    rows = list(cases[:200])
    audit_record(
        actor=signed_in_user(request),
        action="records.searched" if query else "records.listed",
        record_type="case",
        request=request,
        details={"query": query, "count": len(rows), "ids": [row.pk for row in rows]},
    )
    return render(request, "lado/case_list.html", {"cases": rows, "query": query, "count": len(rows)})


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One contact into the LADO service."""
    contact = fetch.access_contact(signed_in_user(request), contact_id, "view", request=request)
    return render(request, "lado/contact_detail.html", {"contact": contact})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: in full for the LADO service and partners it is shared with; else its summary."""
    user = signed_in_user(request)
    if fetch.visible_cases(user, "view").filter(pk=case_id).exists():
        case = fetch.access_case(user, case_id, "view", request=request)
        meetings = fetch.visible_meetings(user).filter(case=case)
        may_change = fetch.can(user, "change", case)
        context = {"case": case, "meetings": meetings, "full": True}
        context.update(documents_context(user=user, record=case, record_type="case", can_upload=may_change))
        context.update(chronology_context(record=case, record_type="case", can_add=may_change))
        return render(request, "lado/case_detail.html", context)
    case = fetch.access_case(user, case_id, "view_summary", request=request)
    meetings = fetch.visible_meetings(user).filter(case=case)
    return render(request, "lado/case_detail.html", {"case": case, "meetings": meetings, "full": False})


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting, for the LADO service and the partners it is shared with."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "view", request=request)
    context = {"meeting": meeting}
    context.update(
        documents_context(
            user=user, record=meeting, record_type="meeting", can_upload=fetch.can(user, "change", meeting)
        )
    )
    return render(request, "lado/meeting_detail.html", context)
