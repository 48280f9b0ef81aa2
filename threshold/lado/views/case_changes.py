"""The case's change pages: the data set's groups, children, risk, investigations, other bodies, tier, reassignment.

Each page fetches the case through ``threshold.access`` for ``change`` (or
``manage`` to reassign), parses its form, calls one service and goes back to
the case page with a success message; a service's errors go beside the fields,
and a form loaded before someone else changed the case gets the conflict page
(HTTP 409) with nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.lado.forms.cases import (
    DATASET_GROUPS,
    BodyReferralForm,
    ChildForm,
    InvestigationForm,
    ReassignForm,
    RiskMeasureForm,
    TierForm,
    VersionedForm,
)
from threshold.lado.models import Case, CaseChild
from threshold.lado.models.cases import InvestigationKind
from threshold.lado.presenters.dataset import INVESTIGATION_NAMES
from threshold.lado.selectors import current_investigations, lado_candidates, lado_pack
from threshold.lado.services import cases as services
from threshold.lado.services.case_children import CHILD_FIELDS
from threshold.lado.views.case_forms import case_form_page


def _version(case: Case) -> dict[str, Any]:
    return {"version": case.version}


@login_required
def case_change_dataset(request: HttpRequest, case_id: int, group: str) -> HttpResponse:
    """Change one group of the data set: the adult, the agencies, or the allegation and its summary."""
    if group not in DATASET_GROUPS:
        raise Http404("No such part of the data set.")
    heading, form_class, names = DATASET_GROUPS[group]

    def make_form(case: Case, data: Any) -> VersionedForm:
        initial = {name: getattr(case, name) for name in names} | _version(case)
        return form_class(data, initial=initial)

    def save(user: User, case: Case, form: VersionedForm) -> object:
        return services.case_update_dataset(
            actor=user,
            case=case,
            dataset=services.dataset_changes({name: form.cleaned_data[name] for name in names}),
            expected_version=form.cleaned_data["version"],
            subject_confirmation=form.cleaned_data.get("subject_confirmation") or "",
            audit_context=AuditContext.from_request(request),
        )

    return case_form_page(
        request,
        case_id,
        make_form=make_form,
        save=save,
        template=f"lado/case/dataset_{group}.html",
        heading=heading,
        message="Data set saved.",
        anchor=f"dataset-{group}",
        # The pack says how old an incident is before it counts as non-recent (the protocol: 12 months).
        context=lambda user, case: {"non_recent_months": lado_pack(case.local_authority).non_recent_after_months},
    )


@login_required
def case_add_child(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a child (victim) to the data set."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: ChildForm(data, initial=_version(case)),
        save=lambda user, case, form: services.case_add_child(
            actor=user,
            case=case,
            full_name=form.cleaned_data["full_name"],
            address=form.cleaned_data["address"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            gender=form.cleaned_data["gender"],
            ethnicity=form.cleaned_data["ethnicity"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/child_form.html",
        heading="Add a child (victim)",
        message="Child added.",
        anchor="dataset-children",
    )


def _child_values(form: VersionedForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in CHILD_FIELDS}


@login_required
def case_change_child(request: HttpRequest, case_id: int, child_id: int) -> HttpResponse:
    """Correct a child's (victim's) details; the child is reached only through the case (404 otherwise)."""

    def make_form(case: Case, data: Any) -> VersionedForm:
        child = _child(case, child_id)
        return ChildForm(data, initial={name: getattr(child, name) for name in CHILD_FIELDS} | _version(case))

    return case_form_page(
        request,
        case_id,
        make_form=make_form,
        save=lambda user, case, form: services.case_change_child(
            actor=user,
            case=case,
            child=_child(case, child_id),
            **_child_values(form),
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/child_form.html",
        heading="Correct a child's (victim's) details",
        message="Child's details saved.",
        anchor="dataset-children",
        context=lambda user, case: {"button": "Save the child's details"},
    )


@login_required
def case_remove_child(request: HttpRequest, case_id: int, child_id: int) -> HttpResponse:
    """Remove a child recorded in error, after confirming; the removal is audited and in the chronology."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: VersionedForm(data, initial=_version(case)),
        save=lambda user, case, form: services.case_remove_child(
            actor=user,
            case=case,
            child=_child(case, child_id),
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/child_remove_form.html",
        heading="Remove a child (victim) from the case",
        message="Child removed.",
        anchor="dataset-children",
        context=lambda user, case: {"child": _child(case, child_id), "button_classes": "govuk-button--warning"},
    )


def _child(case: Case, child_id: int) -> CaseChild:
    """A child of the case fetched through ``threshold.access``; a child of another case is not found."""
    try:
        return case.children.get(pk=child_id)
    except CaseChild.DoesNotExist:
        raise Http404("No such child on this case.") from None


@login_required
def case_add_risk_measure(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record how the risk is managed, with dates."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: RiskMeasureForm(data, initial=_version(case)),
        save=lambda user, case, form: services.case_add_risk_measure(
            actor=user,
            case=case,
            kind=form.cleaned_data["kind"],
            started_on=form.cleaned_data["started_on"],
            ended_on=form.cleaned_data["ended_on"],
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/risk_measure_form.html",
        heading="How the risk is managed",
        message="How the risk is managed recorded.",
        anchor="dataset-risk",
    )


@login_required
def case_record_investigation(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Record or update one line of investigation and its outcome."""
    if kind not in INVESTIGATION_NAMES:
        raise Http404("No such line of investigation.")

    def make_form(case: Case, data: Any) -> VersionedForm:
        current = next((row for row in current_investigations(case) if row.kind == kind), None)
        initial = _version(case)
        if current is not None:
            initial |= {
                name: getattr(current, name)
                for name in (
                    "referred_on",
                    "reference",
                    "lead",
                    "outcome",
                    "outcome_detail",
                    "outcome_on",
                    "notes",
                    "dbs_information",
                )
            }
        return InvestigationForm(data, initial=initial, kind=kind)

    def save(user: User, case: Case, form: VersionedForm) -> object:
        data = form.cleaned_data
        return services.case_record_investigation(
            actor=user,
            case=case,
            kind=kind,
            outcome=data["outcome"],
            outcome_detail=data["outcome_detail"],
            referred_on=data["referred_on"],
            reference=data["reference"],
            lead=data["lead"],
            outcome_on=data["outcome_on"],
            notes=data["notes"],
            dbs_information=data["dbs_information"] if kind == InvestigationKind.CRIMINAL else "",
            expected_version=data["version"],
            audit_context=AuditContext.from_request(request),
        )

    return case_form_page(
        request,
        case_id,
        make_form=make_form,
        save=save,
        template="lado/case/investigation_form.html",
        heading=f"Record the {INVESTIGATION_NAMES[kind]}",
        message="Investigation recorded.",
        anchor="dataset-investigations",
        context=lambda user, case: {
            "criminal": kind == InvestigationKind.CRIMINAL,
            "line": InvestigationKind(kind).label,
        },
    )


@login_required
def case_record_body_referral(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a referral to the DBS or another body, or why none was made."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: BodyReferralForm(data, initial=_version(case)),
        save=lambda user, case, form: services.case_record_body_referral(
            actor=user,
            case=case,
            body=form.cleaned_data["body"],
            referred=form.cleaned_data["referred"],
            referred_on=form.cleaned_data["referred_on"],
            reference=form.cleaned_data["reference"],
            body_name=form.cleaned_data["body_name"],
            explanation=form.cleaned_data["explanation"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/body_referral_form.html",
        heading="Referral to the DBS or another body",
        message="Referral recorded.",
        anchor="dataset-bodies",
    )


@login_required
def case_change_tier(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the case between Tier 1 and Tier 2, with the reason."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: TierForm(data, initial=_version(case)),
        save=lambda user, case, form: services.case_change_tier(
            actor=user,
            case=case,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/tier_form.html",
        heading="Change the tier",
        message="Tier changed.",
        anchor="dataset-tier",
    )


@login_required
def case_reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    """The LADO manager allocates the case to another LADO."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: ReassignForm(data, initial=_version(case), candidates=lado_candidates(case)),
        save=lambda user, case, form: services.case_reassign(
            actor=user,
            case=case,
            lado=form.cleaned_data["lado"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/reassign_form.html",
        heading="Reassign the case",
        message="Case reassigned.",
        anchor="allocation",
        action="manage",
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/change/<slug:group>/", case_change_dataset, name="case_change_dataset"),
    path("lado/cases/<record:case_id>/children/add/", case_add_child, name="case_add_child"),
    path("lado/cases/<record:case_id>/children/<record:child_id>/", case_change_child, name="case_change_child"),
    path("lado/cases/<record:case_id>/children/<record:child_id>/remove/", case_remove_child, name="case_remove_child"),
    path("lado/cases/<record:case_id>/risk/add/", case_add_risk_measure, name="case_add_risk_measure"),
    path(
        "lado/cases/<record:case_id>/investigations/<slug:kind>/",
        case_record_investigation,
        name="case_record_investigation",
    ),
    path("lado/cases/<record:case_id>/bodies/add/", case_record_body_referral, name="case_record_body_referral"),
    path("lado/cases/<record:case_id>/tier/", case_change_tier, name="case_change_tier"),
    path("lado/cases/<record:case_id>/reassign/", case_reassign, name="case_reassign"),
]
