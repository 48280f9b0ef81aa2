"""Pages for concerns: the list and its search, sharing one, triage and the low-level concern record."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.chronology.panels import chronology_context
from threshold.concerns import presenters, selectors, services, sign_off_presenters
from threshold.concerns.forms import (
    MYSELF,
    SOMEONE_ELSE,
    LowLevelRecordForm,
    ShareConcernForm,
    TriageForm,
)
from threshold.concerns.models import Concern, ConcernStatus, Decision, HeadSignOff, MatrixColumn, Routing
from threshold.core import pages, submissions
from threshold.core.forms import apply_validation_error
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.documents.panels import documents_context
from threshold.people.panels import hidden_context

# The session key holding the latest search of the concerns and the token its pages are reached by.
SAVED_SEARCH = "concern_search"


def _search_query(request: HttpRequest) -> tuple[str, str]:
    """The name searched for and the token of its saved search ("" and "" for the whole list).

    Searches are POSTed: an adult's name must never sit in a URL, a log line or browser history. The name is
    kept in the person's session (on the server) under a random token, so the later pages of the results are
    ``?results=<token>&page=2``, which name nobody (as the LADO search's are).
    """
    if request.method == "POST":
        query = request.POST.get("q", "").replace("\x00", "").strip()[:200]
        if not query:
            request.session.pop(SAVED_SEARCH, None)
            return "", ""
        token = secrets.token_urlsafe(12)
        request.session[SAVED_SEARCH] = {"token": token, "query": query}
        return query, token
    saved: Any = request.session.get(SAVED_SEARCH)
    token = request.GET.get("results", "")
    if not isinstance(saved, dict) or not token or not secrets.compare_digest(str(saved.get("token", "")), token):
        return "", ""
    return str(saved.get("query") or ""), token


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    """The concerns this person handles, a page at a time, searchable by the name of the adult concerned."""
    query, token = _search_query(request)
    page = page_of(selectors.concerns_handled(signed_in_user(request), query=query), request)
    if token:
        # The page's links name the saved search, never the name searched for.
        page = dataclasses.replace(page, query=(("results", token),))
    rows = page.rows
    audit_listed(
        context=AuditContext.from_request(request),
        action="records.searched" if query else "records.listed",
        record_type="concern",
        list_name="concerns",
        ids=[row.pk for row in rows],
        details={"query": query},
    )
    membership = getattr(request, "membership", None)
    return render(
        request,
        "concerns/concern_list.html",
        {
            "concerns": rows,
            # The tier the pack advised once triaged, its short name ("Tier 2"), read with the row
            # (``concerns_handled`` joins the triage); the decision itself is the status.
            "tiers": {
                row.pk: str(row.triage.result.get("level_title", "")).split(":")[0]
                for row in rows
                if hasattr(row, "triage")
            },
            "page": page,
            "query": query,
            "may_share": selectors.may_share(membership),
            "may_review": bool(selectors.review_organisations(signed_in_user(request))),
        },
    )


@login_required
def concern_export(request: HttpRequest) -> HttpResponse:
    """The old address of the concerns' CSV: every list leaves as a spreadsheet one way (``threshold.reports``)."""
    return redirect("export_concerns", file_format="csv")


@login_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    """One concern: in full for those who handle it, or the reporter's own report only."""
    user = signed_in_user(request)
    if fetch.visible_concerns(user, "view").filter(pk=concern_id).exists():
        concern = fetch.access_concern(user, concern_id, "view", request=request)
        may_change = fetch.can(user, "change", concern)
        context = {
            "concern": concern,
            "may_change": may_change,
            "prior": _prior_listed(request, concern),
            "escalated_reference": _allegation_reference(user, concern.escalated_to_id),
            "triage_allegation_reference": _allegation_reference(
                user, getattr(getattr(concern, "triage", None), "allegation_id", None)
            ),
            **presenters.concern_record(concern),
            **sign_off_presenters.detail_context(user=user, concern=concern, may_change=may_change),
            "hidden": hidden_context(user=user, record=concern, record_type="concern"),
            **chronology_context(record=concern, record_type="concern", can_add=may_change),
            **documents_context(user=user, record=concern, record_type="concern", can_upload=may_change),
        }
        return render(request, "concerns/concern_detail.html", context)
    concern = fetch.access_concern(user, concern_id, "view_report", request=request)
    governance = getattr(concern, "details", None) is not None and concern.details.routing == Routing.GOVERNANCE
    lado_note = presenters.lado_note(concern.organisation) if governance else ""
    governance_text, governance_reached = presenters.governance_receipt(concern.organisation, concern.subject)
    return render(
        request,
        "concerns/concern_report.html",
        {"concern": concern, "lado_note": lado_note, "governance_text": governance_text,
         "governance_reached": governance_reached},
    )  # fmt: skip


def _prior_listed(request: HttpRequest, concern: Concern) -> list[selectors.PriorConcern]:
    """The earlier concerns about the same adult the page lists, each a read: audited by name on the concern."""
    prior = selectors.prior_concerns(user=signed_in_user(request), concern=concern)
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="concern",
        record_id=concern.pk,
        organisation=concern.organisation,
        list_name="prior_concerns",
        ids=[earlier.concern.pk for earlier in prior],
    )
    return prior


def _allegation_reference(user: User, allegation_id: int | None) -> str:
    """The reference of an allegation the concern led to, when the reader may see it (else empty)."""
    if allegation_id is None:
        return ""
    references = fetch.visible_allegations(user, "view").filter(pk=allegation_id)
    return references.values_list("reference", flat=True).first() or ""


@login_required
def concern_my_reports(request: HttpRequest) -> HttpResponse:
    """The concerns this person shared with their name, a page at a time; anonymous ones store no reporter."""
    user = signed_in_user(request)
    page = page_of(
        fetch.visible_concerns(user, "view_report")
        .filter(reporter=user)
        .select_related("subject", "organisation")
        .order_by("-raised_on", "-pk"),
        request,
    )
    reports = page.rows
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="concern",
        list_name="my_reports",
        ids=[report.pk for report in reports],
    )
    return render(request, "concerns/concern_my_reports.html", {"reports": reports, "page": page})


def _concern_to_change(request: HttpRequest, concern_id: int) -> Any:
    """A concern the user may change, with the read of it audited like any other (the page shows it)."""
    return fetch.for_change(fetch.access_concern, signed_in_user(request), concern_id, request)


def _sharing_membership(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if not selectors.may_share(membership):
        raise PermissionDenied("Only staff of a setting or trust share concerns here.")
    assert membership is not None
    return membership


@login_required
def concern_share(request: HttpRequest) -> HttpResponse:
    """Share a concern about an adult (appendix 2): a few minutes, with the spectrum of behaviour as guidance."""
    user = signed_in_user(request)
    membership = _sharing_membership(request)
    organisation = membership.organisation
    colleagues = {str(m.user_id): m for m in selectors.colleagues(organisation=organisation, actor=user)}
    choices = [(key, f"{m.user.full_name} ({m.get_role_display()})") for key, m in colleagues.items()]
    form = ShareConcernForm(request.POST or None, colleagues=choices, initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        about = data["about"]
        subject_user = user if about == MYSELF else (None if about == SOMEONE_ELSE else colleagues[about].user)
        try:
            concern = services.concern_share(
                actor=user,
                organisation=organisation,
                subject_user=subject_user,
                subject_name=data["subject_name"],
                subject_role=data["subject_role"]
                or (colleagues[about].get_role_display() if about in colleagues else ""),
                anonymous=data["anonymous"] == "yes",
                raised_on=data["raised_on"],
                how_arose=data["how_arose"],
                details=data["details"],
                headteacher_conflict=data["headteacher_conflict"],
                raised_by=data["raised_by"],
                subject_confirmation=data["subject_confirmation"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error, getattr(form, "error_field", None))
        else:
            # The receipt is shown in answer to the form rather than after a
            # redirect: nothing (not even the session) keeps the link between
            # an anonymous reporter and the reference. Its one-time token is
            # kept, so a refresh or a resend lands on the home page, shares
            # nothing again, and names no concern (ADR 0021).
            submissions.answered_in_place(request, repeat_location=reverse("home"))
            return render(
                request,
                "concerns/concern_receipt.html",
                {"reference": concern.reference, "routing": concern.details.get_routing_display(),
                 "routing_value": concern.details.routing, "anonymous": concern.is_anonymous,
                 "concern_id": concern.pk, "self_referral": concern.details.is_self_referral,
                 "lado_note": presenters.lado_note(organisation),
                 **dict(zip(("governance_text", "governance_reached"),
                            presenters.governance_receipt(organisation, concern.subject), strict=True))},
            )  # fmt: skip
    return render(
        request,
        "concerns/concern_share.html",
        {
            "form": form,
            "organisation": organisation,
            **presenters.guidance(organisation),
            **presenters.threshold_examples(organisation),
        },
    )


@login_required
def concern_triage(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Triage: the facts, the pack's advice, and the decision with its reasons (appendix 2, 7 and 8)."""
    user = signed_in_user(request)
    concern = _concern_to_change(request, concern_id)
    # A decision awaiting the head's sign-off is not triaged again until they send it back (ADR 0025).
    if concern.status != ConcernStatus.NEW or services.awaiting_sign_off(concern) is not None:
        return redirect("concern_detail", concern_id=concern.pk)
    prior = _prior_listed(request, concern)
    form = TriageForm(request.POST or None, initial={"version": concern.version})
    advice = None
    if request.method == "POST" and form.is_valid():
        raw = form.raw_facts()
        try:
            _, assessment = services.concern_assess(concern=concern, raw_facts=raw)
            advice = presenters.advice(assessment)
            if request.POST.get("step") == "decide":
                data = form.cleaned_data
                triage = services.concern_triage(
                    actor=user,
                    concern=concern,
                    expected_version=data["version"],
                    raw_facts=raw,
                    decision=data["decision"],
                    rationale=data["rationale"],
                    override_reason=data["override_reason"],
                    advice_hr=data["advice_hr"],
                    advice_trust=data["advice_trust"],
                    advice_lado=data["advice_lado"],
                    advice_notes=data["advice_notes"],
                    previous_concerns=bool(prior),
                    audit_context=AuditContext.from_request(request),
                )
                if isinstance(triage, HeadSignOff):
                    messages.success(request, "Decision sent to the headteacher to sign off.")
                    return redirect("concern_detail", concern_id=concern.pk)
                if triage.allegation is not None:
                    # What comes next is the allegation's (its steps, the LADO within one working day): land there.
                    messages.success(
                        request, f"Decision recorded: an allegation. Allegation {triage.allegation.reference} is open."
                    )
                    return redirect("allegation_detail", allegation_id=triage.allegation_id)
                messages.success(request, f"Decision recorded: {triage.get_decision_display().lower()}.")
                if triage.decision == Decision.LOW_LEVEL:
                    return redirect("concern_low_level", concern_id=concern.pk)
                return redirect("concern_detail", concern_id=concern.pk)
        except services.ConflictError as conflict:
            return concern_conflict(request, form, conflict.current)
        except ValidationError as error:
            form.apply_errors(error)
    return render(
        request,
        "concerns/concern_triage.html",
        {
            "concern": concern,
            "form": form,
            "advice": advice,
            "prior": prior,
            "decisions": Decision.choices,
            "non_recent_months": concern.organisation.pack_in_force().non_recent_after_months,
        },
    )


@login_required
def concern_low_level(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The low-level concern record: investigation, response, breach, further action; a stale form is given back."""
    user = signed_in_user(request)
    concern = _concern_to_change(request, concern_id)
    if concern.status != ConcernStatus.LOW_LEVEL:
        raise Http404("No such record.")
    return pages.form_page(
        request,
        concern,
        make_form=lambda record, data: _low_level_form(record, data, user),
        save=lambda form: services.low_level_record_save(
            actor=user,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            values=form.service_data(),
            audit_context=AuditContext.from_request(request),
        ),
        template="concerns/concern_low_level.html",
        message="Low-level concern record saved.",
        redirect_to=reverse("concern_detail", args=[concern.pk]),
        context={"concern": concern, "matrix_hint": _matrix_hint(user, concern), **presenters.concern_record(concern)},
        # The conflict is about the low-level record; the form is built from the concern as it is now.
        refetch=lambda: fetch.access_concern(user, concern.pk, "change"),
        conflict_heading=f"Someone else changed concern {concern.reference} after you opened the form",
    )


def _low_level_form(concern: Concern, data: Any, user: User) -> LowLevelRecordForm:
    """The low-level record form, loaded with the record as saved (version 0 when there is none yet)."""
    record = getattr(concern, "low_level_record", None)
    initial: dict[str, Any] = {"version": record.version if record else 0}
    if record is not None:
        for name in [*LowLevelRecordForm.base_fields, *LowLevelRecordForm.DATES]:
            if name != "version":
                initial[name] = getattr(record, name)
    if not initial.get("matrix_column"):
        initial["matrix_column"] = suggested_column(user, concern)
    return LowLevelRecordForm(data, initial=initial)


def _earlier_concerns(user: User, concern: Concern) -> int:
    """How many of the concerns the page lists about the same adult were raised before this one."""
    prior = selectors.prior_concerns(user=user, concern=concern)
    return sum(1 for item in prior if item.concern.raised_on <= concern.raised_on)


def suggested_column(user: User, concern: Concern) -> str:
    """The matrix column the earlier concerns suggest: a first incident is accidental, a further one neglectful.

    The earlier concerns are those the concern page already lists (``selectors.prior_concerns``, the same
    adult), raised before this one; the person can still choose the other column.
    """
    return MatrixColumn.NEGLECTFUL if _earlier_concerns(user, concern) else MatrixColumn.ACCIDENTAL


def _matrix_hint(user: User, concern: Concern) -> str:
    earlier = _earlier_concerns(user, concern)
    if not earlier:
        return "Suggested: accidental. No earlier concern about this adult is recorded, so this is a first incident."
    return f"Suggested: neglectful. {earlier} earlier concern{'s' if earlier > 1 else ''} about this adult recorded."


def concern_conflict(request: HttpRequest, form: Any, concern: Concern) -> HttpResponse:
    """Someone changed the concern after the triage form was loaded (409): nothing saved, what was typed shown back."""
    return pages.form_conflict_page(
        request,
        form,
        concern,
        heading=f"Someone else changed concern {concern.reference} after you opened the form",
        back=reverse("concern_detail", args=[concern.pk]),
        back_text="Go back to the concern and check before changing it again",
    )
