"""Forms for meetings: the meeting itself, attendees, actions, sharing with partners and partners' updates.

Forms only parse what people typed; the services in
``threshold.lado.services.meetings`` and ``.sharing`` decide what is valid,
and their messages are put beside the fields with ``apply_errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from threshold.accounts.models import User
from threshold.chronology.forms import LONDON, parse_time
from threshold.core.forms import CaseForm, CleanCharField, VersionedForm, WrittenForm, apply_validation_error
from threshold.lado.models import MeetingKind
from threshold.lado.models.meetings import AttendanceStatus
from threshold.lado.services.meetings import MeetingDetails


def _text(label: str, required_message: str | None = None, max_length: int = 20000) -> forms.CharField:
    return CleanCharField(
        label=label,
        required=required_message is not None,
        max_length=max_length,
        error_messages={
            "required": required_message or "",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


class ServiceErrors(WrittenForm):
    """A plain form that can show a service's validation errors beside its fields."""

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's validation errors beside the fields they belong to."""
        apply_validation_error(self, error)


class MeetingForm(VersionedForm):
    """A meeting's kind, date and time, chair, what was shared and decided, and written minutes."""

    DATES = {"held_on": ("The date of the meeting", "Enter the date of the meeting")}
    ERROR_FIELDS = {"held_at": "held_on_day"}
    # Required: a form without the version it was loaded with gets the conflict page (views check it).
    kind = forms.ChoiceField(
        choices=MeetingKind.choices,
        error_messages={"required": "Choose the kind of meeting", "invalid_choice": "Choose the kind of meeting"},
    )
    held_time = _text("Time of the meeting", "Enter the time of the meeting", 10)
    chair_name = _text("Chair's name", "Enter the name of the chair", 200)
    chair_agency = _text("Chair's agency", "Enter the chair's agency", 200)
    information_shared = _text("Information shared")
    decisions = _text("Decisions")
    minutes = _text("Minutes")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new meeting has no version yet; only edits carry (and must carry) one.
        if not editing:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        """Join the date boxes and the time into one moment in UK time, stored in UTC."""
        data = super().clean()
        time_text = str(data.get("held_time") or "")
        if time_text:
            time = parse_time(time_text)
            if time is None:
                self.add_error("held_time", "Enter the time like 2:30pm or 14:30")
            elif data.get("held_on"):
                data["held_at"] = dt.datetime.combine(data["held_on"], time, tzinfo=LONDON).astimezone(dt.UTC)
        return data

    def service_data(self) -> MeetingDetails:
        """What ``meeting_record`` and ``meeting_update`` take, by name."""
        data = self.cleaned_data
        return MeetingDetails(
            kind=data.get("kind") or "",
            held_at=data.get("held_at"),
            chair_name=data.get("chair_name") or "",
            chair_agency=data.get("chair_agency") or "",
            information_shared=data.get("information_shared") or "",
            decisions=data.get("decisions") or "",
            minutes=data.get("minutes") or "",
        )


class AttendeeForm(ServiceErrors):
    """Someone invited to the meeting, by agency, and whether they came."""

    name = _text("Name", "Enter the person's name", 200)
    agency = _text("Agency", "Enter the person's agency", 200)
    status = forms.ChoiceField(
        choices=AttendanceStatus.choices,
        error_messages={
            "required": "Choose invited, attended or apologies",
            "invalid_choice": "Choose invited, attended or apologies",
        },
    )


class AttendanceForm(WrittenForm):
    """Whether one invitee attended or sent apologies (one small form per row of the attendees table)."""

    attendee = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Attendance", choices=AttendanceStatus.choices)


class ActionForm(CaseForm):
    """An action agreed at the meeting, with its owner and due date."""

    DATES = {"due_on": ("The due date", "Enter the date the action is due")}
    description = _text("Action", "Enter the action agreed", 5000)
    owner = _text("Owner", "Enter who owns the action", 200)


class CompleteActionForm(VersionedForm):
    """Mark one action done (one small form per open action)."""

    action = forms.IntegerField(widget=forms.HiddenInput)


class ShareForm(ServiceErrors):
    """A named police or children's social care user, picked from a list (never typed)."""

    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose who to share with",
            "invalid_choice": "Choose someone from the police, or from children's social care in the case's area,"
            " with an active account",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class UnshareForm(WrittenForm):
    """Stop sharing with one user (a button per current share)."""

    user = forms.IntegerField(widget=forms.HiddenInput)


class UpdateForm(ServiceErrors):
    """A partner agency's update on a meeting shared with them."""

    text = _text("Your agency's update", "Enter your agency's update", 10000)
