"""Suspension risk assessment (appendix 3), support for the adult (section 6.2) and the police."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import selectors, services
from threshold.allegations.forms import MAX_RISK_ROWS, RISK_FIELDS, RISK_ROWS
from threshold.allegations.models import Allegation
from threshold.allegations.suspension_forms import PoliceForm, ProgressUpdateForm, RiskAssessmentForm, SupportForm
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext


def _alternatives(allegation: Allegation) -> list[str]:
    alternatives = [
        text for text in services.pack_for(allegation).suspension.alternatives if "not exhaustive" not in text
    ]
    return [*alternatives, "Any other option considered (say which)."]


def _row_count(data: Any) -> int:
    """How many rows the page had (a hidden field), never fewer than appendix 3's three or more than the cap."""
    try:
        count = int(data.get("row_count") or RISK_ROWS)
    except (TypeError, ValueError):
        count = RISK_ROWS
    return max(RISK_ROWS, min(count, MAX_RISK_ROWS))


def _from_latest(allegation: Allegation, alternatives: list[str]) -> tuple[dict[str, Any], int]:
    """A review starts from the latest assessment: its context, rows, notes, period and alternatives."""
    latest = selectors.last_recorded(allegation.risk_assessments.prefetch_related("rows"))
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    if latest is None:
        return initial, RISK_ROWS
    rows = list(latest.rows.all())
    initial |= {
        "context": latest.context,
        "additional_notes": latest.additional_notes,
        "period_for_measures": latest.period_for_measures,
    }
    for i, row in enumerate(rows):
        initial |= {f"row_{i}_{field}": getattr(row, field) for field in RISK_FIELDS}
    previous = {item.get("text"): item for item in latest.alternatives}
    for i, text in enumerate(alternatives):
        if text in previous:
            initial[f"alternative_{i}_used"] = bool(previous[text].get("used"))
            initial[f"alternative_{i}_reason"] = previous[text].get("reason", "")
    # One spare row below the ones carried over.
    return initial, max(RISK_ROWS, min(len(rows) + 1, MAX_RISK_ROWS))


@login_required
def allegation_risk_assessment(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 3: the suspension risk assessment, the section 6.1 alternatives and the decision."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.risk_assessment_record(
            actor=user,
            allegation=allegation,
            rows=form.rows(),
            context=data["context"],
            additional_notes=data["additional_notes"],
            period_for_measures=data["period_for_measures"],
            review_on=data["review_on"],
            alternatives=form.alternatives(),
            decision=data["decision"],
            decided_on=data["decided_on"],
            decision_reason=data["decision_reason"],
            hr_discussed_on=data["hr_discussed_on"],
            lado_reviewed_on=data["lado_reviewed_on"],
            not_discussed_reason=data["not_discussed_reason"],
            audit_context=AuditContext.from_request(request),
        )

    def make_form(allegation: Allegation, data: Any) -> RiskAssessmentForm:
        alternatives = _alternatives(allegation)
        if data is not None:
            return RiskAssessmentForm(
                data, alternatives=alternatives, row_count=_row_count(data), allegation=allegation
            )
        initial, rows = _from_latest(allegation, alternatives)
        return RiskAssessmentForm(alternatives=alternatives, initial=initial, row_count=rows)

    def add_row(allegation: Allegation, data: Any) -> RiskAssessmentForm | None:
        # "Add another row": the same answers shown again, unsaved and without errors, with one more row.
        if "add_row" not in data:
            return None
        typed = {name: data.get(name) for name in data if name not in ("csrfmiddlewaretoken", "add_row")}
        typed.pop("row_count", None)
        return RiskAssessmentForm(alternatives=_alternatives(allegation), initial=typed, row_count=_row_count(data) + 1)

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/risk_assessment_form.html",
        message="Suspension risk assessment recorded.",
        anchor="suspension",
        context=lambda allegation, form: {
            "risk_rows": range(form.row_count),
            "can_add_row": form.row_count < MAX_RISK_ROWS,
        },
        redisplay=add_row,
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
            objection=data["objection"],
            objection_detail=data["objection_detail"],
            opened_at=data["version"],
            audit_context=AuditContext.from_request(request),
        )

    def make_form(allegation: Allegation, data: Any) -> SupportForm:
        current = selectors.last_recorded(allegation.support_records.all())
        initial: dict[str, Any] = {"version": 0}
        if current is not None:
            shown = [name for name in SupportForm.base_fields if name != "version"]
            initial = {name: getattr(current, name) for name in shown} | {
                "informed_on": current.informed_on,
                "version": current.pk,
            }
        return SupportForm(data, initial=initial, allegation=allegation)

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
            audit_context=AuditContext.from_request(request),
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
        make_form=lambda allegation, data: PoliceForm(data, allegation=allegation),
        save=lambda user, allegation, form: services.police_record(
            actor=user,
            allegation=allegation,
            involved=form.cleaned_data["involved"],
            police_reference=form.cleaned_data["police_reference"],
            consent_to_share=form.cleaned_data["consent_to_share"],
            proceedings_authorised=form.cleaned_data["proceedings_authorised"],
            notes=form.cleaned_data["notes"],
            next_review_on=form.cleaned_data["next_review_on"],
            information_shared=form.cleaned_data["information_shared"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/police_form.html",
        message="Police involvement recorded.",
        anchor="police",
    )
