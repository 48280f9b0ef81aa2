"""Pages for the headteacher's sign-off of a DSL's decision, and for HR advice on a concern (section 13.3)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.concerns import recipients, services, sign_off_presenters
from threshold.concerns.models import Concern, SignOffKind, SignOffState
from threshold.concerns.sign_off_forms import AGREE, HrAdviceForm, ShareWithHrForm, SignOffForm
from threshold.core import pages
from threshold.core.http import signed_in_user

CONFLICT = "Someone else changed concern {} after you opened the form"


@login_required
def concern_sign_off(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The head signs off a DSL's decision or closing, or sends it back with a reason."""
    user = signed_in_user(request)
    concern = fetch.for_change(fetch.access_concern, user, concern_id, request)
    pending = services.awaiting_sign_off(concern)
    if pending is None:
        raise Http404("No decision is awaiting sign-off.")
    if not services.may_sign_off(user=user, concern=concern):
        raise PermissionDenied("Only the headteacher, or the trust for a concern routed past them, signs this off.")
    closing = pending.kind == SignOffKind.CLOSURE

    def done(sign_off: Any) -> str:
        answer = "signed off" if sign_off.state == SignOffState.AGREED else "sent back"
        return f"Concern {concern.reference}: you {answer} the {'closing' if closing else 'decision'}."

    return pages.form_page(
        request,
        concern,
        make_form=lambda record, data: SignOffForm(data, initial={"version": record.version}),
        save=lambda form: services.concern_sign_off(
            actor=user,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            agree=form.cleaned_data["answer"] == AGREE,
            reason=form.cleaned_data["reason"],
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_sign_off.html",
        message=done,
        redirect_to=reverse("concern_detail", args=[concern.pk]),
        context={
            "concern": concern,
            "rows": sign_off_presenters.sign_off_rows(pending),
            "title": "Sign off closing this concern" if closing else "Sign off the decision on this concern",
        },
        conflict_heading=CONFLICT.format(concern.reference),
    )


@login_required
def concern_share_hr(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Share the concern with one HR business partner of the setting or trust, asking for advice."""
    user = signed_in_user(request)
    concern = fetch.for_change(fetch.access_concern, user, concern_id, request)
    partners = {str(partner.pk): partner for partner in recipients.hr_partners_for(concern)}
    if not partners:
        raise Http404("Nobody in an HR business partner role uses Threshold for this setting.")

    def make_form(record: Concern, data: Any) -> ShareWithHrForm:
        return ShareWithHrForm(data, partners=[(key, user.full_name) for key, user in partners.items()])

    return pages.form_page(
        request,
        concern,
        make_form=make_form,
        save=lambda form: services.concern_share_with_hr(
            actor=user,
            concern=concern,
            partner=partners.get(form.cleaned_data["partner"]),
            question=form.cleaned_data["question"],
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_share_hr.html",
        message=lambda share: f"Concern {concern.reference} shared with {share.user.full_name} for advice.",
        redirect_to=reverse("concern_detail", args=[concern.pk]),
        context={"concern": concern},
    )


@login_required
def concern_hr_advice(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The HR business partner a concern was shared with adds their advice."""
    user = signed_in_user(request)
    concern = fetch.for_change(fetch.access_concern, user, concern_id, request, action="advise")
    return pages.form_page(
        request,
        concern,
        make_form=lambda record, data: HrAdviceForm(data),
        save=lambda form: services.concern_hr_advise(
            actor=user,
            concern=concern,
            advice=form.cleaned_data["advice"],
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_hr_advice.html",
        message=f"Your advice on concern {concern.reference} has been added.",
        redirect_to=reverse("concern_detail", args=[concern.pk]),
        context={"concern": concern, "questions": list(concern.hr_shares.filter(user=user))},
    )
