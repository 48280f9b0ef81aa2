"""The allegation list, one allegation's page and its own facts (with the case manager)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from threshold.access import fetch
from threshold.allegations import selectors, services
from threshold.allegations.forms import AllegationDetailsForm
from threshold.allegations.models import AllegationStatus
from threshold.allegations.views.common import fetch_for_change, record_page
from threshold.audit.services import audit_record
from threshold.chronology.panels import chronology_context
from threshold.core.http import signed_in_user
from threshold.documents.panels import documents_context
from threshold.lado.services.conclusion import lado_conclusion_for
from threshold.people.panels import hidden_context

DETAIL_LABELS = {
    "case_manager": "Case manager",
    "barred_from_trust": "Not to be accepted in the Trust's academies",
    "came_to_attention_on": "Date it came to attention",
    "subject_employment": "How the adult is engaged",
    "agency": "Agency",
    "agency_name": "Agency or contracting company (not in Threshold)",
    "agency_contact": "Its contact email or phone",
    "subject_is_teacher": "The adult is a teacher",
    "accused_by_pupil": "The allegation is made by a pupil",
    "reporting_restriction_ended_on": "Date the reporting restriction ended",
    "interim_prohibition_order": "Interim prohibition order",
}


@login_required
def allegation_list(request: HttpRequest) -> HttpResponse:
    """The allegations this person may see, open ones first, with what is overdue on each."""
    user = signed_in_user(request)
    allegations = list(fetch.visible_allegations(user).select_related("subject", "organisation")[:200])
    allegations.sort(key=lambda allegation: allegation.status == AllegationStatus.CONCLUDED)
    audit_record(
        actor=user,
        action="records.listed",
        record_type="allegation",
        request=request,
        details={"count": len(allegations), "ids": [allegation.pk for allegation in allegations]},
    )
    rows = [
        (allegation, sum(1 for item in selectors.due_items(allegation) if item.overdue)) for allegation in allegations
    ]
    return render(request, "allegations/allegation_list.html", {"rows": rows})


@login_required
def allegation_detail(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """One allegation, for the people who manage it: the checklist, what stands, what is due."""
    user = signed_in_user(request)
    allegation = fetch.access_allegation(user, allegation_id, "view", request=request)
    can_change = fetch.can(user, "change", allegation)
    pack = services.pack_for(allegation)
    return render(
        request,
        "allegations/allegation_detail.html",
        {
            "allegation": allegation,
            "can_change": can_change,
            "checklist": selectors.checklist(allegation),
            "due": selectors.due_items(allegation),
            "today": timezone.localdate(),
            "outcome_definitions": {key: value.text for key, value in pack.outcomes.items()},
            "settlement_warning": selectors.settlement_warning(pack),
            # What the LADO sent back when the case opened from this allegation's referral concluded.
            "lado_conclusion": lado_conclusion_for(allegation),
            **selectors.allegation_state(allegation),
            "hidden": hidden_context(user=user, record=allegation, record_type="allegation"),
            **chronology_context(record=allegation, record_type="allegation", can_add=can_change),
            **documents_context(user=user, record=allegation, record_type="allegation", can_upload=can_change),
        },
    )


@login_required
def allegation_edit(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """The allegation's own facts and its case manager; a stale form gets the conflict page."""
    user = signed_in_user(request)
    allegation = fetch_for_change(request, user, allegation_id)
    initial = {
        "version": allegation.version,
        "case_manager": allegation.case_manager_id,
        "barred_from_trust": allegation.barred_from_trust,
        "came_to_attention_on": allegation.attention_date(),
        "subject_employment": allegation.subject_employment,
        "agency": allegation.agency_id,
        "agency_name": allegation.agency_name,
        "agency_contact": allegation.agency_contact,
        "subject_is_teacher": allegation.subject_is_teacher,
        "accused_by_pupil": allegation.accused_by_pupil,
        "reporting_restriction_ended_on": allegation.reporting_restriction_ended_on,
        "interim_prohibition_order": allegation.interim_prohibition_order,
    }
    form = AllegationDetailsForm(
        request.POST or None, initial=initial, case_managers=services.case_manager_candidates(allegation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allegation_update(
                actor=user,
                allegation=allegation,
                expected_version=data["version"],
                came_to_attention_on=data["came_to_attention_on"],
                subject_employment=data["subject_employment"],
                agency=data["agency"],
                subject_is_teacher=data["subject_is_teacher"],
                accused_by_pupil=data["accused_by_pupil"],
                reporting_restriction_ended_on=data["reporting_restriction_ended_on"],
                interim_prohibition_order=data["interim_prohibition_order"],
                case_manager=data["case_manager"],
                barred_from_trust=data["barred_from_trust"],
                agency_name=data["agency_name"],
                agency_contact=data["agency_contact"],
                request=request,
            )
        except services.ConflictError as conflict:
            changed = [
                (label, getattr(conflict.current, name), data.get(name))
                for name, label in DETAIL_LABELS.items()
                if getattr(conflict.current, name) != data.get(name)
            ]
            return render(
                request,
                "allegations/conflict.html",
                {"allegation": conflict.current, "changed": changed, "back": record_page(allegation)},
                status=409,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Allegation details saved.")
            return redirect(record_page(allegation))
    return render(
        request,
        "allegations/allegation_edit.html",
        {"allegation": allegation, "form": form, "back": record_page(allegation)},
    )
