"""Small pieces the meeting and sharing pages share: how a case is named, where a meeting lives."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.lado.models import Case, Meeting
from threshold.lado.services.meetings import meeting_label


def case_name(case: Case) -> str:
    """How pages name a case: its stored reference (``LADO-7KQ2-9MXD``), never its id."""
    return case.reference


def meeting_page(meeting: Meeting, anchor: str = "") -> str:
    """The meeting's page, at a section."""
    return reverse("meeting_detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def case_page(case: Case, anchor: str = "") -> str:
    """The case's page, at a section."""
    return reverse("case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def form_context(meeting: Meeting, form: Any) -> dict[str, Any]:
    """What every form page about one meeting shows: the form, the meeting's name and the way back."""
    return {
        "form": form,
        "meeting": meeting,
        "meeting_title": meeting_label(meeting),
        "case_name": case_name(meeting.case),
        "back": meeting_page(meeting),
    }
