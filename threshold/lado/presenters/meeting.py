"""The meeting pages: how a meeting and its case are named, and the meeting page's sections in the words it shows.

Which controls appear is decided here from what the viewer may do (change,
stop sharing, add an update) and whether the case is closed; the template only
renders the rows, paragraphs and buttons it is given.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from threshold.jinja2 import govuk_datetime, link
from threshold.lado.models import Case, Meeting, MeetingAction, MeetingAttendee
from threshold.lado.models.meetings import AttendanceStatus
from threshold.lado.services.meetings import meeting_label

# The buttons on an invitee's row: each status they are not already at.
ATTENDANCE_BUTTONS = ((AttendanceStatus.ATTENDED, "Attended"), (AttendanceStatus.APOLOGIES, "Apologies"))
NOT_RECORDED = "Not recorded"


def case_name(case: Case) -> str:
    """How pages name a case: its stored reference (``LADO-7KQ2-9MXD``), never its id."""
    return case.reference


def chair(meeting: Meeting) -> str:
    """Who chaired the meeting and for which agency, or that nobody is recorded."""
    return f"{meeting.chair_name}, {meeting.chair_agency}" if meeting.chair_name else NOT_RECORDED


def form_context(meeting: Meeting, form: Any) -> dict[str, Any]:
    """What every form page about one meeting shows: the form, the meeting's name and the way back."""
    return {
        "form": form,
        "meeting": meeting,
        "meeting_title": meeting_label(meeting),
        "case_name": case_name(meeting.case),
        "back": reverse("meeting_detail", args=[meeting.pk]),
    }


def paragraphs(text: str) -> list[str]:
    """Free text as the paragraphs it was typed in, blank lines dropped; "Not recorded." when there is none."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines if text else [f"{NOT_RECORDED}."]


def attendee_row(attendee: MeetingAttendee, *, may_change: bool) -> dict[str, Any]:
    """An invitee: agency, name, attendance, and the buttons to change their attendance."""
    return {
        "pk": attendee.pk,
        "agency": attendee.agency,
        "name": attendee.name,
        "attendance": attendee.get_status_display(),
        "buttons": [(status.value, label) for status, label in ATTENDANCE_BUTTONS if attendee.status != status]
        if may_change
        else [],
    }


def action_row(action: MeetingAction, *, may_change: bool, today: Any) -> dict[str, Any]:
    """An agreed action: who owns it, when it is due, whether it is overdue, and when it was done or may be."""
    return {
        "action": action,
        "overdue": not action.done_on and action.due_on < today,
        # A button only while it is open and the viewer may change the meeting; else the date or "Not yet".
        "may_mark_done": not action.done_on and may_change,
    }


def meeting_detail_context(
    meeting: Meeting,
    *,
    may_change: bool,
    may_unshare: bool,
    is_closed: bool,
    actions: list[MeetingAction] | None = None,
) -> dict[str, Any]:
    """The meeting page: summary, who came, what was shared and decided, actions, minutes and agencies' updates.

    ``actions`` are the page of the meeting's actions the page shows (``views.meetings``); all of them if None.
    """
    today = timezone.localdate()
    return {
        "meeting_title": meeting_label(meeting),
        "case_name": case_name(meeting.case),
        "summary_rows": [
            {"key": {"text": "Kind"}, "value": {"text": meeting.get_kind_display()}},
            {"key": {"text": "Held"}, "value": {"text": govuk_datetime(meeting.held_at)}},
            {"key": {"text": "Chair"}, "value": {"text": chair(meeting)}},
            {
                "key": {"text": "Case"},
                "value": {
                    "html": link(reverse("case_detail", args=[meeting.case_id]), f"LADO case {case_name(meeting.case)}")
                },
            },
        ],
        "closed_notice": (
            "This case is closed, so this meeting can no longer be changed, shared or given updates."
            + (" You can still stop sharing it." if may_unshare else "")
        )
        if is_closed
        else "",
        "attendees": [attendee_row(attendee, may_change=may_change) for attendee in meeting.attendees.all()],
        "information": paragraphs(meeting.information_shared),
        "decisions": paragraphs(meeting.decisions),
        "actions": [
            action_row(action, may_change=may_change, today=today)
            for action in (meeting.actions.all() if actions is None else actions)
        ],
        "minutes": paragraphs(meeting.minutes),
        "updates": [
            {
                "title": f"{update.agency}, {govuk_datetime(update.recorded_at)}",
                "paragraphs": paragraphs(update.text),
                "by": f"Added by {update.recorded_by.full_name}",
            }
            for update in meeting.updates.select_related("recorded_by")
        ],
    }
