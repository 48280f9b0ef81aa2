"""Closing a step as not needed: a person's "not needed, because…" for an open step nobody recorded.

Linked from the record's page (the allegation's checklist, the LADO's contact and case pages). The
deadline is fetched for ``change`` through ``threshold.access`` (``access_deadline``: the person may act
on its record, never one about themselves), and the reason is required; a form loaded before someone
else changed the row is given back under the conflict notice. Success goes back to the record's page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.forms import CleanCharField, VersionedForm
from threshold.core.http import signed_in_user
from threshold.timescales.models import DeadlineState
from threshold.timescales.selectors import deadline_url
from threshold.timescales.services import deadline_close


class DeadlineCloseForm(VersionedForm):
    """Why the step is not needed (required: a step is never closed without a reason)."""

    reason = CleanCharField(
        label="Why is this not needed?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter why this is not needed",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


@login_required
def deadline_close_page(request: HttpRequest, deadline_id: int) -> HttpResponse:
    """Mark an open step as not needed, with the reason; then back to its record's page."""
    user = signed_in_user(request)
    deadline = fetch.for_change(fetch.access_deadline, user, deadline_id, request)
    back = deadline_url(deadline)
    return pages.form_page(
        request,
        deadline,
        make_form=lambda record, data: DeadlineCloseForm(data, initial={"version": record.version}),
        save=lambda form: deadline_close(
            actor=user,
            deadline=deadline,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="timescales/close.html",
        message=lambda closed: f"{closed.label} ({closed.reference}) marked as not needed.",
        redirect_to=back,
        context={
            "deadline": deadline,
            "back": back,
            "closable": deadline.state in (DeadlineState.OPEN, DeadlineState.PAUSED),
        },
    )


urlpatterns = [
    path("deadlines/<record:deadline_id>/not-needed/", deadline_close_page, name="deadline_close"),
]
