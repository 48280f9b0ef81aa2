"""The LADO's pages for the employer's side of one matter: agreeing the employer's outcome, and decision letters.

Their URL patterns are listed with the contact pages (``views/contacts.py``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse

from threshold.access import fetch
from threshold.allegations.duties import latest_outcome
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.lado.forms.employer import DecisionLetterForm, EmployerOutcomeForm
from threshold.lado.models import LetterMethod
from threshold.lado.presenters.employer import employer_outcome_section
from threshold.lado.services.employer_link import employer_outcome_agree
from threshold.lado.services.letters import (
    decision_letter_content,
    decision_letter_issue,
    letter_decision,
    letters_issued,
    referrer_email,
)


@login_required
def contact_employer_outcome(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Agree with the employer's latest outcome, or say why not; a stale form is given back (409)."""
    user = signed_in_user(request)
    contact = fetch.for_change(fetch.access_contact, user, contact_id, request, "decide")
    outcome = latest_outcome(contact.allegation) if contact.allegation is not None else None
    if outcome is None:
        raise Http404("No outcome from the employer to agree.")
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: EmployerOutcomeForm(data, initial={"version": record.version}),
        save=lambda form: employer_outcome_agree(
            actor=user,
            contact=contact,
            outcome=outcome,
            agreed=form.agreement(),
            reason=form.cleaned_data.get("reason", ""),
            audit_context=AuditContext.from_request(request),
            expected_version=form.cleaned_data["version"],
        ),
        template="lado/contact_employer_outcome.html",
        message=lambda response: (
            "You agreed the employer's outcome."
            if response.agreed
            else "You did not agree the employer's outcome: the employer has been told."
        ),
        redirect_to=reverse("contact_detail", args=[contact.pk]) + "#employer-outcome",
        context={"contact": contact, "section": employer_outcome_section(contact, may_decide=False)},
    )


@login_required
def contact_decision_letter(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The decision letter for a referrer outside Threshold: a printable page, and how it reaches them."""
    user = signed_in_user(request)
    contact = fetch.for_change(fetch.access_contact, user, contact_id, request, "decide")
    decision = letter_decision(contact)
    if decision is None or contact.allegation_id is not None:
        # Undecided, or the employer sees the decision on their own allegation in Threshold.
        raise PermissionDenied
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: DecisionLetterForm(data, initial={"sent_to": referrer_email(record)}),
        save=lambda form: decision_letter_issue(
            actor=user,
            contact=contact,
            method=form.cleaned_data["method"],
            sent_to=form.cleaned_data.get("sent_to", ""),
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/contact_decision_letter.html",
        message=lambda letter: (
            "The referrer has been emailed that the decision letter is ready."
            if letter.method == LetterMethod.EMAIL
            else "Recorded that the decision letter was printed."
        ),
        redirect_to=reverse("contact_detail", args=[contact.pk]) + "#decision",
        context={
            "contact": contact,
            "letter": decision_letter_content(contact, decision),
            "letters": letters_issued(contact),
        },
    )


urlpatterns = [
    path(
        "lado/contacts/<record:contact_id>/employer-outcome/",
        contact_employer_outcome,
        name="contact_employer_outcome",
    ),
    path("lado/contacts/<record:contact_id>/decision-letter/", contact_decision_letter, name="contact_decision_letter"),
]
