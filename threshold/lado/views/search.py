"""Search the LADO service's contacts, consultations and cases by adult's name, reference or employer.

Searches are POSTed: an adult's name must never sit in a URL, a log line or
browser history. Every search is audited as ``records.searched``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access.scope import scope_for
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.http import signed_in_user
from threshold.lado.forms.contacts import SearchForm
from threshold.people.matching import search_records


@login_required
def lado_search(request: HttpRequest) -> HttpResponse:
    """The search form; results only for a POST."""
    user = signed_in_user(request)
    if not scope_for(user).lado_read:
        raise PermissionDenied
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        criteria = {name: form.cleaned_data.get(name) or "" for name in ("name", "reference", "employer")}
        results = search_records(
            user, name=criteria["name"], reference=criteria["reference"], employer_name=criteria["employer"]
        )
        audit_record(
            context=AuditContext.from_request(request),
            action="records.searched",
            record_type="contact",
            details={
                "search": "lado",
                **criteria,
                "count": len(results),
                "records": [f"{match.kind}:{match.record_id}" for match in results],
            },
        )
    return render(request, "lado/search.html", {"form": form, "results": results})


urlpatterns = [
    path("lado/search/", lado_search, name="lado_search"),
]
