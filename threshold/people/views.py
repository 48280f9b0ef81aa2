"""The page for one person record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threshold.access import fetch
from threshold.core.http import signed_in_user


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person and the records about them that the viewer may see."""
    user = signed_in_user(request)
    person = fetch.access_person(user, person_id, "view", request=request)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "concerns": fetch.visible_concerns(user).filter(subject=person),
            "allegations": fetch.visible_allegations(user).filter(subject=person),
            "cases": fetch.visible_cases(user, "view_summary").filter(subject=person),
            "can_read_audit": person.organisation_id in fetch.audit_scope(user),
        },
    )
