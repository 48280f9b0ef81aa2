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
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import (
    Case,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingKind,
)
from threshold.lado.models.meetings import AttendanceStatus
from threshold.lado.services.case_rules import held_case, require_not_closed
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.deadlines import case_deadlines_sync

# The fields a meeting form edits, in the order the audit trail lists them.
MEETING_FIELDS = ("kind", "held_at", "chair_name", "chair_agency", "information_shared", "decisions", "minutes")
LONG_TEXT = 20000


class MeetingDetails(TypedDict):
    """A meeting's details as the meeting form gives them to ``meeting_record`` and ``meeting_update``."""

    kind: str
    held_at: dt.datetime | None
    chair_name: str
    chair_agency: str
    information_shared: str
    decisions: str
    minutes: str


def _meeting_values(
    *,
    kind: str,
    held_at: dt.datetime | None,
    chair_name: str,
    chair_agency: str,
    information_shared: str,
    decisions: str,
    minutes: str,
) -> dict[str, Any]:
    """Check a meeting's details; the cleaned values, or ``ValidationError`` with a message per field."""
    errors: dict[str, str] = {}
    kind = text(kind)
    if kind not in MeetingKind.values:
        errors["kind"] = "Choose the kind of meeting"
    if not isinstance(held_at, dt.datetime):
        errors["held_at"] = "Enter the date and time of the meeting"
    elif timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    values: dict[str, Any] = {
        "kind": kind,
        "held_at": held_at,
        "chair_name": text(chair_name),
        "chair_agency": text(chair_agency),
        "information_shared": text(information_shared),
        "decisions": text(decisions),
        "minutes": text(minutes),
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


def _require_after_referral(case: Case, values: dict[str, Any]) -> None:
    """Refuse a meeting dated before the referral was received: it cannot be about this case."""
    held_on = timezone.localdate(values["held_at"])
    if held_on < case.received_on:
        received = case.received_on
        raise ValidationError(
            {
                "held_at": "The date of the meeting must be on or after the date the referral was received, "
                f"{received.day} {received:%B %Y}"
            }
        )


# What a closed case refuses, in the words of the message shown to the LADO.
CLOSED_MEETINGS = "meetings can no longer be recorded on it"
CLOSED_CHANGES = "its meetings can no longer be changed"


def meeting_label(meeting: Meeting) -> str:
    """How the chronology names a meeting: its kind and date."""
    kinds = {
        MeetingKind.STRATEGY: "Strategy meeting",
        MeetingKind.ALLEGATIONS_MANAGEMENT: "Allegations management meeting",
        MeetingKind.REVIEW: "Review meeting",
    }
    held = timezone.localtime(meeting.held_at)
    return f"{kinds.get(meeting.kind, 'Meeting')} of {held.day} {held:%B %Y}"  # type: ignore[call-overload]


def meeting_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    held_at: dt.datetime | None,
    chair_name: str,
    chair_agency: str,
    information_shared: str = "",
    decisions: str = "",
    minutes: str = "",
    audit_context: AuditContext | None = None,
) -> Meeting:
    """Record (or schedule) a meeting of a case: kind, date and time, chair and chair's agency, what happened.

    ``held_at`` is an aware datetime; the information shared, the decisions
    and the written minutes may follow later (``meeting_update``).
    """
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_MEETINGS)
    values = _meeting_values(
        kind=kind,
        held_at=held_at,
        chair_name=chair_name,
        chair_agency=chair_agency,
        information_shared=information_shared,
        decisions=decisions,
        minutes=minutes,
    )
    _require_after_referral(case, values)
    with transaction.atomic(durable=True):
        case = held_case(case, open_for=CLOSED_MEETINGS)  # not closed by another since the page was read
        meeting = Meeting.objects.create(case=case, created_by=actor, **values)
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.recorded",
            text=f"{meeting_label(meeting)} recorded, chaired by {meeting.chair_name} ({meeting.chair_agency}).",
            audit_context=audit_context,
            row=meeting.pk,
            details={"meeting": meeting.pk, "kind": meeting.kind},
        )
        # A strategy or LADO-chaired meeting held (or booked in time) meets the evaluation meeting clock.
        case_deadlines_sync(case)
    return meeting


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    held_at: dt.datetime | None,
    chair_name: str,
    chair_agency: str,
    expected_version: int,
    information_shared: str = "",
    decisions: str = "",
    minutes: str = "",
    audit_context: AuditContext | None = None,
) -> Meeting:
    """Change a meeting's details and minutes; a stale form raises ``ConflictError`` and saves nothing.

    The details replace the meeting's (the form shows them all), so a text
    left out or cleared is cleared. ``expected_version`` is the version the form was loaded with;
    without one the change is refused as a conflict too (nothing says it is
    not stale).
    """
    case = meeting.case
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_CHANGES)
    values = _meeting_values(
        kind=kind,
        held_at=held_at,
        chair_name=chair_name,
        chair_agency=chair_agency,
        information_shared=information_shared,
        decisions=decisions,
        minutes=minutes,
    )
    if timezone.localdate(values["held_at"]) != timezone.localdate(meeting.held_at):
        # Moved to another day: never to before the referral (a meeting recorded before this rule keeps its day).
        _require_after_referral(case, values)
    with transaction.atomic(durable=True):
        held_case(case, open_for=CLOSED_CHANGES)  # not closed by another since the page was read
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
            audit_context=audit_context,
            row=meeting.pk,
            changes=changes,
            details={"meeting": meeting.pk},
        )
        case_deadlines_sync(case)
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
    audit_context: AuditContext | None = None,
) -> MeetingAttendee:
    """Add someone invited to a meeting, by agency, and whether they attended or sent apologies."""
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    name, agency = _attendee_values(name, agency)
    status = _status(status)
    with transaction.atomic(durable=True):
        held_case(meeting.case, open_for=CLOSED_CHANGES)  # not closed since the page was read
        attendee = MeetingAttendee.objects.create(meeting=meeting, name=name, agency=agency, status=status)
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.attendee_added",
            text=f"{meeting_label(meeting)}: {name} ({agency}) added, {attendee.get_status_display().lower()}.",
            audit_context=audit_context,
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
    audit_context: AuditContext | None = None,
) -> MeetingAttendee:
    """Record whether an invitee attended or sent apologies (or is still only invited)."""
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    if attendee.meeting_id != meeting.pk:
        raise ValidationError({"attendee": "Choose someone invited to this meeting"})
    status = _status(status)
    with transaction.atomic(durable=True):
        held_case(meeting.case, open_for=CLOSED_CHANGES)  # not closed since the page was read
        before = attendee.status
        attendee.status = status
        attendee.save(update_fields=["status"])
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.attendance_set",
            text=f"{meeting_label(meeting)}: {attendee.name} ({attendee.agency}) marked {status}.",
            audit_context=audit_context,
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
    audit_context: AuditContext | None = None,
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
    with transaction.atomic(durable=True):
        held_case(meeting.case, open_for=CLOSED_CHANGES)  # not closed since the page was read
        action = MeetingAction.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.action_added",
            text=f"{meeting_label(meeting)}: action for {owner}, due {due_on.day} {due_on:%B %Y}.",
            audit_context=audit_context,
            row=action.pk,
            details={"meeting": meeting.pk, "due_on": due_on.isoformat()},
        )
        case_deadlines_sync(meeting.case)
    return action


def meeting_complete_action(
    *,
    actor: User,
    meeting: Meeting,
    action: MeetingAction,
    expected_version: int,
    done_on: dt.date | None = None,
    audit_context: AuditContext | None = None,
) -> MeetingAction:
    """Mark a meeting's action done (today unless another date is given).

    ``expected_version`` is the version the button was shown with: a stale or
    missing one raises ``ConflictError`` and saves nothing.
    """
    require_case(actor, meeting.case, "change")
    require_not_closed(meeting.case, CLOSED_CHANGES)
    if action.meeting_id != meeting.pk:
        raise ValidationError({"action": "Choose an action of this meeting"})
    done_on = done_on or timezone.localdate()
    with transaction.atomic(durable=True):
        # Before "already done": a button shown before someone else marked it done is a conflict.
        bump_version(action, expected_version)
        errors: dict[str, str] = {}
        if action.done_on is not None:
            errors["action"] = "This action is already done"
        if done_on > timezone.localdate():
            errors["done_on"] = "The date must be today or in the past"
        if errors:
            raise ValidationError(errors)  # rolls the version back with the rest
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        record_case_event(
            actor=actor,
            case=meeting.case,
            action="meeting.action_completed",
            text=f"{meeting_label(meeting)}: action for {action.owner} done on {done_on.day} {done_on:%B %Y}.",
            audit_context=audit_context,
            row=action.pk,
            details={"meeting": meeting.pk},
        )
        case_deadlines_sync(meeting.case)
    return action
