"""Pages for closing a concern, re-routing one past a conflicted head or DSL, and escalating a low-level one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.concerns import services
from threshold.concerns.forms import ConcernReasonForm, EscalateForm
from threshold.concerns.models import Concern, ConcernStatus
from threshold.core import pages
from threshold.core.http import signed_in_user

_PAGES = {
    "close": {
        "title": "Close this concern",
        "label": "Why is the concern being closed?",
        "hint": "For example, the conversation took place and the behaviour has not recurred.",
        "required": "Enter why the concern is being closed",
        "button": "Close the concern",
        "url": "concern_close",
    },
    "reroute": {
        "title": "Re-route this concern",
        "label": "What is the conflict of interest?",
        "hint": "The concern then goes to the trust's director of school and trust DSLs (or, where there is no"
        " trust, your chair of governors or management committee), and you will no longer see it.",
        "required": "Enter the conflict of interest that means the setting cannot handle it",
        "button": "Re-route the concern",
        "url": "concern_reroute",
    },
    "escalate": {
        "title": "Escalate to an allegation",
        "label": "What has come to light?",
        "hint": "The threshold for a referral to the LADO may now be met. An allegation opens, the referral to the"
        " LADO starts at once (complete it on the referral page within one working day), and this concern is"
        " linked to it.",
        "required": "Enter what has come to light since the concern was triaged",
        "button": "Escalate and refer to the LADO",
        "url": "concern_escalate",
    },
}


def _closed_message(concern: Any) -> str:
    """A DSL's closing waits for the head's sign-off (section 13.3, ADR 0025): then the concern stays open."""
    if concern.status == ConcernStatus.CLOSED:
        return f"Concern {concern.reference} closed."
    return f"Closing concern {concern.reference} is awaiting the headteacher's sign-off."


def _reason_page(request: HttpRequest, concern_id: int, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    concern = fetch.for_change(fetch.access_concern, user, concern_id, request)
    page = _PAGES[kind]
    if kind == "escalate":
        return _escalate_page(request, concern, page)
    action = services.concern_close if kind == "close" else services.concern_reroute
    message: str | Callable[[Any], str]
    if kind == "close":
        message, done = _closed_message, reverse("concern_detail", args=[concern.pk])
    else:
        # The actor handled it for the setting: now it is kept from them.
        message, done = f"Concern {concern.reference} re-routed. It is no longer shown to you.", reverse("home")
    return pages.form_page(
        request,
        concern,
        make_form=lambda record, data: ConcernReasonForm(
            data, initial={"version": record.version}, required_message=str(page["required"])
        ),
        save=lambda form: action(
            actor=user,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_reason.html",
        message=message,
        redirect_to=done,
        context={"concern": concern, "page": page},
        conflict_heading=f"Someone else changed concern {concern.reference} after you opened the form",
    )


def _escalate_page(request: HttpRequest, concern: Concern, page: dict[str, str]) -> HttpResponse:
    """The escalation lands on the new allegation: the referral to complete is the next thing to do there."""
    user = signed_in_user(request)
    return pages.form_page(
        request,
        concern,
        make_form=lambda record, data: EscalateForm(
            data, initial={"version": record.version}, required_message=page["required"]
        ),
        save=lambda form: services.concern_escalate(
            actor=user,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            came_to_light=form.cleaned_data["reason"],
            threshold_answers=form.threshold_answers(),
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_reason.html",
        message=lambda allegation: (
            f"Concern {concern.reference} escalated to allegation {allegation.reference}."
            " Complete the referral to the LADO."
        ),
        redirect_to=lambda allegation: reverse("allegation_detail", args=[allegation.pk]),
        context={"concern": concern, "page": page},
        conflict_heading=f"Someone else changed concern {concern.reference} after you opened the form",
    )


@login_required
def concern_escalate(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Escalate a low-level concern to an allegation and a LADO referral when more comes to light (Tier 2)."""
    return _reason_page(request, concern_id, "escalate")


@login_required
def concern_close(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Close a low-level concern (record complete) or appropriate conduct, with a reason."""
    return _reason_page(request, concern_id, "close")


@login_required
def concern_reroute(request: HttpRequest, concern_id: int) -> HttpResponse:
    """At triage: send a new concern past the setting when its headteacher or DSL has a conflict of interest."""
    return _reason_page(request, concern_id, "reroute")
