"""Where a meeting and a case live: the addresses the meeting and sharing pages redirect to and link back to.

How they are named and what their pages show is in ``threshold.lado.presenters.meeting``.
"""

from __future__ import annotations

from django.urls import reverse

from threshold.lado.models import Case, Meeting


def meeting_page(meeting: Meeting, anchor: str = "") -> str:
    """The meeting's page, at a section."""
    return reverse("meeting_detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def case_page(case: Case, anchor: str = "") -> str:
    """The case's page, at a section."""
    return reverse("case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")
