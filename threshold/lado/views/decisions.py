"""The decision page (facts, the pack's advice, the LADO's decision) and reopening a consultation.

Works without JavaScript: "Assess" posts the facts and the page comes back
with the advice; "Record the decision" posts again and saves. The advice is
recomputed from the posted facts every time, and a decision is refused if
the facts changed after the advice was shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.core import pages, record_ids
from threshold.core.errors import ConflictError
from threshold.core.http import signed_in_user
from threshold.lado.forms.contacts import DecisionForm, ReopenForm, facts_digest, initial_from_facts
from threshold.lado.models import Contact, ContactStatus, Level
from threshold.lado.selectors import lado_pack
from threshold.lado.services.decisions import contact_decide, contact_reopen, current_decision, decision_advice

# The protocol's "we would always refer to the police in cases where:" rules, by id prefix in the pack.
ALWAYS_POLICE = "always-"


def _contact_to_decide(request: HttpRequest, contact_id: object) -> Contact:
    """A contact for the decision pages: only a LADO of its service decides; showing it is an audited read."""
    return fetch.for_change(fetch.access_contact, signed_in_user(request), contact_id, request, "decide")


def _after_decision(request: HttpRequest, contact: Contact) -> HttpResponse:
    decision = current_decision(contact)
    if decision is not None and decision.case_id:
        messages.success(request, f"Decision recorded: {decision.get_level_display()}. The LADO case is open.")
        return redirect("case_detail", decision.case_id)
    messages.success(request, "Decision recorded: consultation.")
    return redirect(reverse("contact_detail", args=[contact.pk]) + "#decision")


@login_required
def contact_decide_page(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Ask the facts, show the pack's advice, record the LADO's decision."""
    user = signed_in_user(request)
    contact = _contact_to_decide(request, contact_id)
    if contact.status == ContactStatus.DECIDED:
        messages.info(request, "This contact has already been decided.")
        return redirect(reverse("contact_detail", args=[contact.pk]) + "#decision")
    initial = {"version": contact.version, **initial_from_facts(contact.referral.facts if contact.referral else {})}
    if contact.subject_is_teacher is not None:
        # "Is the adult a teacher?" as the contact recorded it (the employer's answer for a referral).
        initial["subject_is_teacher"] = contact.subject_is_teacher
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    assessment = None
    if request.method == "POST" and form.is_valid():
        facts = form.facts()
        try:
            _pack, assessment = decision_advice(contact, facts)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            action = request.POST.get("action")
            if action == "decide" and form.cleaned_data.get("assessed") != facts_digest(facts):
                form.add_error(None, "The answers changed since the advice was shown: check the advice, then decide")
            elif action == "decide":
                try:
                    contact_decide(
                        actor=user,
                        contact=contact,
                        facts=facts,
                        level=form.cleaned_data.get("level") or "",
                        override_reason=form.cleaned_data.get("override_reason") or "",
                        consultation_reason=form.cleaned_data.get("consultation_reason") or "",
                        rationale=form.cleaned_data.get("rationale") or "",
                        audit_context=AuditContext.from_request(request),
                        expected_version=form.cleaned_data["version"],
                    )
                except ConflictError:
                    return contact_conflict(request, form, contact)
                except ValidationError as error:
                    form.apply_errors(error)
                else:
                    return _after_decision(request, contact)
            # Shown with the advice: the next "Record" is checked against these facts.
            shown = request.POST.copy()
            shown["assessed"] = facts_digest(facts)
            if not shown.get("level"):
                shown["level"] = assessment.level
            form.data = shown
    return render(request, "lado/contact_decide.html", _context(contact, form, assessment))


def _context(contact: Contact, form: DecisionForm, assessment: Any) -> dict[str, Any]:
    pack = lado_pack(contact.local_authority)
    police_rules = [rule for rule in pack.referrals["police"] if rule.id.startswith(ALWAYS_POLICE)]
    advice = None
    if assessment is not None:
        advice = {
            "level": assessment.level,
            "title": assessment.level_title,
            "description": assessment.level_description,
            "action": assessment.level_action,
            "reasons": assessment.reasons,
            "police": assessment.referrals["police"],
            "social_care": assessment.referrals["childrens_social_care"],
            "other_referrals": {
                agency: assessment.referrals[agency]
                for agency in ("ofsted", "dbs", "tra")
                if assessment.referrals[agency].consider
            },
            "guidance": assessment.guidance,
            "deadlines": assessment.deadlines,
        }
    return {"contact": contact, "form": form, "advice": advice, "pack": pack, "police_rules": police_rules}


@login_required
def contact_reopen_page(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Reopen a consultation as a referral, usually because a later contact about the same adult came in."""
    user = signed_in_user(request)
    contact = _contact_to_decide(request, contact_id)
    decision = current_decision(contact)
    if decision is None or decision.level != Level.CONSULTATION:
        messages.info(request, "Only a consultation can be reopened as a referral.")
        return redirect("contact_detail", contact.pk)
    source = request.POST if request.method == "POST" else request.GET
    # The later contact travels as its URL token (threshold.core.record_ids), never its id.
    prompted_token = str(source.get("prompted_by") or "")
    try:
        prompted_id = record_ids.decode(prompted_token) if prompted_token else None
    except ValueError:
        raise Http404("No such record.") from None
    # The later contact is decided into the case too, so it needs the same right.
    prompted_by = _contact_to_decide(request, prompted_id) if prompted_id else None
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: ReopenForm(
            data, initial={"prompted_by": prompted_token, "version": record.version}
        ),
        save=lambda form: contact_reopen(
            actor=user,
            contact=contact,
            prompted_by=prompted_by,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            audit_context=AuditContext.from_request(request),
            expected_version=form.cleaned_data["version"],
        ),
        template="lado/contact_reopen.html",
        message=lambda new: f"Consultation {contact.reference} reopened as a {new.get_level_display()} referral.",
        redirect_to=lambda new: reverse("case_detail", args=[new.case_id]),
        context={"contact": contact, "decision": decision, "prompted_by": prompted_by},
        conflict_heading=f"Someone else changed contact {contact.reference} after you opened the form",
    )


urlpatterns = [
    path("lado/contacts/<record:contact_id>/decision/", contact_decide_page, name="contact_decide"),
    path("lado/contacts/<record:contact_id>/reopen/", contact_reopen_page, name="contact_reopen"),
]


def contact_conflict(request: HttpRequest, form: Any, contact: Contact) -> HttpResponse:
    """Someone changed the contact after the form was loaded: nothing saved; what was typed is shown back (409)."""
    return pages.form_conflict_page(
        request,
        form,
        contact,
        heading=f"Someone else changed contact {contact.reference} after you opened the form",
        back=reverse("contact_detail", args=[contact.pk]),
        back_text="Go back to the contact to see what it holds now",
    )
