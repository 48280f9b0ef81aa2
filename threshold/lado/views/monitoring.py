"""Timescales, Tier 2 monitoring, the employer's progress, quality assurance and reviews of delay.

The case page shows ``monitoring_panel``; the forms here change the case
through ``threshold.lado.services`` (the conclusion and closure pages are in
``threshold.lado.views.conclusion``, whose URLs are listed here too). The
employer's progress is read from the linked allegation with the access action
``view_referred``, on its own page, so each look at the employer's record is
one audited read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation, Step
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.core.querysets import latest_of_kind
from threshold.lado.forms.monitoring import (
    CompleteReviewForm,
    DelayReviewForm,
    QualityAssuranceForm,
    ScheduleReviewForm,
)
from threshold.lado.models import Case, CaseStatus, Level
from threshold.lado.selectors import case_deadlines, case_open_deadlines, delay_review_state, three_months_wording
from threshold.lado.services.deadlines import STEP_KINDS
from threshold.lado.services.monitoring import (
    case_quality_assure,
    monitoring_complete_review,
    monitoring_schedule_review,
)
from threshold.lado.services.timescales import case_record_delay_review
from threshold.lado.views import conclusion
from threshold.lado.views.case_forms import case_for_change, case_form_page
from threshold.lado.views.meeting_pages import case_page

TIER_2_PROTOCOL = (
    "In such cases the employer is best placed to manage the matter to its conclusions. The LADO is however "
    "available and actively monitors timescales and quality assures the outcome."
)


def employer_allegation(user: User, case: Case, request: HttpRequest) -> Allegation | None:
    """The employer's allegation behind the case, if it was referred in Threshold and this user may follow it."""
    if not employer_linked(user, case):
        return None
    assert case.contact is not None
    return fetch.access_allegation(user, case.contact.allegation_id, "view_referred", request=request)


def employer_linked(user: User, case: Case) -> bool:
    """Whether the case came from an employer's referral in Threshold that this user may follow (no read yet)."""
    allegation_id = case.contact.allegation_id if case.contact is not None else None
    return (
        allegation_id is not None and fetch.visible_allegations(user, "view_referred").filter(pk=allegation_id).exists()
    )


def employer_progress(allegation: Allegation) -> dict[str, Any]:
    """What the employer has recorded: the latest record of each step, progress updates and the outcome."""
    latest = {record.step: record for record in latest_of_kind(allegation.step_records.all(), "step")}
    return {
        "progress_allegation": allegation,
        "progress_steps": [(label, latest.get(value)) for value, label in Step.choices],
        "progress_updates": list(allegation.progress_updates.all()),
        "progress_outcome": allegation.outcomes.last(),
    }


def _close_url(deadline_id: int) -> str | None:
    """The "not needed, because…" page for a stored deadline (the timescales app's), where the tree has it."""
    try:
        return reverse("deadline_close", args=[deadline_id])
    except NoReverseMatch:
        return None


def open_steps(user: User, case: Case, *, may_change: bool) -> list[dict[str, Any]]:
    """The case's open stored deadlines: what is due, by when, where it stands, and (for a step) "not needed"."""
    today = timezone.localdate()
    return [
        {
            "label": deadline.label,
            "due_on": deadline.due_on,
            "status": deadline.status_on(today),
            "close_url": _close_url(deadline.pk) if may_change and deadline.kind in STEP_KINDS else None,
        }
        for deadline in case_open_deadlines(user, case)
    ]


def monitoring_panel(user: User, case: Case, *, may_change: bool | None = None) -> dict[str, Any]:
    """Context for ``lado/case/_monitoring.html``: timescales, monitoring, quality assurance, conclusion.

    ``may_change``: whether the user may change the case, when the caller has asked already (the case page).
    """
    may_change = fetch.can(user, "change", case) if may_change is None else may_change
    return {
        "monitoring_open_steps": open_steps(user, case, may_change=may_change),
        "monitoring_deadlines": case_deadlines(case),
        "monitoring_delay": delay_review_state(case),
        "monitoring_reviews": list(case.monitoring_reviews.all()),
        "monitoring_quality": list(case.quality_assurances.all()),
        "monitoring_conclusion": case.conclusions.first(),
        "monitoring_employer_linked": employer_linked(user, case),
        "monitoring_tier_2": case.tier == Level.TIER_2,
        "monitoring_open": case.status == CaseStatus.OPEN,
        "monitoring_may_change": may_change,
        "monitoring_protocol": TIER_2_PROTOCOL,
    }


@login_required
def monitoring_schedule(request: HttpRequest, case_id: int) -> HttpResponse:
    """Schedule a Tier 2 monitoring review."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: ScheduleReviewForm(data),
        save=lambda user, case, form: monitoring_schedule_review(
            actor=user, case=case, due_on=form.cleaned_data["due_on"], audit_context=AuditContext.from_request(request)
        ),
        template="lado/monitoring/schedule.html",
        message="Monitoring review scheduled.",
        anchor="monitoring",
        context=lambda user, case: {"protocol": TIER_2_PROTOCOL},
    )


@login_required
def monitoring_complete(request: HttpRequest, case_id: int, review_id: int) -> HttpResponse:
    """Record a monitoring review done, with what it found; a stale form is given back with the notes typed (409)."""
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    review = case.monitoring_reviews.filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return pages.form_page(
        request,
        review,
        make_form=lambda record, data: CompleteReviewForm(
            data,
            initial={
                "version": record.version,
                "done_on": record.done_on or timezone.localdate(),
                "notes": record.notes,
            },
        ),
        save=lambda form: monitoring_complete_review(
            actor=user,
            review=review,
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
            done_on=form.cleaned_data["done_on"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/monitoring/complete.html",
        message="Monitoring review recorded.",
        conflict_heading="Someone else recorded this review after you opened the form",
        redirect_to=case_page(case, "monitoring"),
        context={"case": case, "review": review, "back": case_page(case, "monitoring")},
    )


@login_required
def case_employer_progress(request: HttpRequest, case_id: int) -> HttpResponse:
    """The employer's progress on the allegation the case came from, read-only, for the LADO service."""
    user = signed_in_user(request)
    case = fetch.access_case(user, case_id, "view", request=request)
    allegation = employer_allegation(user, case, request)
    context: dict[str, Any] = {"case": case, "back": case_page(case, "monitoring"), "progress_allegation": None}
    if allegation is not None:
        context.update(employer_progress(allegation))
    return render(request, "lado/monitoring/progress.html", context)


@login_required
def case_quality_assurance(request: HttpRequest, case_id: int) -> HttpResponse:
    """Accept or challenge the employer's outcome, with the employer's outcome in view where Threshold holds it."""

    def context(user: User, case: Case) -> dict[str, Any]:
        allegation = employer_allegation(user, case, request)
        progress = employer_progress(allegation) if allegation is not None else {"progress_allegation": None}
        return {**progress, "protocol": TIER_2_PROTOCOL}

    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: QualityAssuranceForm(data),
        save=lambda user, case, form: case_quality_assure(
            actor=user,
            case=case,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/monitoring/quality.html",
        message="Quality assurance recorded.",
        anchor="quality-assurance",
        context=context,
    )


@login_required
def case_delay_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """The monthly review of a case past three months, with the reason for delay."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: DelayReviewForm(data, initial={"reviewed_on": timezone.localdate()}),
        save=lambda user, case, form: case_record_delay_review(
            actor=user,
            case=case,
            reason=form.cleaned_data["reason"],
            reviewed_on=form.cleaned_data["reviewed_on"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/monitoring/delay.html",
        message="Review of delay recorded.",
        anchor="timescales",
        context=lambda user, case: {"delay": delay_review_state(case), "delay_wording": three_months_wording(case)},
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/monitoring/schedule/", monitoring_schedule, name="monitoring_schedule"),
    path(
        "lado/cases/<record:case_id>/monitoring/<record:review_id>/",
        monitoring_complete,
        name="monitoring_complete",
    ),
    path("lado/cases/<record:case_id>/employer-progress/", case_employer_progress, name="case_employer_progress"),
    path("lado/cases/<record:case_id>/quality-assurance/", case_quality_assurance, name="case_quality_assurance"),
    path("lado/cases/<record:case_id>/delay-review/", case_delay_review, name="case_delay_review"),
    *conclusion.urlpatterns,
]
