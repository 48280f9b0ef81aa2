"""The case manager's steps of section 6."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import selectors, services
from threshold.allegations.forms import ParentUpdateForm, StepForm
from threshold.allegations.models import Allegation, Step
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext
from threshold.lado.services.employer_link import managing_contact


@login_required
def allegation_step(request: HttpRequest, allegation_id: int, step: str) -> HttpResponse:
    """Record what was done or decided at one of the case manager's steps."""
    if step not in Step.values:
        raise Http404("No such step.")
    if step == Step.PARENTS_KEPT_INFORMED:
        # Step 9 is a log of contacts with the parents or carers, on a page of its own.
        return redirect("allegation_parent_update", allegation_id)

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.step_record(
            actor=user,
            allegation=allegation,
            step=step,
            done_on=data["done_on"],
            decision=data["decision"],
            justification=data["justification"],
            written_information=data["written_information"],
            written_to=data["written_to"],
            written_by=data["written_by"],
            route=data["route"],
            action_for_individual=data["action_for_individual"],
            action_for_allegers=data["action_for_allegers"],
            agreed_with_lado=data["agreed_with_lado"],
            done_by=data["done_by"],
            reference=data["reference"],
            audit_context=AuditContext.from_request(request),
        )

    def context(allegation: Allegation, form: Any) -> dict[str, Any]:
        item = next(i for i in selectors.checklist(allegation) if i.step == step)
        return {
            "item": item,
            "step": step,
            "guidance": selectors.STEP_GUIDANCE[Step(step)],
            "no_further_action": step == Step.NO_FURTHER_ACTION,
            # Referred in Threshold: the LADO agrees the outcome there, so the employer is not asked.
            "lado_managed": managing_contact(allegation) is not None,
            "chooses_route": step in services.ROUTE_STEPS,
            "ofsted": step == Step.OFSTED_NOTIFIED,
        }

    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: StepForm(
            data, initial={"done_on": timezone.localdate()}, allegation=allegation, step=step
        ),
        save=save,
        template="allegations/step_form.html",
        message=f"{Step(step).label} recorded.",
        anchor=f"step-{step}",
        context=context,
    )


@login_required
def allegation_parent_update(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Step 9: log one contact keeping the parents or carers informed of the progress of the case."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: ParentUpdateForm(data, initial={"given_on": timezone.localdate()}),
        save=lambda user, allegation, form: services.parent_update_add(
            actor=user,
            allegation=allegation,
            given_on=form.cleaned_data["given_on"],
            informed=form.cleaned_data["informed"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/parent_update_form.html",
        message="Contact with the parents or carers logged.",
        anchor=f"step-{Step.PARENTS_KEPT_INFORMED.value}",
        context=lambda allegation, form: {"guidance": selectors.STEP_GUIDANCE[Step.PARENTS_KEPT_INFORMED]},
    )
