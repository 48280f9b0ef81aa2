"""The allegation list, one allegation's page and its own facts (with the case manager)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations import listing, selectors, services
from threshold.allegations.forms import AllegationDetailsForm
from threshold.allegations.models import Allegation
from threshold.allegations.presenters.allegation import allegation_page
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.chronology.panels import chronology_context
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.documents.panels import documents_context
from threshold.people.panels import hidden_context


@login_required
def allegation_list(request: HttpRequest) -> HttpResponse:
    """The allegations this person may see, open ones first, a page at a time, with what is overdue on each."""
    user = signed_in_user(request)
    page = page_of(listing.with_overdue(selectors.allegations_listed(user)), request)
    allegations = page.rows
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="allegation",
        list_name="allegations",
        ids=[allegation.pk for allegation in allegations],
    )
    rows = [(allegation, listing.overdue_count(allegation)) for allegation in allegations]
    return render(request, "allegations/allegation_list.html", {"rows": rows, "page": page})


@login_required
def allegation_detail(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """One allegation, for the people who manage it: the checklist, what stands, what is due."""
    user = signed_in_user(request)
    allegation = selectors.allegation_for_page(user, allegation_id, request=request)
    can_change = fetch.can(user, "change", allegation)
    return render(
        request,
        "allegations/allegation_detail.html",
        {
            "allegation": allegation,
            "can_change": can_change,
            **allegation_page(
                allegation, can_change=can_change, deadlines=selectors.allegation_deadlines(user, allegation)
            ),
            "hidden": hidden_context(user=user, record=allegation, record_type="allegation"),
            **chronology_context(record=allegation, record_type="allegation", can_add=can_change),
            **documents_context(user=user, record=allegation, record_type="allegation", can_upload=can_change),
        },
    )


@login_required
def allegation_edit(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """The allegation's own facts and its case manager; a stale form is given back under the conflict notice."""

    def make_form(allegation: Allegation, data: Any) -> AllegationDetailsForm:
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
            "left_employment_on": allegation.left_employment_on,
        }
        return AllegationDetailsForm(data, initial=initial, case_managers=services.case_manager_candidates(allegation))

    def save(user: User, allegation: Allegation, form: AllegationDetailsForm) -> object:
        data = form.cleaned_data
        return services.allegation_update(
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
            left_employment_on=data["left_employment_on"],
            audit_context=AuditContext.from_request(request),
        )

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/allegation_edit.html",
        message="Allegation details saved.",
        anchor="",
    )
