"""The outcome (sections 6.3, 6.5), the record kept on file (section 8) and lessons learned (section 11)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations import selectors, services
from threshold.allegations.forms import FileRecordForm, FollowUpForm, LessonForm, OutcomeForm
from threshold.allegations.models import Allegation, FollowUpBody
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.core.vocabularies import Outcome


@login_required
def allegation_outcome(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 6.3 and 6.5: the report, the outcome with the pack's definitions, and the specific actions."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.outcome_record(
            actor=user,
            allegation=allegation,
            report=data["report"],
            outcome=data["outcome"],
            concluded_on=data["concluded_on"],
            removed_from_regulated_activity=data["removed_from_regulated_activity"],
            resigned_before_conclusion=data["resigned_before_conclusion"],
            disciplinary_route=data["disciplinary_route"],
            dbs_referred_on=data["dbs_referred_on"],
            dbs_reference=data["dbs_reference"],
            tra_referred_on=data["tra_referred_on"],
            tra_reference=data["tra_reference"],
            return_to_work=data["return_to_work"],
            malicious_action=data["malicious_action"],
            child_support=data["child_support"],
            audit_context=AuditContext.from_request(request),
        )

    def context(allegation: Allegation, form: Any) -> dict[str, Any]:
        pack = services.pack_for(allegation)
        data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        advice = services.outcome_advice(
            allegation=allegation,
            outcome=data.get("outcome") or "substantiated",
            removed=bool(data.get("removed_from_regulated_activity", True)),
            resigned=bool(data.get("resigned_before_conclusion")),
        )["assessment"]
        return {
            "definitions": {key: value.text for key, value in pack.outcomes.items()},
            "outcome_choices": Outcome.choices,
            "dbs": advice.referrals["dbs"],
            "tra": advice.referrals["tra"],
            "settlement_warning": selectors.settlement_warning(pack),
            # Said before the form is filled in, not only after it is sent.
            "lado_not_told": services.lado_not_told(allegation),
        }

    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: OutcomeForm(
            data, allegation=allegation, initial={"concluded_on": timezone.localdate()}
        ),
        save=save,
        template="allegations/outcome_form.html",
        message="Outcome recorded.",
        anchor="outcome",
        context=context,
    )


@login_required
def allegation_follow_up(request: HttpRequest, allegation_id: int, body: str) -> HttpResponse:
    """Section 6.5 after the outcome: the DBS or TRA referral made (date, reference) or why it is not made."""
    if body not in FollowUpBody.values:
        raise Http404("No such referral.")
    label = FollowUpBody(body).label

    def context(allegation: Allegation, form: Any) -> dict[str, Any]:
        return {"label": label, "follow_up": selectors.referral_follow_ups(allegation).get(body)}

    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: FollowUpForm(data),
        save=lambda user, allegation, form: services.referral_follow_up_record(
            actor=user,
            allegation=allegation,
            body=body,
            referred_on=form.cleaned_data["referred_on"],
            reference=form.cleaned_data["reference"],
            not_referred_reason=form.cleaned_data["not_referred_reason"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/follow_up_form.html",
        message=f"{label} referral recorded.",
        anchor="outcome",
        context=context,
    )


@login_required
def allegation_file_copy(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 8: a printable copy of the summary kept on file, as the person receives it (an audited read)."""
    user = signed_in_user(request)
    allegation = fetch.access_allegation(user, allegation_id, "view", request=request)
    file_record = selectors.last_recorded(allegation.file_records.all())
    return render(
        request,
        "allegations/file_record_copy.html",
        {
            "allegation": allegation,
            "file_record": file_record,
            "outcome": selectors.last_recorded(allegation.outcomes.all()),
            "bare": True,
        },
    )


@login_required
def allegation_file_record(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 8: the summary kept on the adult's confidential file, with the pack's reference decision."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: FileRecordForm(data, initial={"summary": allegation.summary}),
        save=lambda user, allegation, form: services.file_record_make(
            actor=user,
            allegation=allegation,
            summary=form.cleaned_data["summary"],
            follow_up=form.cleaned_data["follow_up"],
            actions=form.cleaned_data["actions"],
            copy_given_on=form.cleaned_data["copy_given_on"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/file_record_form.html",
        message="Summary for the confidential file recorded.",
        anchor="records",
        context=lambda allegation, form: services.file_advice(allegation=allegation),
    )


@login_required
def allegation_lesson(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Section 11: a lesson learned from this case."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: LessonForm(data),
        save=lambda user, allegation, form: services.lesson_record(
            actor=user,
            allegation=allegation,
            text=form.cleaned_data["text"],
            reviewed_with=form.cleaned_data["reviewed_with"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/lesson_form.html",
        message="Lesson learned recorded.",
        anchor="lessons",
    )


@login_required
def lessons_learned(request: HttpRequest) -> HttpResponse:
    """Lessons learned from the allegations this person may see, by organisation (section 11), a page at a time."""
    user = signed_in_user(request)
    # Ordered by organisation, so each organisation's lessons run on from one page to the next.
    page = page_of(
        selectors.lessons_for(user).order_by("organisation__name", "organisation", "-recorded_at", "-pk"), request
    )
    lessons = page.rows
    by_organisation: dict[str, list[Any]] = {}
    for lesson in lessons:
        by_organisation.setdefault(lesson.organisation.name, []).append(lesson)
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="lesson",
        list_name="lessons",
        details={"count": len(lessons), "allegations": sorted({lesson.allegation_id for lesson in lessons})},
    )
    return render(request, "allegations/lessons.html", {"by_organisation": list(by_organisation.items()), "page": page})
