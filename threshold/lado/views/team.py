"""The LADO manager's team view, and allocating a contact waiting in the inbox to a LADO.

The team view shows, per LADO of the authority, their open cases by tier, their overdue steps (the stored
deadlines) and the contacts they hold waiting for advice or a decision; then the contacts and open cases
nobody holds yet, each a click from being allocated. Every figure is one aggregate query, so the page costs
the same however large the authority. Only references are listed, never an adult's name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import Scope, scope_for
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.core import pages
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.core.references import GROUP, LADO_CASE, reference_key
from threshold.lado.forms.contact_allocation import ContactAllocateForm
from threshold.lado.models import CaseStatus, ContactStatus
from threshold.lado.services.case_rules import CASE_TIERS
from threshold.lado.services.contact_allocation import ALLOCATABLE_ROLES, contact_allocate, contact_candidates
from threshold.lado.services.contacts import advice_due
from threshold.timescales.models import DeadlineState

WAITING = (ContactStatus.NEW, ContactStatus.ADVISED)


def _authority(request: HttpRequest, scope: Scope) -> Organisation:
    """The local authority the manager is working as, else the first they manage."""
    membership = getattr(request, "membership", None)
    if membership is not None and membership.organisation_id in scope.lado_manage:
        return membership.organisation
    return Organisation.objects.filter(pk__in=scope.lado_manage).order_by("name").first()  # type: ignore[return-value]


def _case_reference(typed: str) -> str:
    """A case reference as stored (``LADO-7KQ2-9MXD``) from what the manager typed (case, spaces, misreadings)."""
    key = reference_key(typed)
    prefix, rest = LADO_CASE, key[len(LADO_CASE) :]
    if not key.startswith(prefix):
        return key
    return "-".join([prefix, *(rest[start : start + GROUP] for start in range(0, len(rest), GROUP))])


@login_required
def lado_team(request: HttpRequest) -> HttpResponse:
    """Per LADO: open cases by tier, overdue steps, contacts held; then what nobody holds yet."""
    user = signed_in_user(request)
    scope = scope_for(user)
    if not scope.lado_manage:
        raise PermissionDenied("Only a LADO manager sees the team view.")
    authority = _authority(request, scope)
    today = timezone.localdate()
    cases = fetch.visible_cases(user, "manage").filter(local_authority=authority, status=CaseStatus.OPEN)
    # "Reassign a case": the manager quotes its reference and goes to the case's reassignment page.
    reference = request.GET.get("reference", "").strip()[:40]
    reference_error = ""
    if reference:
        chosen = cases.filter(reference=_case_reference(reference)).values_list("pk", flat=True).first()
        if chosen is not None:
            return redirect(reverse("case_reassign", args=[chosen]))
        reference_error = "Enter the reference of an open case of this local authority, like LADO-7KQ2-9MXD"
    contacts = fetch.visible_contacts(user, "view").filter(local_authority=authority, status__in=WAITING)

    tiers: dict[int | None, dict[str, int]] = defaultdict(dict)
    for lado_id, tier, count in cases.order_by().values_list("lado_id", "tier").annotate(n=Count("pk")):
        tiers[lado_id][tier or ""] = tiers[lado_id].get(tier or "", 0) + count
    overdue: dict[int | None, int] = dict(
        fetch.visible_deadlines(user, "view")
        .filter(organisation=authority, state=DeadlineState.OPEN, due_on__lt=today)
        .order_by()
        .values_list("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    # Counted here from the waiting contacts' holders (the live queue: a handful, read by the authority's status
    # index), not by ``GROUP BY`` in SQL: with the planner's statistics (``manage.py analyze``, ADR 0041) SQLite
    # grouped by walking every contact of the authority's history in holder order (0.8 ms for 18,000).
    # Each contact's own row (the access list is DISTINCT): one per contact, counted per holder.
    held: dict[int | None, int] = dict(
        Counter(holder for _, holder in contacts.order_by().values_list("pk", "allocated_to_id"))
    )
    # The LADOs of the authority, and anyone else still holding work there (a LADO who has left).
    others = {*tiers, *overdue, *held} - {None}
    team = list(
        User.objects.filter(
            Q(
                memberships__organisation=authority,
                memberships__is_active=True,
                memberships__role__in=ALLOCATABLE_ROLES,
                is_active=True,
            )
            | Q(pk__in=others)
        )
        .distinct()
        .order_by("full_name", "pk")
    )

    def row(person: User | None) -> dict[str, Any]:
        key = person.pk if person is not None else None
        by_tier = tiers.get(key, {})
        return {
            "lado": person,
            "tiers": [by_tier.get(tier, 0) for tier in CASE_TIERS],
            "untiered": by_tier.get("", 0),
            "open": sum(by_tier.values()),
            "overdue": overdue.get(key, 0),
            "held": held.get(key, 0),
        }

    # Two lists on one page, each paged by its own parameter so paging one keeps the other where it is.
    contacts_page = page_of(
        contacts.filter(allocated_to__isnull=True).order_by("received_at", "pk"),
        request,
        parameter="contacts_page",
        label="Pages of contacts nobody holds",
        by_key=True,
    )
    cases_page = page_of(
        cases.filter(lado__isnull=True).order_by("opened_at", "pk"),
        request,
        parameter="cases_page",
        label="Pages of open cases nobody holds",
        by_key=True,
    )
    unallocated_contacts, unallocated_cases = contacts_page.rows, cases_page.rows
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="",
        organisation=authority,
        list_name="lado_team",
        details={
            "contacts": [contact.pk for contact in unallocated_contacts],
            "cases": [case.pk for case in unallocated_cases],
        },
    )
    return render(
        request,
        "lado/team.html",
        {
            "authority": authority,
            "tier_names": list(CASE_TIERS.values()),
            "rows": [row(person) for person in team],
            "nobody": row(None),
            "unallocated_contacts": [
                {"contact": contact, "clock": advice_due(contact, today)} for contact in unallocated_contacts
            ],
            "unallocated_cases": unallocated_cases,
            "contacts_page": contacts_page,
            "cases_page": cases_page,
            "reference": reference,
            "reference_error": reference_error,
        },
    )


@login_required
def contact_allocate_page(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The LADO manager allocates a contact waiting for advice or a decision to a LADO (audited)."""
    user = signed_in_user(request)
    if not scope_for(user).lado_manage:
        raise Http404("No such contact.")
    contact = fetch.for_change(fetch.access_contact, user, contact_id, request)
    if contact.local_authority_id not in scope_for(user).lado_manage:
        raise Http404("No such contact.")
    candidates = contact_candidates(contact)
    return pages.form_page(
        request,
        contact,
        make_form=lambda record, data: ContactAllocateForm(
            data, initial={"version": record.version, "lado": record.allocated_to_id}, candidates=candidates
        ),
        save=lambda form: contact_allocate(
            actor=user,
            contact=contact,
            lado=form.cleaned_data["lado"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/contact_allocate.html",
        message=lambda allocated: f"Contact {allocated.reference} allocated to {allocated.allocated_to.full_name}.",
        redirect_to=reverse("lado_team"),
        context={"contact": contact, "waiting": contact.status in WAITING},
    )


urlpatterns = [
    path("lado/team/", lado_team, name="lado_team"),
    path("lado/contacts/<record:contact_id>/allocate/", contact_allocate_page, name="contact_allocate"),
]
