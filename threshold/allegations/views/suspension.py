"""Suspension risk assessment (appendix 3), support for the adult (section 6.2) and the police."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import selectors, services
from threshold.allegations.forms import RISK_ROWS, PoliceForm, ProgressUpdateForm, RiskAssessmentForm, SupportForm
from threshold.allegations.models import Allegation
from threshold.allegations.views.common import form_page


def _alternatives(allegation: Allegation) -> list[str]:
    alternatives = [
        text for text in services.pack_for(allegation).suspension.alternatives if "not exhaustive" not in text
    ]
    return [*alternatives, "Any other option considered (say which)."]


@login_required
def allegation_risk_assessment(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 3: the suspension risk assessment, the section 6.1 alternatives and the decision."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.risk_assessment_record(
            actor=user,
            allegation=allegation,
            rows=form.rows(),
            additional_notes=data["additional_notes"],
            period_for_measures=data["period_for_measures"],
            review_on=data["review_on"],
            alternatives=form.alternatives(),
            decision=data["decision"],
            decided_on=data["decided_on"],
            decision_reason=data["decision_reason"],
            request=request,
        )

    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: RiskAssessmentForm(
            data, alternatives=_alternatives(allegation), initial={"decided_on": timezone.localdate()}
        ),
        save=save,
        template="allegations/risk_assessment_form.html",
        message="Suspension risk assessment recorded.",
        anchor="suspension",
        context=lambda allegation, form: {"risk_rows": range(RISK_ROWS)},
    )


@login_required
def allegation_support(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 6.2: informing and supporting the adult."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.support_record(
            actor=user,
            allegation=allegation,
            informed_on=data["informed_on"],
            informed_of=data["informed_of"],
            representative_name=data["representative_name"],
            representative_contact=data["representative_contact"],
            union_advised=data["union_advised"],
            eap_offered=data["eap_offered"],
            occupational_health_offered=data["occupational_health_offered"],
            request=request,
        )

    def make_form(allegation: Allegation, data: Any) -> SupportForm:
        current = selectors.latest(allegation.support_records.all())
        initial = {}
        if current is not None:
            initial = {name: getattr(current, name) for name in SupportForm.base_fields} | {
                "informed_on": current.informed_on
            }
        return SupportForm(data, initial=initial)

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/support_form.html",
        message="Support for the adult recorded.",
        anchor="support",
    )


@login_required
def allegation_progress_update(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Log a progress update given to the adult."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: ProgressUpdateForm(data, initial={"given_on": timezone.localdate()}),
        save=lambda user, allegation, form: services.progress_update_add(
            actor=user,
            allegation=allegation,
            given_on=form.cleaned_data["given_on"],
            text=form.cleaned_data["text"],
            request=request,
        ),
        template="allegations/progress_update_form.html",
        message="Progress update logged.",
        anchor="support",
    )


@login_required
def allegation_police(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Police involvement (pauses the internal investigation) and consent to share statements."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: PoliceForm(data),
        save=lambda user, allegation, form: services.police_record(
            actor=user,
            allegation=allegation,
            involved=form.cleaned_data["involved"],
            police_reference=form.cleaned_data["police_reference"],
            consent_to_share=form.cleaned_data["consent_to_share"],
            proceedings_authorised=form.cleaned_data["proceedings_authorised"],
            notes=form.cleaned_data["notes"],
            request=request,
        ),
        template="allegations/police_form.html",
        message="Police involvement recorded.",
        anchor="police",
    )
