"""Pages for closing a concern and re-routing one past a conflicted headteacher or DSL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.concerns import services
from threshold.concerns.forms import ConcernReasonForm
from threshold.concerns.views import concern_conflict
from threshold.core.forms import apply_validation_error
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
}


def _reason_page(request: HttpRequest, concern_id: int, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    fetch.access_concern(user, concern_id, "change")
    concern = fetch.access_concern(user, concern_id, "view", request=request)
    page = _PAGES[kind]
    form = ConcernReasonForm(
        request.POST or None, initial={"version": concern.version}, required_message=str(page["required"])
    )
    if request.method == "POST" and form.is_valid():
        action = services.concern_close if kind == "close" else services.concern_reroute
        try:
            action(
                actor=user,
                concern=concern,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                audit_context=AuditContext.from_request(request),
            )
        except services.ConflictError as conflict:
            return concern_conflict(request, form, conflict.current)
        except ValidationError as error:
            # The service names the reason field after its purpose; the form has one "reason".
            apply_validation_error(form, error, lambda name: "reason" if name in {"reason", "reroute_reason"} else name)
        else:
            if kind == "close":
                messages.success(request, f"Concern {concern.reference} closed.")
                return redirect("concern_detail", concern_id=concern.pk)
            # The actor handled it for the setting: now it is kept from them.
            messages.success(request, f"Concern {concern.reference} re-routed. It is no longer shown to you.")
            return redirect("home")
    return render(request, "concerns/concern_reason.html", {"concern": concern, "form": form, "page": page})


@login_required
def concern_close(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Close a low-level concern (record complete) or appropriate conduct, with a reason."""
    return _reason_page(request, concern_id, "close")


@login_required
def concern_reroute(request: HttpRequest, concern_id: int) -> HttpResponse:
    """At triage: send a new concern past the setting when its headteacher or DSL has a conflict of interest."""
    return _reason_page(request, concern_id, "reroute")
