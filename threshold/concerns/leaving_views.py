"""The page that records when the adult a low-level concern is about left or retired (policy section 13.4)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.concerns import presenters, services
from threshold.concerns.forms import LeavingDateForm
from threshold.concerns.models import Concern, ConcernStatus
from threshold.core import pages
from threshold.core.http import signed_in_user


@login_required
def concern_leaving_date(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Record, once for the person, the date they left or retired; their low-level records' retention counts from it.

    Reached from a low-level concern by those who handle it; the form carries the person's version, so two
    people recording different dates at once see the conflict notice rather than one date silently replacing
    the other.
    """
    user = signed_in_user(request)
    concern = fetch.for_change(fetch.access_concern, user, concern_id, request)
    if concern.status != ConcernStatus.LOW_LEVEL:
        raise Http404("No such record.")
    return pages.form_page(
        request,
        concern.subject,
        make_form=lambda person, data: LeavingDateForm(
            data, initial={"version": person.version, "left_employment_on": person.left_employment_on}
        ),
        save=lambda form: services.person_leaving_date_record(
            actor=user,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            left_on=form.cleaned_data["left_employment_on"],
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_leaving_date.html",
        message=lambda person: _saved_message(concern, person.left_employment_on is not None),
        redirect_to=reverse("concern_detail", args=[concern.pk]) + "#low-level",
        context={"concern": concern, **presenters.leaving_page(concern)},
        conflict_heading="Someone else recorded when this person left after you opened the form",
    )


def _saved_message(concern: Concern, left: bool) -> str:
    """The flash names the concern by its reference, never the person (docs/style.md)."""
    if left:
        return f"Leaving date recorded. The retention of concern {concern.reference} now counts from it."
    return f"Leaving date removed. Concern {concern.reference} is kept until a leaving date is recorded."
