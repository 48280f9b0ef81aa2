"""Shared by the pages that change a case from its monitoring panel: the case's address, fetching, a form page."""

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
from threshold.core.http import signed_in_user
from threshold.lado.models import Case


def case_page(case: Case, anchor: str = "") -> str:
    """The case's page, at a section."""
    return reverse("case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def case_for_change(request: HttpRequest, user: User, case_id: int) -> Case:
    """The case for a form page: may be changed by this user; showing the form is an audited read."""
    case = fetch.access_case(user, case_id, "change", request=request)
    if request.method != "POST":
        fetch.access_case(user, case_id, "view", request=request)
    return case


def case_form_page(
    request: HttpRequest,
    case_id: int,
    *,
    make_form: Callable[[Case, Any], Any],
    save: Callable[[User, Case, Any], object],
    template: str,
    message: str,
    anchor: str,
    context: Callable[[User, Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page that changes a case: fetched for ``change``, the form, the service, back to the case.

    A service's ``ValidationError`` re-renders the form with each message
    beside its field; nothing is saved.
    """
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    form = make_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, case, form)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, message)
            return redirect(case_page(case, anchor))
    extra = context(user, case) if context else {}
    return render(request, template, {"case": case, "form": form, "back": case_page(case, anchor), **extra})
