"""Meetings of a case: recording one, its attendees, actions and minutes, and partners' updates.

Sharing meetings and cases with the police and children's social care is in
``threshold.lado.views.sharing``; its URLs are listed here too, so the LADO
URL list keeps one entry per part of the work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.errors import ConflictError
from threshold.core.http import signed_in_user
from threshold.core.pagination import ListPage, page_of
from threshold.documents.panels import documents_context
from threshold.lado.forms.meetings import (
    ActionForm,
    AttendanceForm,
    AttendeeForm,
    CompleteActionForm,
    MeetingForm,
    UpdateForm,
)
from threshold.lado.models import Case, CaseStatus, Meeting
from threshold.lado.presenters.meeting import case_name, form_context, meeting_detail_context
from threshold.lado.services import meetings as services
from threshold.lado.services.case_management import new_meeting_initial
from threshold.lado.services.sharing import meeting_add_update, shared_case_users, shared_meeting_users
from threshold.lado.views import sharing
from threshold.lado.views.meeting_pages import meeting_page


def meetings_panel(
    user: User, case: Case, request: HttpRequest | None = None, *, may_change: bool | None = None
) -> dict[str, Any]:
    """Context for ``lado/case/_meetings.html``: the meetings this viewer may see, and the LADO's controls.

    Partners who see only the case summary see only the meetings shared with them. The case page shows the
    page of meetings its ``request`` names (``?meetings_page=``); the printed case file, with no request, all.
    ``may_change``: whether the user may change the case, when the caller has asked already.
    """
    may_change = fetch.can(user, "change", case) if may_change is None else may_change
    meetings = fetch.visible_meetings(user).filter(case=case).order_by("held_at", "pk")
    page: ListPage[Meeting] | None = (
        page_of(meetings, request, parameter="meetings_page", label="Pages of meetings", by_key=True)
        if request
        else None
    )
    is_closed = case.status == CaseStatus.CLOSED
    return {
        "meetings_list": [(meeting, services.meeting_label(meeting)) for meeting in (page or meetings)],
        "meetings_page": page,
        # A closed case takes no new meetings or shares, but its shares can still be stopped.
        "meetings_may_change": may_change and not is_closed,
        "meetings_may_unshare": may_change,
        "meetings_case_closed": is_closed,
        "meetings_case_shares": list(shared_case_users(case)) if may_change else [],
        "meetings_case": case,
    }


def _meeting_initial(meeting: Meeting) -> dict[str, Any]:
    held = timezone.localtime(meeting.held_at)
    return {
        "version": meeting.version,
        "kind": meeting.kind,
        "held_on": held.date(),
        "held_time": held.strftime("%H:%M"),
        "chair_name": meeting.chair_name,
        "chair_agency": meeting.chair_agency,
        "information_shared": meeting.information_shared,
        "decisions": meeting.decisions,
        "minutes": meeting.minutes,
    }


@login_required
def meeting_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a strategy meeting, an allegations management meeting or a review for a case."""
    user = signed_in_user(request)
    case = fetch.access_case(user, case_id, "change", request=request)
    if request.method != "POST":
        fetch.access_case(user, case_id, "view", request=request)
    # Once the LADO manages the case, a new meeting is offered as LADO-chaired (``case_management``).
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate(), **new_meeting_initial(case)})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=user, case=case, **form.service_data(), audit_context=AuditContext.from_request(request)
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Meeting recorded.")
            return redirect(meeting_page(meeting))
    back = reverse("case_detail", args=[case.pk]) + "#meetings"
    return render(
        request,
        "lado/meeting_form.html",
        {"form": form, "case": case, "case_name": case_name(case), "back": back, "editing": False},
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting, for the LADO service and the partners it is shared with."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "view", request=request)
    # A sub-record reached through the meeting the viewer may see; paged, the spreadsheet holds them all.
    actions = page_of(
        meeting.actions.order_by("due_on", "pk"), request, parameter="actions_page", label="Pages of actions"
    )
    is_closed = meeting.case.status == CaseStatus.CLOSED
    may_unshare = fetch.can(user, "change", meeting)
    # On a closed case the record is final: no change controls, but shares can still be stopped.
    may_change = may_unshare and not is_closed
    context = {
        "meeting": meeting,
        "may_change": may_change,
        "may_unshare": may_unshare,
        "may_add_update": fetch.can(user, "add_update", meeting) and not is_closed,
        **meeting_detail_context(
            meeting, may_change=may_change, may_unshare=may_unshare, is_closed=is_closed, actions=actions.rows
        ),
        "actions_page": actions,
        "shares": list(shared_meeting_users(meeting)) if may_unshare else [],
    }
    context.update(documents_context(user=user, record=meeting, record_type="meeting", can_upload=may_change))
    return render(request, "lado/meeting_detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Change a meeting's details and minutes; a stale form is given back under the conflict notice, unsaved.

    A form posted without the version it was loaded with is treated as stale:
    nothing shows it was loaded after the last change.
    """
    user = signed_in_user(request)
    meeting = fetch.for_change(fetch.access_meeting, user, meeting_id, request)
    return pages.form_page(
        request,
        meeting,
        make_form=lambda current, data: MeetingForm(data, initial=_meeting_initial(current), editing=True),
        save=lambda form: services.meeting_update(
            actor=user,
            meeting=meeting,
            **form.service_data(),
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/meeting_form.html",
        message="Meeting details saved.",
        redirect_to=meeting_page(meeting),
        context={
            "case": meeting.case,
            "case_name": case_name(meeting.case),
            "meeting": meeting,
            "back": meeting_page(meeting),
            "editing": True,
        },
    )


@login_required
def meeting_attendee_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add someone invited to the meeting, by agency, and whether they came."""
    user = signed_in_user(request)
    meeting = fetch.for_change(fetch.access_meeting, user, meeting_id, request)
    form = AttendeeForm(request.POST or None, initial={"status": "invited"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_add_attendee(
                actor=user,
                meeting=meeting,
                name=data["name"],
                agency=data["agency"],
                status=data["status"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Attendee added to the meeting.")
            return redirect(meeting_page(meeting, "attendees"))
    return render(request, "lado/meeting_attendee_form.html", form_context(meeting, form))


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record whether one invitee attended or sent apologies (a button on their row)."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "change", request=request)
    form = AttendanceForm(request.POST)
    attendee = meeting.attendees.filter(pk=form.cleaned_data["attendee"]).first() if form.is_valid() else None
    if attendee is None:
        raise Http404("No such attendee.")
    try:
        services.meeting_set_attendance(
            actor=user,
            meeting=meeting,
            attendee=attendee,
            status=form.cleaned_data["status"],
            audit_context=AuditContext.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Attendance saved.")
    return redirect(meeting_page(meeting, "attendees"))


@login_required
def meeting_action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add an action agreed at the meeting, with its owner and due date."""
    user = signed_in_user(request)
    meeting = fetch.for_change(fetch.access_meeting, user, meeting_id, request)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_add_action(
                actor=user,
                meeting=meeting,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Action added.")
            return redirect(meeting_page(meeting, "actions"))
    return render(request, "lado/meeting_action_form.html", form_context(meeting, form))


@login_required
@require_POST
def meeting_action_complete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Mark one of the meeting's actions done today (a button on its row).

    A button shown before someone else changed the action, or posted without
    its version, gets the conflict page (409) and saves nothing.
    """
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "change", request=request)
    form = CompleteActionForm(request.POST)
    form.is_valid()
    action_id = form.cleaned_data.get("action")
    action = meeting.actions.filter(pk=action_id).first() if action_id else None
    if action is None:
        raise Http404("No such action.")
    version = form.cleaned_data.get("version")
    try:
        if version is None:
            # A button that lost its version cannot show it was shown after the last change.
            raise ConflictError(action)
        services.meeting_complete_action(
            actor=user,
            meeting=meeting,
            action=action,
            expected_version=version,
            audit_context=AuditContext.from_request(request),
        )
    except ConflictError as conflict:
        now = conflict.current
        return pages.conflict_page(
            request,
            heading="Someone else changed this action after you opened the meeting",
            rows=[
                pages.Difference(
                    now.description,
                    f"Done on {now.done_on.day} {now.done_on:%B %Y}" if now.done_on else "Not yet done",
                    "Marked as done",
                )
            ],
            back=meeting_page(meeting, "actions"),
            back_text="Go back to the meeting's actions",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action marked as done.")
    return redirect(meeting_page(meeting, "actions"))


@login_required
def meeting_update_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A partner agency's update on a meeting shared with them (the police update path, for example)."""
    user = signed_in_user(request)
    meeting = fetch.access_meeting(user, meeting_id, "add_update", request=request)
    if request.method != "POST":
        fetch.access_meeting(user, meeting_id, "view", request=request)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_add_update(
                actor=user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Update added.")
            return redirect(meeting_page(meeting, "updates"))
    return render(request, "lado/meeting_update_form.html", form_context(meeting, form))


urlpatterns = [
    path("lado/cases/<record:case_id>/meetings/new/", meeting_new, name="meeting_new"),
    path("lado/meetings/<record:meeting_id>/", meeting_detail, name="meeting_detail"),
    path("lado/meetings/<record:meeting_id>/edit/", meeting_edit, name="meeting_edit"),
    path("lado/meetings/<record:meeting_id>/attendees/new/", meeting_attendee_add, name="meeting_attendee_add"),
    path("lado/meetings/<record:meeting_id>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("lado/meetings/<record:meeting_id>/actions/new/", meeting_action_add, name="meeting_action_add"),
    path("lado/meetings/<record:meeting_id>/actions/done/", meeting_action_complete, name="meeting_action_complete"),
    path("lado/meetings/<record:meeting_id>/updates/new/", meeting_update_add, name="meeting_update_add"),
    *sharing.urlpatterns,
]
