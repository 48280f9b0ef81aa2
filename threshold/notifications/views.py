"""The notifications page (newest first, unread marked), "Mark all as read", and the email settings page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from threshold.access.fetch import visible_notifications
from threshold.audit.context import AuditContext
from threshold.core.http import signed_in_user
from threshold.core.pages import form_page
from threshold.core.pagination import page_of
from threshold.notifications.forms import PreferenceForm
from threshold.notifications.preferences import preference_for, preference_record, preference_set
from threshold.notifications.services import notifications_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first and a page at a time, the unread ones tagged, each linking on.

    How many are unread is the header's count (``notifications.context.unread``), of them all, not of the page.
    """
    user = signed_in_user(request)
    page = page_of(visible_notifications(user).order_by("-created_at", "-pk"), request)
    preference = preference_for(user)
    return render(
        request,
        "notifications/list.html",
        {"notifications": page.rows, "page": page, "preference": preference},
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification as read, then back to the list."""
    user = signed_in_user(request)
    count = notifications_mark_read(actor=user, audit_context=AuditContext.from_request(request))
    messages.success(request, "All notifications marked as read" if count else "You have no unread notifications")
    return HttpResponseRedirect(reverse("notifications"))


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Choose the emails: a daily summary, immediate emails for what cannot wait, both or neither."""
    user = signed_in_user(request)
    record = preference_record(user)

    def save(form: Any) -> object:
        return preference_set(
            actor=user,
            daily_digest=form.daily_digest,
            immediate=form.immediate,
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        )

    return form_page(
        request,
        record,
        make_form=PreferenceForm.for_record,
        save=save,
        template="notifications/settings.html",
        message="Your notification settings have been saved",
        redirect_to=reverse("notifications"),
        context={"chosen": record.pk is not None},
        refetch=lambda: preference_record(user),
    )


urlpatterns = [
    path("", notification_list, name="notifications"),
    path("read/", notification_mark_read, name="notifications_mark_read"),
    path("settings/", notification_settings, name="notification_settings"),
]
