"""Sharing a meeting or a case with named police and children's social care users, and stopping.

The LADO picks the person from a list of active police liaison users and the
children's social care managers of the case's area (never typed). Stopping is a button beside each
current share; the share is ended, not deleted.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.http import signed_in_user
from threshold.lado.forms.meetings import ShareForm, UnshareForm
from threshold.lado.presenters.meeting import case_name, form_context
from threshold.lado.selectors import partner_candidates
from threshold.lado.services import sharing as services
from threshold.lado.views.meeting_pages import case_page, meeting_page


def _agencies(candidates: QuerySet[User]) -> dict[int, str]:
    """Each candidate's agency, shown beside their name in the list."""
    return {candidate.pk: str(getattr(candidate, "agency_name", "") or "") for candidate in candidates}


@login_required
def meeting_share(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Share a meeting with a named police or children's social care user."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "change", request=request)
    if request.method != "POST":
        fetch.access_meeting(user, meeting_id, "view", request=request)
    candidates = partner_candidates(meeting.case)
    form = ShareForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        partner = form.cleaned_data["user"]
        try:
            services.meeting_share(
                actor=user, meeting=meeting, user=partner, audit_context=AuditContext.from_request(request)
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Meeting shared.")
            return redirect(meeting_page(meeting, "sharing"))
    context = form_context(meeting, form)
    context["agencies"] = _agencies(candidates)
    return render(request, "lado/meeting_share_form.html", context)


@login_required
@require_POST
def meeting_unshare(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Stop sharing a meeting with one partner (the button beside their name)."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "change", request=request)
    form = UnshareForm(request.POST)
    share = (
        meeting.shares.filter(user_id=form.cleaned_data["user"], ended_at__isnull=True).select_related("user").first()
        if form.is_valid()
        else None
    )
    if share is None:
        raise Http404("No such share.")
    services.meeting_unshare(
        actor=user, meeting=meeting, user=share.user, audit_context=AuditContext.from_request(request)
    )
    messages.success(request, "The meeting is no longer shared with that person.")
    return redirect(meeting_page(meeting, "sharing"))


@login_required
def case_share(request: HttpRequest, case_id: int) -> HttpResponse:
    """Share a whole case with a named police or children's social care user."""
    user = signed_in_user(request)
    case = fetch.access_case(user, case_id, "change", request=request)
    if request.method != "POST":
        fetch.access_case(user, case_id, "view", request=request)
    candidates = partner_candidates(case)
    form = ShareForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        partner = form.cleaned_data["user"]
        try:
            services.case_share(actor=user, case=case, user=partner, audit_context=AuditContext.from_request(request))
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Case shared.")
            return redirect(case_page(case, "sharing"))
    context = {
        "form": form,
        "case": case,
        "case_name": case_name(case),
        "back": case_page(case),
        "agencies": _agencies(candidates),
    }
    return render(request, "lado/meeting_case_share_form.html", context)


@login_required
@require_POST
def case_unshare(request: HttpRequest, case_id: int) -> HttpResponse:
    """Stop sharing a case with one partner (the button beside their name)."""
    user = signed_in_user(request)
    case = fetch.access_case(user, case_id, "change", request=request)
    form = UnshareForm(request.POST)
    share = (
        case.shares.filter(user_id=form.cleaned_data["user"], ended_at__isnull=True).select_related("user").first()
        if form.is_valid()
        else None
    )
    if share is None:
        raise Http404("No such share.")
    services.case_unshare(actor=user, case=case, user=share.user, audit_context=AuditContext.from_request(request))
    messages.success(request, "The case is no longer shared with that person.")
    return redirect(case_page(case, "sharing"))


urlpatterns = [
    path("lado/meetings/<record:meeting_id>/share/", meeting_share, name="meeting_share"),
    path("lado/meetings/<record:meeting_id>/unshare/", meeting_unshare, name="meeting_unshare"),
    path("lado/cases/<record:case_id>/share/", case_share, name="case_share"),
    path("lado/cases/<record:case_id>/unshare/", case_unshare, name="case_unshare"),
]
