"""Requests for information, as the case page (the LADO) and the allegation page (the case manager) show them.

Each request is a card: what was asked, by when, where it stands, the chase history in a sentence
("Request sent 1 December 2026; reminder 4 December; chased 10 December (1 of 3)") and the reply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from threshold.allegations.models import Allegation
from threshold.jinja2 import govuk_date
from threshold.lado.models import Case, CaseStatus, ChaseStage, InformationChase, InformationRequest, RequestStatus


def _short(day: dt.date, year: int) -> str:
    """A date in words, without its year when it is the year the request was sent."""
    return f"{day.day} {day:%B}" if day.year == year else govuk_date(day)


def chase_history(request: InformationRequest, chases: list[InformationChase]) -> str:
    """The messages sent about a request, oldest first, in one sentence."""
    year = timezone.localdate(request.requested_at).year
    parts = []
    for chase in chases:
        if chase.stage == ChaseStage.REQUESTED:
            parts.append(f"Request sent {govuk_date(chase.sent_on)}")
        elif chase.stage == ChaseStage.REMINDER:
            parts.append(f"reminder {_short(chase.sent_on, year)}")
        else:
            parts.append(f"chased {_short(chase.sent_on, year)} ({chase.number} of {request.chase_limit})")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def status(request: InformationRequest, today: dt.date) -> dict[str, str]:
    """The request's tag: its words and colour."""
    if request.status == RequestStatus.ANSWERED:
        return {"text": "Answered", "colour": "green"}
    if request.status == RequestStatus.WITHDRAWN:
        return {"text": "Withdrawn", "colour": "grey"}
    if request.due_on < today:
        return {"text": "Overdue", "colour": "red"}
    return {"text": "Waiting for a reply", "colour": "blue"}


def _card(request: InformationRequest, today: dt.date) -> dict[str, Any]:
    chases = list(request.chases.all())
    rows = [
        {"key": {"text": "What was asked"}, "value": {"text": request.what}},
        {"key": {"text": "Needed by"}, "value": {"text": govuk_date(request.due_on)}},
        {
            "key": {"text": "Chasing"},
            "value": {
                "text": (
                    f"Every {request.chase_every_days} day{'s' if request.chase_every_days != 1 else ''} after the"
                    f" date, up to {request.chase_limit} time{'s' if request.chase_limit != 1 else ''}"
                )
                if request.chase_limit
                else "Not chased after the date"
            },
        },
        {"key": {"text": "Sent"}, "value": {"text": chase_history(request, chases)}},
    ]
    if request.status == RequestStatus.ANSWERED:
        rows.append(
            {
                "key": {"text": f"Reply, {govuk_date(request.replied_at)}"},
                "value": {"text": request.reply},
            }
        )
    return {"request": request, "status": status(request, today), "rows": rows}


def case_requests(case: Case, *, may_change: bool) -> dict[str, Any]:
    """The case page's "Requests for information" section, for the LADO service that may change the case.

    Shown to those who may change the case (its LADOs and managers) only: a partner a case is shared with
    does not see what the LADO asked the employer.
    """
    if not may_change:
        return {"information_requests_shown": False}
    today = timezone.localdate()
    requests = list(case.information_requests.select_related("allegation").order_by("-requested_at", "-pk"))
    is_open = case.status == CaseStatus.OPEN
    linked = case.contact is not None and case.contact.allegation_id is not None
    return {
        "information_requests_shown": True,
        "information_requests": [
            {
                **_card(request, today),
                "withdraw": reverse("information_withdraw", args=[case.pk, request.pk])
                if request.status == RequestStatus.OPEN
                else "",
            }
            for request in requests
        ],
        "information_request_new": reverse("information_request_new", args=[case.pk]) if is_open and linked else "",
        "information_request_unlinked": not linked,
    }


def allegation_requests(allegation: Allegation, *, can_change: bool) -> list[dict[str, Any]]:
    """The LADO's requests on the allegation page: open ones first, each with its "Reply" link."""
    today = timezone.localdate()
    requests = list(allegation.information_requests.order_by("-requested_at", "-pk"))
    requests.sort(key=lambda request: request.status != RequestStatus.OPEN)
    return [
        {
            **_card(request, today),
            "reply": reverse("information_reply", args=[allegation.pk, request.pk])
            if can_change and request.status == RequestStatus.OPEN
            else "",
        }
        for request in requests
    ]
