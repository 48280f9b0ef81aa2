"""The LADO's requests for information to the employer's case manager: make one, withdraw one.

The case is fetched for the change through ``threshold.access``; a request is reached through the case's own
related manager, so it is scoped by the case's rule. The case manager's reply page is the employer's
(``threshold.allegations.views.requests``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.lado.forms.requests import InformationRequestForm, InformationWithdrawForm
from threshold.lado.services.requests import information_request, information_withdraw, request_allegation
from threshold.lado.views.case_forms import case_for_change, case_form_page
from threshold.lado.views.meeting_pages import case_page

ANCHOR = "information-requests"


@login_required
def information_request_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Ask the employer's case manager for an update or information, by a date, chased at an interval."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: InformationRequestForm(data, initial={"chase_every_days": 3, "chase_limit": 3}),
        save=lambda user, case, form: information_request(
            actor=user,
            case=case,
            what=form.cleaned_data["what"],
            due_on=form.cleaned_data["due_on"],
            chase_every_days=form.cleaned_data["chase_every_days"],
            chase_limit=form.cleaned_data["chase_limit"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/requests/new.html",
        message="Request for information sent to the employer's case manager.",
        anchor=ANCHOR,
        context=lambda user, case: {"allegation": request_allegation(case)},
    )


@login_required
def information_withdraw_page(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """Withdraw an open request: no more reminders or chases (the case page's button posts here)."""
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    asked = case.information_requests.filter(pk=request_id).first()
    if asked is None:
        raise Http404("No such request.")
    return pages.form_page(
        request,
        asked,
        make_form=lambda record, data: InformationWithdrawForm(data, initial={"version": record.version}),
        save=lambda form: information_withdraw(
            actor=user,
            request=asked,
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/requests/withdraw.html",
        message="Request for information withdrawn.",
        conflict_heading="The request changed after you opened the page",
        redirect_to=case_page(case, ANCHOR),
        context={"case": case, "asked": asked, "back": case_page(case, ANCHOR)},
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/requests/new/", information_request_new, name="information_request_new"),
    path(
        "lado/cases/<record:case_id>/requests/<record:request_id>/withdraw/",
        information_withdraw_page,
        name="information_withdraw",
    ),
]
