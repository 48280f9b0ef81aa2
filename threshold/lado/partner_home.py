"""The partners' panel on the home page: the LADO cases and meetings shared with a police or social care user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.lado.models import Meeting

# Enough for a home page; a partner is rarely invited to more at once.
PANEL_LIMIT = 20


def _kind(meeting: Meeting) -> str:
    """The meeting's kind without the protocol's note on who chairs it ("Strategy meeting")."""
    return str(meeting.get_kind_display()).split(" (", 1)[0]


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For police and children's social care users: what is shared with them now; nothing for anyone else.

    Only shares still open count (a share ended by the LADO drops out at once),
    and only what was shared with the user by name: a case's meetings reach a
    partner with the case, a meeting's case summary with the meeting, so those
    are a click away rather than listed twice. No adult's name is shown here.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or not scope_for(user).is_partner:
        return None
    cases = list(
        fetch.visible_cases(user, "view_summary")
        .filter(shares__user=user, shares__ended_at__isnull=True)
        .distinct()
        .order_by("-opened_at", "-pk")[:PANEL_LIMIT]
    )
    meetings = list(
        fetch.visible_meetings(user, "view")
        .filter(shares__user=user, shares__ended_at__isnull=True)
        .select_related("case")
        .distinct()
        .order_by("-held_at", "-pk")[:PANEL_LIMIT]
    )
    # Reading them is audited as the case list is, in the page's one event (``core.views.home_panels``).
    listed = {"cases": [case.pk for case in cases]} if cases else {}
    listed |= {"meetings": [meeting.pk for meeting in meetings]} if meetings else {}
    return {
        "template": "lado/partner_panel.html",
        **({"listed": listed} if listed else {}),
        "shared_cases": [{"case": case, "reference": case.reference} for case in cases],
        "shared_meetings": [
            {
                "meeting": meeting,
                "kind": _kind(meeting),
                "reference": meeting.case.reference,
            }
            for meeting in meetings
        ],
    }
