"""Concluding a case (outcome with the pack's definitions beside, referrals confirmed or explained) and closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.errors import ConflictError
from threshold.core.http import signed_in_user
from threshold.lado.forms.monitoring import CloseForm, ConclusionForm
from threshold.lado.models import Case
from threshold.lado.selectors import lado_pack
from threshold.lado.services.conclusion import body_questions, case_close, case_conclude, outcome_definitions
from threshold.lado.views.case_forms import case_for_change
from threshold.lado.views.meeting_pages import case_page


def _conflict(request: HttpRequest, conflict: ConflictError, form: Any) -> HttpResponse:
    """Someone changed the case after the form was loaded: nothing saved; what was typed is shown back (409)."""
    case = conflict.current
    return pages.form_conflict_page(
        request,
        form,
        case,
        heading=f"Someone else changed LADO case {case.reference} after you opened the form",
        back=case_page(case, "conclusion"),
        back_text="Go back to the case",
    )


def _initial(case: Case, questions: list[Any]) -> dict[str, Any]:
    """The version, today's date, and any referral already recorded on the case."""
    initial: dict[str, Any] = {"version": case.version, "concluded_on": timezone.localdate()}
    for question in questions:
        earlier = question.earlier
        if earlier is None:
            continue
        initial[f"{question.body}_referred"] = "yes" if earlier.referred else "no"
        initial[f"{question.body}_referred_on"] = earlier.referred_on
        initial[f"{question.body}_reference"] = earlier.reference
        initial[f"{question.body}_explanation"] = earlier.explanation
    return initial


@login_required
def case_conclusion(request: HttpRequest, case_id: int) -> HttpResponse:
    """Conclude the case: the outcome (definitions beside), its date, referrals, lessons; sent to the employer."""
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    # The referral advice follows the outcome chosen (a substantiated outcome raises the DBS and TRA).
    outcome = request.POST.get("outcome", "") if request.method == "POST" else ""
    questions = body_questions(case, outcome)
    bodies = [question.body for question in questions]
    form = ConclusionForm(
        request.POST if request.method == "POST" else None, bodies=bodies, initial=_initial(case, questions)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_conclude(
                actor=user,
                case=case,
                outcome=data["outcome"],
                concluded_on=data["concluded_on"],
                summary=data["summary"],
                lessons=data["lessons"],
                referrals=form.referrals(),
                expected_version=data["version"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError as conflict:
            return _conflict(request, conflict, form)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Case concluded. The outcome has been sent to the employer's record.")
            return redirect(case_page(case, "conclusion"))
    choices, definitions_note = outcome_definitions(lado_pack(case.local_authority))
    return render(
        request,
        "lado/monitoring/conclude.html",
        {
            "case": case,
            "form": form,
            "back": case_page(case, "conclusion"),
            "outcome_hints": {choice.value: choice.definition for choice in choices},
            "definitions_source": "; ".join(dict.fromkeys(choice.source for choice in choices if choice.source)),
            "definitions_note": definitions_note,
            "questions": questions,
            "sent_to_employer": bool(case.contact is not None and case.contact.allegation_id),
        },
    )


@login_required
def case_closure(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close a concluded case, after confirming; an open case is concluded first."""
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    form = CloseForm(request.POST if request.method == "POST" else None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            case_close(
                actor=user,
                case=case,
                expected_version=form.cleaned_data["version"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError as conflict:
            return _conflict(request, conflict, form)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Case closed.")
            return redirect(case_page(case, "conclusion"))
    return render(
        request,
        "lado/monitoring/close.html",
        {"case": case, "form": form, "back": case_page(case, "conclusion"), "conclusion": case.conclusions.first()},
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/conclude/", case_conclusion, name="case_conclusion"),
    path("lado/cases/<record:case_id>/close/", case_closure, name="case_closure"),
]
