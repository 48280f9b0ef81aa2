"""Shared by the allegation pages: the record's address, fetching for a change, and the form page bound to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.core import pages
from threshold.core.http import signed_in_user


def record_page(allegation: Allegation, anchor: str = "") -> str:
    """The allegation's page, at a section."""
    return reverse("allegation_detail", args=[allegation.pk]) + (f"#{anchor}" if anchor else "")


def fetch_for_change(request: HttpRequest, user: User, allegation_id: int) -> Allegation:
    """The allegation for a form page: may be changed by this user; showing the form is an audited read."""
    return fetch.for_change(fetch.access_allegation, user, allegation_id, request)


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
    """``core.pages.form_page`` for a page that changes an allegation, back to the allegation at ``anchor``."""
    user = signed_in_user(request)
    allegation = fetch_for_change(request, user, allegation_id)
    return pages.form_page(
        request,
        allegation,
        make_form=make_form,
        save=lambda form: save(user, allegation, form),
        template=template,
        message=message,
        redirect_to=record_page(allegation, anchor),
        context=lambda form: {
            "allegation": allegation,
            "back": record_page(allegation),
            **(context(allegation, form) if context else {}),
        },
        redisplay=(lambda data: redisplay(allegation, data)) if redisplay else None,
    )
