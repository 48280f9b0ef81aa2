"""Concluding a case (outcome with the pack's definitions beside, referrals confirmed or explained) and closing it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.lado.forms.monitoring import CloseForm, ConclusionForm
from threshold.lado.models import Case
from threshold.lado.presenters.dataset_missing import missing_href
from threshold.lado.selectors import lado_pack
from threshold.lado.services.closing_rules import TIER_1_PROTOCOL, closing_rules
from threshold.lado.services.conclusion import body_questions, case_close, case_conclude, outcome_definitions
from threshold.lado.services.dataset_missing import missing_at_conclusion
from threshold.lado.views.case_forms import case_for_change
from threshold.lado.views.meeting_pages import case_page


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

    def make_form(record: Case, data: Any) -> ConclusionForm:
        # The referral advice follows the outcome chosen (a substantiated outcome raises the DBS and TRA). The
        # reasons asked follow the case as ``record`` holds it: on the conflict page, as someone else left it.
        questions = body_questions(record, _outcome(data), _answer(data, "regulated_activity"))
        rules, missing = closing_rules(record), missing_at_conclusion(record)
        return ConclusionForm(
            data,
            case=record,
            bodies=[question.body for question in questions],
            meeting_reason=rules.meeting_needed,
            quality_assurance_reason=rules.quality_assurance_needed,
            missing=[item.key for item in missing],
            initial=_initial(record, questions),
        )

    def context(form: ConclusionForm) -> dict[str, Any]:
        choices, definitions_note = outcome_definitions(lado_pack(case.local_authority))
        rules, missing = closing_rules(form.case), missing_at_conclusion(form.case)
        return {
            "case": case,
            "back": case_page(case, "conclusion"),
            "outcome_hints": {choice.value: choice.definition for choice in choices},
            "definitions_source": "; ".join(dict.fromkeys(choice.source for choice in choices if choice.source)),
            "definitions_note": definitions_note,
            "questions": body_questions(
                case,
                _outcome(form.data if form.is_bound else None),
                _answer(form.data if form.is_bound else None, "regulated_activity"),
            ),
            "sent_to_employer": bool(case.contact is not None and case.contact.allegation_id),
            "rules": rules,
            "tier_1_protocol": TIER_1_PROTOCOL,
            "missing_items": [
                {"field": form[f"missing_{item.key}"], "label": item.label, "href": missing_href(case, item)}
                for item in missing
            ],
        }

    def save(form: ConclusionForm) -> object:
        data = form.cleaned_data
        return case_conclude(
            actor=user,
            case=case,
            outcome=data["outcome"],
            concluded_on=data["concluded_on"],
            summary=data["summary"],
            lessons=data["lessons"],
            referrals=form.referrals(),
            expected_version=data["version"],
            **form.reasons(),
            regulated_activity=data.get("regulated_activity") or "",
            missing_reasons=form.missing_reasons(),
            audit_context=AuditContext.from_request(request),
        )

    return pages.form_page(
        request,
        case,
        make_form=make_form,
        save=save,
        template="lado/monitoring/conclude.html",
        message="Case concluded. The outcome has been sent to the employer's record.",
        conflict_heading=f"Someone else changed LADO case {case.reference} after you opened the form",
        redirect_to=case_page(case, "conclusion"),
        context=context,
    )


def _outcome(data: Any) -> str:
    """The outcome a posted conclusion form chose, if any."""
    return _answer(data, "outcome")


def _answer(data: Any, name: str) -> str:
    """What a posted conclusion form answered to ``name`` (the referral advice follows it), if anything."""
    return str(data.get(name, "")) if data is not None else ""


@login_required
def case_closure(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close a concluded case, after confirming; an open case is concluded first."""
    user = signed_in_user(request)
    case = case_for_change(request, user, case_id)
    return pages.form_page(
        request,
        case,
        make_form=lambda record, data: CloseForm(data, initial={"version": record.version}),
        save=lambda form: case_close(
            actor=user,
            case=case,
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/monitoring/close.html",
        message="Case closed.",
        conflict_heading=f"Someone else changed LADO case {case.reference} after you opened the form",
        redirect_to=case_page(case, "conclusion"),
        context={"case": case, "back": case_page(case, "conclusion"), "conclusion": case.conclusions.first()},
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/conclude/", case_conclusion, name="case_conclusion"),
    path("lado/cases/<record:case_id>/close/", case_closure, name="case_closure"),
]
