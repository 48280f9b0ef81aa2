"""The form page bound to a case: fetched for the change, the form, the service, back to the case.

Every page that changes a case (its data set, children, risk, investigations,
other bodies, tier, allocation, monitoring, conclusion) goes through
``case_form_page``, which is ``threshold.core.pages.form_page`` with the case's
fetch and address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from threshold.access import fetch
from threshold.access.policies import Action
from threshold.accounts.models import User
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.lado.models import Case
from threshold.lado.views.meeting_pages import case_page


def case_for_change(request: HttpRequest, user: User, case_id: int, action: Action = "change") -> Case:
    """The case for a form page: this user may ``action`` it; showing the form is an audited read."""
    return fetch.for_change(fetch.access_case, user, case_id, request, action)


def case_form_page(
    request: HttpRequest,
    case_id: int,
    *,
    make_form: Callable[[Case, Any], Any],
    save: Callable[[User, Case, Any], object],
    template: str,
    message: str,
    anchor: str,
    heading: str = "",
    action: Action = "change",
    context: Callable[[User, Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    """``core.pages.form_page`` for a page that changes a case, back to the case at ``anchor``.

    A service's ``ValidationError`` puts each message beside its field; a
    form loaded before someone else changed the case is given back with the
    person's entries under the conflict notice (HTTP 409); nothing is saved.
    """
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id, action)
    extra = context(user, case) if context else {}
    return pages.form_page(
        request,
        case,
        make_form=make_form,
        save=lambda form: save(user, case, form),
        template=template,
        message=message,
        redirect_to=case_page(case, anchor),
        context={"case": case, "heading": heading, "back": case_page(case, anchor), **extra},
    )
