"""Meetings of a case, and sharing them (and cases) with police and children's social care."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.core.http import signed_in_user
from threshold.documents.panels import documents_context
from threshold.lado.models import Case


def meetings_panel(user: User, case: Case) -> dict[str, Any]:
    """Context for ``lado/case/_meetings.html``: the case's meetings this viewer may see."""
    return {"meetings": fetch.visible_meetings(user).filter(case=case)}


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


urlpatterns = [
    path("lado/meetings/<int:meeting_id>/", meeting_detail, name="meeting_detail"),
]
