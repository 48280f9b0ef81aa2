"""Meetings of a LADO case: strategy meetings, LADO-chaired allegations management meetings and reviews.

The protocol: "In Tier 1 cases a Strategy Meeting, or a meeting convened by
the LADO will be held." Where significant harm is possible, children's social
care call the strategy meeting: "The meeting should be chaired by the relevant
manager within the team and the LADO should be invited." Each meeting records
who chaired it, who was invited and came (by agency, with apologies), the
information shared, the decisions, the actions with their owners and due
dates, and the minutes. Sharing with the police and children's social care is
in ``threshold.lado.services.sharing``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import User
from threshold.core.errors import ConflictError
from threshold.lado.models import (
    Case,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingKind,
)
from threshold.lado.models.meetings import AttendanceStatus
from threshold.lado.services.case_rules import require_not_closed
from threshold.lado.services.common import bump_version, record_case_event, require_case, text

# The fields a meeting form edits, in the order the audit trail lists them.
MEETING_FIELDS = ("kind", "held_at", "chair_name", "chair_agency", "information_shared", "decisions", "minutes")
LONG_TEXT = 20000


def _meeting_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a meeting's details; the cleaned values, or ``ValidationError`` with a message per field."""
    errors: dict[str, str] = {}
    kind = text(data.get("kind"))
    if kind not in MeetingKind.values:
        errors["kind"] = "Choose the kind of meeting"
    held_at = data.get("held_at")
    if not isinstance(held_at, dt.datetime):
        errors["held_at"] = "Enter the date and time of the meeting"
    elif timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    values: dict[str, Any] = {
        "kind": kind,
        "held_at": held_at,
        "chair_name": text(data.get("chair_name")),
        "chair_agency": text(data.get("chair_agency")),
        "information_shared": text(data.get("information_shared")),
        "decisions": text(data.get("decisions")),
        "minutes": text(data.get("minutes")),
    }
    if not values["chair_name"]:
        errors["chair_name"] = "Enter the name of the chair"
    if not values["chair_agency"]:
        errors["chair_agency"] = "Enter the chair's agency"
    for name, label in (("chair_name", "The chair's name"), ("chair_agency", "The chair's agency")):
        if len(values[name]) > 200 and name not in errors:
            errors[name] = f"{label} must be 200 characters or fewer"
    for name in ("information_shared", "decisions", "minutes"):
        if len(values[name]) > LONG_TEXT:
            errors[name] = f"Enter {LONG_TEXT:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    return values


# What a closed case refuses, in the words of the message shown to the LADO.
CLOSED_MEETINGS = "meetings can no longer be recorded on it"
CLOSED_CHANGES = "its meetings can no longer be changed"


def require_version(record: Meeting | MeetingAction, expected_version: int | None) -> None:
    """Refuse a form that did not say which version it was loaded with, or was loaded before a change.

    ``bump_version`` skips its check when given no version, so a form that
    dropped its hidden field would otherwise overwrite someone else's change.
    """
    if expected_version is None or expected_version != record.version:
        # access-lint: allow the record the service was given, fresh, to show what changed
        raise ConflictError(type(record)._default_manager.get(pk=record.pk))


def meeting_label(meeting: Meeting) -> str:
    """How the chronology names a meeting: its kind and date."""
    kinds = {
        MeetingKind.STRATEGY: "Strategy meeting",
        MeetingKind.ALLEGATIONS_MANAGEMENT: "Allegations management meeting",
        MeetingKind.REVIEW: "Review meeting",
    }
    held = timezone.localtime(meeting.held_at)
    return f"{kinds.get(meeting.kind, 'Meeting')} of {held.day} {held:%B %Y}"  # type: ignore[call-overload]


def meeting_record(*, actor: User, case: Case, data: Mapping[str, Any], request: HttpRequest | None = None) -> Meeting:
    """Record (or schedule) a meeting of a case: kind, date and time, chair and chair's agency, what happened.

    ``data`` holds ``kind``, ``held_at`` (an aware datetime), ``chair_name``,
    ``chair_agency`` and, optionally, ``information_shared``, ``decisions``
    and written ``minutes``.
    """
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_MEETINGS)
    values = _meeting_values(data)
    with transaction.atomic():
        meeting = Meeting.objects.create(case=case, created_by=actor, **values)
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.recorded",
            text=f"{meeting_label(meeting)} recorded, chaired by {meeting.chair_name} ({meeting.chair_agency}).",
            request=request,
            row=meeting.pk,
            details={"meeting": meeting.pk, "kind": meeting.kind},
        )
    return meeting


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    data: Mapping[str, Any],
    expected_version: int | None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Change a meeting's details and minutes; a stale form raises ``ConflictError`` and saves nothing.

    ``expected_version`` is the version the form was loaded with; without one
    the change is refused as a conflict too (nothing says it is not stale).
    """
    case = meeting.case
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_CHANGES)
    values = _meeting_values(data)
    with transaction.atomic():
        require_version(meeting, expected_version)
        bump_version(meeting, expected_version)
        changes = {
            name: (str(getattr(meeting, name)), str(value))
            for name, value in values.items()
            if getattr(meeting, name) != value
        }
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.save(update_fields=[*MEETING_FIELDS])
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.updated",
            text=f"{meeting_label(meeting)}: details changed.",
            request=request,
            row=meeting.pk,
            changes=changes,
            details={"meeting": meeting.pk},
        )
    return meeting


def _attendee_values(name: object, agency: object) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name, agency = text(name), text(agency)
    if not name:
        errors["name"] = "Enter the person's name"
    elif len(name) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    if not agency:
        errors["agency"] = "Enter the person's agency"
    elif len(agency) > 200:
        errors["agency"] = "The agency must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    return name, agency


def _status(value: object) -> str:
    status = text(value)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "Choose invited, attended or apologies"})
    return status


def meeting_add_attendee(
    *,
    actor: User,
    meeting: Meeting,
    name: str,
    agency: str,
    status: str = AttendanceStatus.INVITED,
    request: HttpRequest | None = None,
) -> MeetingAttendee:
    """Add someone invited to a meeting, by agency, and whether they attended or sent apologies."""
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    name, agency = _attendee_values(name, agency)
    status = _status(status)
    with transaction.atomic():
        attendee = MeetingAttendee.objects.create(meeting=meeting, name=name, agency=agency, status=status)
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.attendee_added",
            text=f"{meeting_label(meeting)}: {name} ({agency}) added, {attendee.get_status_display().lower()}.",
            request=request,
            row=attendee.pk,
            details={"meeting": meeting.pk, "status": status},
        )
    return attendee


def meeting_set_attendance(
    *,
    actor: User,
    meeting: Meeting,
    attendee: MeetingAttendee,
    status: str,
    request: HttpRequest | None = None,
) -> MeetingAttendee:
    """Record whether an invitee attended or sent apologies (or is still only invited)."""
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    if attendee.meeting_id != meeting.pk:
        raise ValidationError({"attendee": "Choose someone invited to this meeting"})
    status = _status(status)
    with transaction.atomic():
        before = attendee.status
        attendee.status = status
        attendee.save(update_fields=["status"])
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.attendance_set",
            text=f"{meeting_label(meeting)}: {attendee.name} ({attendee.agency}) marked {status}.",
            request=request,
            row=attendee.pk,
            changes={"status": (before, status)},
            details={"meeting": meeting.pk},
        )
    return attendee


def meeting_add_action(
    *,
    actor: User,
    meeting: Meeting,
    description: str,
    owner: str,
    due_on: dt.date | None,
    request: HttpRequest | None = None,
) -> MeetingAction:
    """Add an action agreed at a meeting, with who owns it and when it is due."""
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    errors: dict[str, str] = {}
    description, owner = text(description), text(owner)
    if not description:
        errors["description"] = "Enter the action agreed"
    elif len(description) > 5000:
        errors["description"] = "The action must be 5,000 characters or fewer"
    if not owner:
        errors["owner"] = "Enter who owns the action"
    elif len(owner) > 200:
        errors["owner"] = "The owner must be 200 characters or fewer"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on < timezone.localtime(meeting.held_at).date():
        errors["due_on"] = "The due date must be on or after the meeting"
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic():
        action = MeetingAction.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.action_added",
            text=f"{meeting_label(meeting)}: action for {owner}, due {due_on.day} {due_on:%B %Y}.",
            request=request,
            row=action.pk,
            details={"meeting": meeting.pk, "due_on": due_on.isoformat()},
        )
    return action


def meeting_complete_action(
    *,
    actor: User,
    meeting: Meeting,
    action: MeetingAction,
    expected_version: int | None,
    done_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> MeetingAction:
    """Mark a meeting's action done (today unless another date is given).

    ``expected_version`` is the version the button was shown with: a stale or
    missing one raises ``ConflictError`` and saves nothing.
    """
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    if action.meeting_id != meeting.pk:
        raise ValidationError({"action": "Choose an action of this meeting"})
    # Before "already done": a button shown before someone else marked it done is a conflict.
    require_version(action, expected_version)
    errors: dict[str, str] = {}
    done_on = done_on or timezone.localdate()
    if action.done_on is not None:
        errors["action"] = "This action is already done"
    if done_on > timezone.localdate():
        errors["done_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bump_version(action, expected_version)
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.action_completed",
            text=f"{meeting_label(meeting)}: action for {action.owner} done on {done_on.day} {done_on:%B %Y}.",
            request=request,
            row=action.pk,
            details={"meeting": meeting.pk},
        )
    return action
