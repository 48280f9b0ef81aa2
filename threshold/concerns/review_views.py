"""Pages for termly pattern reviews: the list, starting one, findings per adult, and escalating a pattern."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.concerns import selectors, services
from threshold.concerns.forms import (
    PatternFindingForm,
    PatternReviewCompleteForm,
    PatternReviewStartForm,
    ThresholdForm,
)
from threshold.core import pages
from threshold.core.forms import apply_validation_error
from threshold.core.http import signed_in_user


def _reviewer_organisations(request: HttpRequest) -> list[Any]:
    organisations = selectors.review_organisations(signed_in_user(request))
    if not organisations:
        raise PermissionDenied("Only headteachers, DSLs and directors of school review concerns.")
    return organisations


@login_required
def pattern_review_list(request: HttpRequest) -> HttpResponse:
    """Pattern reviews for each organisation this person reviews, and when the next is due."""
    organisations = _reviewer_organisations(request)
    user = signed_in_user(request)
    rows: list[dict[str, Any]] = [
        {
            "organisation": due.organisation,
            "due": due.due,
            "reviews": selectors.reviews_of(user=user, organisation=due.organisation),
        }
        for due in selectors.reviews_due(user=user, organisations=organisations)
    ]
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="pattern_review",
        list_name="pattern_reviews",
        ids=[review.pk for row in rows for review in row["reviews"]],
    )
    return render(request, "concerns/pattern_review_list.html", {"rows": rows})


@login_required
def pattern_review_start(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Start a review of a period (by default, the current school term)."""
    organisations = {org.pk: org for org in _reviewer_organisations(request)}
    if organisation_id not in organisations:
        raise Http404("No such organisation.")
    organisation = organisations[organisation_id]
    term = selectors.term_of(timezone.localdate())
    form = PatternReviewStartForm(
        request.POST or None,
        initial={"period_start": term.start, "period_end": term.end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.pattern_review_start(
                actor=signed_in_user(request),
                organisation=organisation,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error, getattr(form, "error_field", None))
        else:
            return redirect("pattern_review_detail", review_id=review.pk)
    return render(
        request, "concerns/pattern_review_start.html", {"form": form, "organisation": organisation, "term": term}
    )


@login_required
def pattern_review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """One review: the people with concerns in its period, a finding for each, and completing it."""
    user = signed_in_user(request)
    review = selectors.access_review(user=user, review_id=review_id)
    people = selectors.people_in_period(user=user, review=review)
    if request.method != "POST":
        # The page lists the adults and their concerns: the read is audited, as every record read is.
        shown = sorted(concern.pk for row in people for concern in row.concerns)
        fetch.audit_read(
            user=user,
            record=review,
            record_type="pattern_review",
            request=request,
            details={"people": len(people), "concerns": shown},
        )
    form: Any = None
    if request.method == "POST" and review.completed_at is None:
        if request.POST.get("action") == "complete":
            form = PatternReviewCompleteForm(request.POST)
            if form.is_valid():
                try:
                    services.pattern_review_complete(
                        actor=user,
                        review=review,
                        summary=form.cleaned_data["summary"],
                        audit_context=AuditContext.from_request(request),
                    )
                except ValidationError as error:
                    apply_validation_error(form, error, getattr(form, "error_field", None))
                else:
                    messages.success(request, "Review completed.")
                    return redirect("pattern_review_detail", review_id=review.pk)
        else:
            form = PatternFindingForm(request.POST)
            if form.is_valid():
                person = next((row.subject for row in people if row.subject.pk == form.cleaned_data["subject"]), None)
                if person is None:
                    raise Http404("No such person in this review.")
                try:
                    services.pattern_finding_record(
                        actor=user,
                        review=review,
                        subject=person,
                        pattern_found=form.cleaned_data["pattern_found"] == "yes",
                        findings=form.cleaned_data["findings"],
                        audit_context=AuditContext.from_request(request),
                    )
                except ValidationError as error:
                    apply_validation_error(form, error, getattr(form, "error_field", None))
                else:
                    messages.success(request, "Findings recorded.")
                    return redirect("pattern_review_detail", review_id=review.pk)
    # An escalated finding's allegation, by its reference where the reader may open it (never its database id).
    escalated = [row.finding.allegation_id for row in people if row.finding is not None and row.finding.allegation_id]
    escalated_references = dict(
        fetch.visible_allegations(user, "view").filter(pk__in=escalated).values_list("pk", "reference")
    )
    return render(
        request,
        "concerns/pattern_review_detail.html",
        {
            "review": review,
            "people": people,
            "form": form,
            "posted_subject": request.POST.get("subject"),
            "escalated_references": escalated_references,
        },
    )


@login_required
def pattern_finding_escalate(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Escalate a pattern to an allegation and a started LADO referral, the harm threshold answered again.

    Then the referral's data set is completed. Shown only to those who may open the review, never about themselves.
    """
    user = signed_in_user(request)
    finding = selectors.access_finding(user=user, finding_id=finding_id)
    if finding.allegation_id is not None or not finding.pattern_found:
        # Nothing to answer: the review's page says what became of the finding (and links its allegation).
        done = "This pattern has already been escalated" if finding.allegation_id else "Only a pattern can be escalated"
        messages.error(request, f"{done}.")
        return redirect("pattern_review_detail", review_id=finding.review_id)
    if request.method != "POST":
        # The page shows the finding and whom it is about: a read of the review, audited as the review's page is.
        fetch.audit_read(
            user=user,
            record=finding.review,
            record_type="pattern_review",
            request=request,
            details={"finding": finding.pk},
        )
    return pages.form_page(
        request,
        finding,
        make_form=lambda record, data: ThresholdForm(data),
        save=lambda form: services.pattern_finding_escalate(
            actor=user,
            finding=finding,
            threshold_answers=form.threshold_answers(),
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/pattern_escalate.html",
        message=lambda allegation: (
            f"Allegation {allegation.reference} opened and the referral to the LADO started."
            " Complete the referral's data set."
        ),
        redirect_to=lambda allegation: reverse("allegation_referral", args=[allegation.pk]),
        context={"finding": finding},
    )
