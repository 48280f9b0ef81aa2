"""Contacts into the LADO service: the inbox, recording a contact, the contact page, advice, consultations.

The decision and reopening pages live in ``views/decisions.py`` and the
search page in ``views/search.py``; their URL patterns are listed here, so
the LADO URLs stay one list per part of the work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.jinja2 import govuk_date
from threshold.lado.forms.contacts import AdviceForm, ContactForm, EmployerFactsForm, employer_facts_initial
from threshold.lado.forms.decision_questions import recorded_answers
from threshold.lado.list_selectors import (
    EMPLOYER_OUTCOMES,
    OPEN_STATUSES,
    consultation_reason,
    consultations,
    inbox_contacts,
    require_lado_reader,
)
from threshold.lado.models import Case, Contact, Level
from threshold.lado.presenters.case import keep_until_words
from threshold.lado.presenters.employer import employer_outcome_section, employer_outcome_tag, listed_outcome_tag
from threshold.lado.selectors import consultation_retention
from threshold.lado.services.contacts import (
    advice_due,
    contact_record,
    contact_record_advice,
    recording_local_authorities,
)
from threshold.lado.services.employer_timeliness import contact_record_employer_facts, employer_timeliness
from threshold.lado.views import decisions as decision_views
from threshold.lado.views import employer as employer_views
from threshold.lado.views import search as search_views
from threshold.people.matching import Match, previous_about
from threshold.people.panels import hidden_context


def contact_page(contact: Contact, anchor: str = "") -> str:
    """The contact's page, at a section."""
    return reverse("contact_detail", args=[contact.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """New contacts and those with advice given, newest first, a page at a time, each with its one-working-day clock.

    The spreadsheets (``threshold.reports.exports``) hold every row.
    """
    user = signed_in_user(request)
    require_lado_reader(user)
    page = page_of(inbox_contacts(user).prefetch_related(EMPLOYER_OUTCOMES), request, by_key=True)
    contacts = page.rows
    today = timezone.localdate()
    managed = scope_for(user).lado_manage
    rows = [
        {
            "contact": contact,
            "clock": advice_due(contact, today),
            # A LADO manager allocates the contacts of the authorities they manage (lado/views/team.py).
            "may_allocate": contact.local_authority_id in managed,
            # The employer concluded before the LADO decided: the inbox says so, not only "New".
            "employer_outcome": listed_outcome_tag(contact),
        }
        for contact in contacts
    ]
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="contact",
        list_name="inbox",
        ids=[contact.pk for contact in contacts],
    )
    return render(
        request,
        "lado/inbox.html",
        {"rows": rows, "page": page, "may_record": bool(scope_for(user).lado_contact_change)},
    )


def _recording_authority(request: HttpRequest, user: User) -> Organisation:
    """The LADO service a contact is recorded for: the one the person is working as, else their only one."""
    authorities = recording_local_authorities(user)
    membership = getattr(request, "membership", None)
    for authority in authorities:
        if membership is not None and membership.organisation_id == authority.pk:
            return authority
    if len(authorities) == 1:
        return authorities[0]
    raise PermissionDenied


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    """Record a contact from anyone other than an employer in Threshold."""
    user = signed_in_user(request)
    local_authority = _recording_authority(request, user)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_record(
                actor=user,
                local_authority=local_authority,
                **form.service_data(),
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Contact {contact.reference} recorded.")
            return redirect(contact_page(contact))
    return render(request, "lado/contact_new.html", {"form": form, "local_authority": local_authority})


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One contact: what was said, the advice clock, the decision, and earlier records about the same adult."""
    user = signed_in_user(request)
    contact = fetch.access_contact(user, contact_id, "view", request=request)
    matches = previous_about(
        user,
        local_authority=contact.local_authority,
        name=contact.adult_name or contact.subject.full_name,
        date_of_birth=contact.adult_date_of_birth or contact.subject.date_of_birth,
        employer_name=contact.employer_name,
        exclude_contact=contact.pk,
    )
    # The panel shows other records about the adult: listing them is a read of each, so it is audited.
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="contact",
        record_id=contact.pk,
        organisation=contact.local_authority,
        list_name="previous_about",
        ids=[_listed(match) for match in matches],
    )
    context: dict[str, Any] = {
        **contact_record_context(
            contact, may_change=fetch.can(user, "change", contact), may_decide=fetch.can(user, "decide", contact)
        ),
        "hidden": hidden_context(user=user, record=contact, record_type="contact"),
        "matches": matches,
        "open": contact.status in OPEN_STATUSES,
    }
    return render(request, "lado/contact_detail.html", context)


def contact_record_context(contact: Contact, *, may_change: bool, may_decide: bool) -> dict[str, Any]:
    """Context for ``lado/contact/_record.html``: the contact itself, its advice, decision and employer's outcome.

    The contact page shows it with the reader's own rights; the printed contact
    (``threshold.reports``) with none, so the paper copy offers no action.
    """
    # Newest first (``Decision.Meta.ordering``): the first is the decision now (as ``current_decision``).
    decisions = list(contact.decisions.select_related("case", "recorded_by", "prompted_by"))
    decision = decisions[0] if decisions else None
    employer_outcome = employer_outcome_section(contact, may_decide=may_decide)
    return {
        "contact": contact,
        "may_change": may_change,
        "may_decide": may_decide,
        "decision": decision,
        "decisions": decisions,
        "clock": advice_due(contact),
        "is_consultation": decision is not None and decision.level == Level.CONSULTATION,
        "consultation_kept": keep_until_words(consultation_retention(contact))
        if decision is not None and decision.level == Level.CONSULTATION
        else "",
        # The weighing answers the decision recorded (Working Together, restraint, criterion 3's balancing).
        "decision_answers": recorded_answers(decision.facts) if decision is not None else [],
        "referral_rows": referral_rows(contact),
        "employer_duty_rows": employer_duty_rows(contact),
        "teacher": teacher_answer(contact),
        # Two sides of one matter: the employer's outcome to agree, or a letter for an employer outside Threshold.
        "employer_outcome": employer_outcome,
        "employer_outcome_tag": employer_outcome_tag(employer_outcome),
        "may_send_letter": decision is not None and contact.allegation_id is None and may_decide,
    }


def _listed(match: Match) -> str:
    """A matched record as the audit trail names it: ``contact:12`` or ``case:3``."""
    return f"{'case' if match.kind == 'case' else 'contact'}:{match.record_id}"


def _yes_no(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def employer_duty_rows(contact: Contact) -> list[dict[str, Any]]:
    """The employer's one-working-day duty (KCSIE Part 4) as summary-list rows: when they knew, and if in time."""
    duty = employer_timeliness(contact)
    knew = govuk_date(duty.knew_on) if duty.knew_on else ("Not known" if duty.not_known else "Not recorded")
    if not duty.from_employer:
        verdict = f"Not measured: the contact came from {contact.get_source_display().lower()}, not the employer"
    elif duty.clock is None:
        verdict = "Cannot be said without the date the employer first knew"
    elif duty.in_time:
        verdict = f"Yes: referred on {govuk_date(duty.referred_on)}, due by {govuk_date(duty.clock.due)}"
    else:
        verdict = f"No: referred on {govuk_date(duty.referred_on)}, it was due by {govuk_date(duty.clock.due)}"
    rows = [("When the employer first knew of the allegation", knew), ("Referred within one working day", verdict)]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def teacher_answer(contact: Contact) -> str:
    """The answer to "Is the adult a teacher?" as recorded: Yes, No or Not known (never read from the role)."""
    return "Not known" if contact.subject_is_teacher is None else ("Yes" if contact.subject_is_teacher else "No")


def referral_rows(contact: Contact) -> list[dict[str, Any]]:
    """What the employer sent in their Threshold referral, as summary-list rows (none for other contacts).

    Reached through the contact the viewer already holds: the recording data
    set's allegation details, the children, and how the risk is managed.
    """
    referral = contact.referral
    if referral is None:
        return []
    children = [child.full_name for child in referral.children.order_by("pk")]
    values = [
        ("How it came to light", referral.get_came_to_light_display() or "Not recorded"),
        ("Categories of abuse", ", ".join(referral.abuse_category_labels()) or "Not recorded"),
        (
            "Date of the incident",
            (govuk_date(referral.incident_date) if referral.incident_date else "Not known")
            + (" (non-recent)" if referral.non_recent else ""),
        ),
        ("Children", ", ".join(children) or "None named"),
        ("How the risk has been managed so far", referral.get_risk_managed_display() or "Not recorded"),
        ("Police involved", _yes_no(referral.police_involved)),
        ("Children's social care involved", _yes_no(referral.childrens_social_care_involved)),
        ("Agency (supply staff)", referral.agency_name or "Not an agency worker"),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in values]


@login_required
def contact_advice(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Record the advice given on a contact (stops the one-working-day clock); a stale form is given back (409)."""
    user = signed_in_user(request)
    contact = fetch.for_change(fetch.access_contact, user, contact_id, request)
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: AdviceForm(data, initial={"version": record.version, "advice": record.advice}),
        save=lambda form: contact_record_advice(
            actor=user,
            contact=contact,
            advice=form.cleaned_data["advice"],
            given_at=form.cleaned_data.get("given_at"),
            audit_context=AuditContext.from_request(request),
            expected_version=form.cleaned_data["version"],
        ),
        template="lado/contact_advice.html",
        message="Advice recorded.",
        redirect_to=contact_page(contact, "advice"),
        context={"contact": contact, "clock": advice_due(contact)},
    )


@login_required
def contact_employer_facts(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Record when the employer first knew and whether the adult is a teacher; a stale form is given back (409)."""
    user = signed_in_user(request)
    contact = fetch.for_change(fetch.access_contact, user, contact_id, request)
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: EmployerFactsForm(
            data,
            initial={
                "version": record.version,
                **employer_facts_initial(
                    record.employer_knew_on, record.employer_knew_not_known, record.subject_is_teacher
                ),
            },
        ),
        save=lambda form: contact_record_employer_facts(
            actor=user,
            contact=contact,
            employer_knew_on=form.cleaned_data.get("employer_knew_on"),
            employer_knew_not_known=bool(form.cleaned_data.get("employer_knew_not_known")),
            subject_is_teacher=form.teacher(),
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/contact_employer_facts.html",
        message=f"Contact {contact.reference} updated.",
        redirect_to=contact_page(contact, "employer-duty"),
        context={"contact": contact},
    )


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Consultations stay findable, a page at a time: each with who made contact and why the definition was not met."""
    user = signed_in_user(request)
    require_lado_reader(user)
    page = page_of(consultations(user), request, by_key=True)
    contacts = page.rows
    rows = [{"contact": contact, "reason": consultation_reason(contact)} for contact in contacts]
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="contact",
        list_name="consultations",
        ids=[contact.pk for contact in contacts],
    )
    return render(request, "lado/contact_consultations.html", {"rows": rows, "page": page})


def decisions_panel(user: User, case: Case) -> dict[str, Any]:
    """Context for ``lado/case/_decisions.html``: the contacts and decisions that opened the case.

    Reached through the case the viewer already holds (``case_for_page``, which reads its decisions with their
    contacts and recorders once for this panel and the case's clocks): its decisions, and the contacts they were
    taken on if the viewer may see those too.
    """
    decisions = sorted(case.decisions.all(), key=lambda decision: (decision.recorded_at, decision.pk))
    visible = set(
        fetch.visible_contacts(user, "view")
        .filter(pk__in=[d.contact_id for d in decisions])
        .values_list("pk", flat=True)
    )
    return {
        "decisions_rows": [{"decision": d, "contact_visible": d.contact_id in visible} for d in decisions],
    }


urlpatterns = [
    path("lado/inbox/", inbox, name="lado_inbox"),
    path("lado/contacts/new/", contact_new, name="contact_new"),
    path("lado/contacts/<record:contact_id>/", contact_detail, name="contact_detail"),
    path("lado/contacts/<record:contact_id>/advice/", contact_advice, name="contact_advice"),
    path(
        "lado/contacts/<record:contact_id>/employer-and-teacher/",
        contact_employer_facts,
        name="contact_employer_facts",
    ),
    path("lado/consultations/", consultation_list, name="consultation_list"),
    *decision_views.urlpatterns,
    *employer_views.urlpatterns,
    *search_views.urlpatterns,
]
