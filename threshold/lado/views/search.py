"""Search the LADO service's contacts, consultations and cases by adult's name, reference or employer.

Searches are POSTed: an adult's name must never sit in a URL, a log line or
browser history. The results are paged like every list: the criteria of the
person's latest search are kept in their session (on the server) under a random
token, and the pages of its results are ``?results=<token>&page=2``, which name
nobody. Every page of results shown is audited as ``records.searched``.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access.scope import scope_for
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.lado.forms.contacts import SearchForm
from threshold.people.matching import search_records

# The session key holding the latest search's criteria and the token its pages are reached by.
SAVED_SEARCH = "lado_search"
CRITERIA = ("name", "reference", "employer")


def _saved_criteria(request: HttpRequest) -> dict[str, str] | None:
    """The criteria of the search whose results ``?results=`` names, if it is this session's latest."""
    saved: Any = request.session.get(SAVED_SEARCH)
    token = request.GET.get("results", "")
    if not isinstance(saved, dict) or not token or not secrets.compare_digest(str(saved.get("token", "")), token):
        return None
    return {name: str(saved.get(name) or "") for name in CRITERIA}


@login_required
def lado_search(request: HttpRequest) -> HttpResponse:
    """The search form; results for a POST, and for a later page of those results (``?results=``)."""
    user = signed_in_user(request)
    if not scope_for(user).lado_read:
        raise PermissionDenied
    criteria: dict[str, str] | None = None
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            criteria = {name: form.cleaned_data.get(name) or "" for name in CRITERIA}
            request.session[SAVED_SEARCH] = {"token": secrets.token_urlsafe(12), **criteria}
    else:
        criteria = _saved_criteria(request)
        form = SearchForm(initial=criteria)
    page = None
    if criteria is not None:
        results = search_records(
            user, name=criteria["name"], reference=criteria["reference"], employer_name=criteria["employer"]
        )
        # The page's links name the saved search, never its criteria.
        token = request.session[SAVED_SEARCH]["token"]
        page = dataclasses.replace(page_of(results, request), query=(("results", token),))
        audit_record(
            context=AuditContext.from_request(request),
            action="records.searched",
            record_type="contact",
            details={
                "search": "lado",
                **criteria,
                "count": len(results),
                "records": [f"{match.kind}:{match.record_id}" for match in page.rows],
            },
        )
    return render(request, "lado/search.html", {"form": form, "results": page})


urlpatterns = [
    path("lado/search/", lado_search, name="lado_search"),
]
