"""Contacts into the LADO service: the inbox, recording a contact, advice, the decision, search."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.core.http import signed_in_user
from threshold.lado.models import Case


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One contact into the LADO service."""
    contact = fetch.access_contact(signed_in_user(request), contact_id, "view", request=request)
    return render(request, "lado/contact_detail.html", {"contact": contact})


def decisions_panel(user: User, case: Case) -> dict[str, Any]:
    """Context for ``lado/case/_decisions.html``: the contact and decisions that opened the case."""
    return {"decisions_case": case}


urlpatterns = [
    path("lado/contacts/<int:contact_id>/", contact_detail, name="contact_detail"),
]
