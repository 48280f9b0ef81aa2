"""Pages for confidentiality (section 7), the personnel file (section 8) and a review with no lessons (section 11)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import duties, services
from threshold.allegations.duty_forms import ConfidentialityForm, LessonsReviewForm, PersonnelFileForm
from threshold.allegations.models import Allegation
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext


@login_required
def allegation_confidentiality(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 7: who needs to know and what may be shared, as agreed, and the trust's press office."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.confidentiality_record(
            actor=user,
            allegation=allegation,
            agreed_on=data["agreed_on"],
            agreed_with=data.get("agreed_with") or [],
            who_needs_to_know=data["who_needs_to_know"],
            what_may_be_shared=data["what_may_be_shared"],
            speculation=data["speculation"],
            press_office_contacted_on=data["press_office_contacted_on"],
            press_office_not_contacted_reason=data["press_office_not_contacted_reason"],
            audit_context=AuditContext.from_request(request),
        )

    def make_form(allegation: Allegation, data: Any) -> ConfidentialityForm:
        current = duties.confidentiality(allegation)
        initial: dict[str, Any] = {"agreed_on": timezone.localdate()}
        if current is not None:
            initial = {
                "agreed_on": current.agreed_on,
                "agreed_with": current.agreed_with,
                "who_needs_to_know": current.who_needs_to_know,
                "what_may_be_shared": current.what_may_be_shared,
                "speculation": current.speculation,
                "press_office_contacted_on": current.press_office_contacted_on,
                "press_office_not_contacted_reason": current.press_office_not_contacted_reason,
            }
        return ConfidentialityForm(data, initial=initial, allegation=allegation)

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/confidentiality_form.html",
        message="Confidentiality arrangements saved.",
        anchor="confidentiality",
        context=lambda allegation, form: {"press_office": duties.press_office_applies(allegation)},
    )


@login_required
def allegation_personnel_file(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 8: a malicious or false allegation archived from the personnel file, or kept with consent."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: PersonnelFileForm(data),
        save=lambda user, allegation, form: services.personnel_file_record(
            actor=user,
            allegation=allegation,
            choice=form.cleaned_data["choice"],
            decided_on=form.cleaned_data["decided_on"],
            done_by=form.cleaned_data["done_by"],
            notes=form.cleaned_data["notes"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/personnel_file_form.html",
        message="Personnel file decision saved.",
        anchor="personnel-file",
    )


@login_required
def allegation_lessons_review(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 11: the case reviewed with the LADO and the headteacher, and no improvements found."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: LessonsReviewForm(data, initial={"reviewed_on": timezone.localdate()}),
        save=lambda user, allegation, form: services.lessons_review_record(
            actor=user,
            allegation=allegation,
            reviewed_on=form.cleaned_data["reviewed_on"],
            reviewed_with=form.cleaned_data["reviewed_with"],
            notes=form.cleaned_data["notes"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/lessons_review_form.html",
        message="Review recorded: no lessons learned.",
        anchor="lessons",
    )
