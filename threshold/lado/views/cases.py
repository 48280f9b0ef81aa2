"""LADO cases: lists with filters, the case page with its data set, and changes to the data set."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access import fetch
from threshold.audit.services import audit_record
from threshold.chronology.panels import chronology_context
from threshold.core.http import signed_in_user
from threshold.documents.panels import documents_context
from threshold.lado.views.contacts import decisions_panel
from threshold.lado.views.meetings import meetings_panel
from threshold.lado.views.monitoring import monitoring_panel


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
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: in full for the LADO service and partners it is shared with; else its summary."""
    user = signed_in_user(request)
    if fetch.visible_cases(user, "view").filter(pk=case_id).exists():
        case = fetch.access_case(user, case_id, "view", request=request)
        may_change = fetch.can(user, "change", case)
        context = {"case": case, "full": True, "may_change": may_change}
        context.update(decisions_panel(user, case))
        context.update(meetings_panel(user, case))
        context.update(monitoring_panel(user, case))
        context.update(documents_context(user=user, record=case, record_type="case", can_upload=may_change))
        context.update(chronology_context(record=case, record_type="case", can_add=may_change))
        return render(request, "lado/case_detail.html", context)
    case = fetch.access_case(user, case_id, "view_summary", request=request)
    context = {"case": case, "full": False, "may_change": False}
    context.update(meetings_panel(user, case))
    return render(request, "lado/case_detail.html", context)


urlpatterns = [
    path("lado/cases/", case_list, name="case_list"),
    path("lado/cases/<int:case_id>/", case_detail, name="case_detail"),
]
