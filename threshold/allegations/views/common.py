"""Shared by the allegation pages: the record's address, fetching for a change, a form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.core.http import signed_in_user


def record_page(allegation: Allegation, anchor: str = "") -> str:
    """The allegation's page, at a section."""
    return reverse("allegation_detail", args=[allegation.pk]) + (f"#{anchor}" if anchor else "")


def fetch_for_change(request: HttpRequest, user: User, allegation_id: int) -> Allegation:
    """The allegation for a form page: may be changed by this user; showing the form is an audited read."""
    allegation = fetch.access_allegation(user, allegation_id, "change", request=request)
    if request.method != "POST":
        fetch.access_allegation(user, allegation_id, "view", request=request)
    return allegation


def form_page(
    request: HttpRequest,
    allegation_id: int,
    *,
    make_form: Callable[[Allegation, Any], Any],
    save: Callable[[User, Allegation, Any], object],
    template: str,
    message: str,
    anchor: str,
    context: Callable[[Allegation, Any], dict[str, Any]] | None = None,
    redisplay: Callable[[Allegation, Any], Any] | None = None,
) -> HttpResponse:
    """A page that changes an allegation: fetched for ``change``, the form, the service, back to the record.

    ``redisplay`` may turn a POST into the same form shown again without
    saving (an "add another row" button that works without JavaScript): it
    returns the form to show, or None to carry on and save.
    """
    user = signed_in_user(request)
    allegation = fetch_for_change(request, user, allegation_id)
    again = redisplay(allegation, request.POST) if redisplay and request.method == "POST" else None
    if again is not None:
        extra = context(allegation, again) if context else {}
        return render(
            request, template, {"allegation": allegation, "form": again, "back": record_page(allegation), **extra}
        )
    form = make_form(allegation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, allegation, form)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, message)
            return redirect(record_page(allegation, anchor))
    extra = context(allegation, form) if context else {}
    return render(request, template, {"allegation": allegation, "form": form, "back": record_page(allegation), **extra})
