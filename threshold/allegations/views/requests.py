"""The case manager's reply to a request for information from the LADO.

The allegation is fetched for the change through ``threshold.access``; the request is reached through the
allegation's own related manager, so it is scoped by the allegation's rule (nobody outside the employer's
handlers reaches it here). The LADO's side (making and withdrawing a request) is
``threshold.lado.views.requests``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from threshold.allegations.views.common import fetch_for_change, record_page
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.lado.forms.requests import InformationReplyForm
from threshold.lado.services.requests import information_reply

ANCHOR = "information-requests"


@login_required
def allegation_information_reply(request: HttpRequest, allegation_id: int, request_id: int) -> HttpResponse:
    """Answer the LADO's request: the reply lands on the LADO's case and the request leaves the work list."""
    user = signed_in_user(request)
    allegation = fetch_for_change(request, user, allegation_id)
    asked = allegation.information_requests.filter(pk=request_id).first()
    if asked is None:
        raise Http404("No such request.")
    return pages.form_page(
        request,
        asked,
        make_form=lambda record, data: InformationReplyForm(
            data, initial={"version": record.version, "reply": record.reply}
        ),
        save=lambda form: information_reply(
            actor=user,
            request=asked,
            reply=form.cleaned_data["reply"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/information_reply.html",
        message="Reply sent to the LADO.",
        conflict_heading="The request changed after you opened the form",
        redirect_to=record_page(allegation, ANCHOR),
        context={"allegation": allegation, "asked": asked, "back": record_page(allegation, ANCHOR)},
    )
