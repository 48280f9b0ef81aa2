"""LADO cases: my cases, all cases for the manager with filters, and the case page with its data set."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.chronology.panels import chronology_context
from threshold.core.http import signed_in_user
from threshold.core.pagination import page_of
from threshold.core.record_ids import record_url
from threshold.documents.panels import documents_context
from threshold.lado.forms.cases import CaseFilterForm, ReassignForm
from threshold.lado.list_selectors import (
    case_employers,
    filtered_cases,
    lists_own_cases,
    managed_cases,
    my_cases_listed,
)
from threshold.lado.models import Case, CaseStatus
from threshold.lado.presenters.case import case_page_context, summary_rows
from threshold.lado.presenters.dataset import tier_label
from threshold.lado.presenters.employer import employer_outcome_section
from threshold.lado.selectors import case_for_page, lado_candidates
from threshold.lado.views import case_changes, case_management
from threshold.lado.views.contacts import decisions_panel
from threshold.lado.views.meetings import meetings_panel
from threshold.lado.views.monitoring import monitoring_panel
from threshold.people.panels import hidden_context

# What a row of a case list shows (``_rows``, ``lado/case_list.html``): a page reads these of each case and its
# adult and LADO, not the case's whole recording data set.
ROW_FIELDS = (
    "id", "reference", "tier", "status", "opened_at", "local_authority_id",
    # A person's and an account's ``__init__`` read their name and address (to notice a change of either).
    "subject__id", "subject__full_name", "subject__email",
    "lado__id", "lado__full_name", "lado__email",
    "local_authority__id", "local_authority__name",
)  # fmt: skip


def _rows(cases: list[Case]) -> list[dict[str, Any]]:
    """What each list row shows: reference, adult, tier, status, LADO, opened, overdue (``with_overdue``)."""
    return [
        {
            "case": case,
            "url": record_url("case_detail", case.pk),
            "reference": case.reference,
            "tier": tier_label(case.tier),
            "overdue": bool(getattr(case, "overdue", False)),
        }
        for case in cases
    ]


def _audit_list(user: User, request: HttpRequest, cases: list[Case], details: dict[str, Any]) -> None:
    extra = dict(details)
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="case",
        list_name=str(extra.pop("list")),
        ids=[case.pk for case in cases],
        details=extra,
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """My cases: a LADO's own allocated cases, open first, a page at a time; anyone else sees the cases they may see.

    Partners see the cases shared with them (or whose meetings are), auditors
    and business support the local authority's. The search by the adult's name
    is on the LADO search page, where it is POSTed.
    """
    user = signed_in_user(request)
    scope = scope_for(user)
    mine = lists_own_cases(user)
    page = page_of(my_cases_listed(user).only(*ROW_FIELDS), request, by_key=True)
    rows = page.rows
    _audit_list(user, request, rows, {"list": "mine" if mine else "visible"})
    return render(
        request,
        "lado/case_list.html",
        {
            "heading": "My cases" if mine else "LADO cases",
            "rows": _rows(rows),
            "page": page,
            "is_manager": bool(scope.lado_manage),
            "filters": None,
        },
    )


@login_required
def case_list_all(request: HttpRequest) -> HttpResponse:
    """All cases of the manager's local authority, filtered by tier, status, category, employer, sector, overdue.

    The filters are GET parameters (bookmarkable, kept from page to page) and hold no personal data: never the
    adult's name. Every filter runs in the database and the employer's choices are a bounded query
    (``list_selectors.case_employers``), so the page costs the same at any size.
    """
    user = signed_in_user(request)
    if not scope_for(user).lado_manage:
        raise PermissionDenied("Only a LADO manager sees all cases.")
    cases = managed_cases(user)
    form = CaseFilterForm(request.GET or None, statuses=CaseStatus.choices, employers=case_employers(cases))
    chosen = form.chosen()
    page = page_of(filtered_cases(cases, chosen).only(*ROW_FIELDS), request, by_key=True)
    rows = page.rows
    _audit_list(user, request, rows, {"list": "all", "filters": chosen})
    return render(
        request,
        "lado/case_list.html",
        {
            "heading": "All cases",
            "rows": _rows(rows),
            "page": page,
            "is_manager": True,
            "filters": form,
            "show_lado": True,
        },
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: in full for the LADO service and partners it is shared with; else its summary."""
    user = signed_in_user(request)
    try:
        case = case_for_page(user, case_id, request=request)
    except Http404:
        # Not theirs in full: a partner invited to one of its meetings reads its summary (or nothing: a 404).
        case = None
    if case is not None:
        may_change = fetch.can(user, "change", case)
        may_manage = fetch.can(user, "manage", case)
        context: dict[str, Any] = {
            "case": case,
            "full": True,
            "may_change": may_change,
            **case_page_context(case, may_change=may_change),
            "reassign_form": (
                ReassignForm(initial={"version": case.version}, candidates=lado_candidates(case))
                if may_manage and case.status != CaseStatus.CLOSED
                else None
            ),
        }
        context.update(decisions_panel(user, case))
        context.update(meetings_panel(user, case, request, may_change=may_change))
        context.update(monitoring_panel(user, case, may_change=may_change))
        context.update(documents_context(user=user, record=case, record_type="case", can_upload=may_change))
        context.update(chronology_context(record=case, record_type="case", can_add=may_change))
        context["hidden"] = hidden_context(user=user, record=case, record_type="case")
        # The employer's outcome on the allegation the case came from, for those who may see its contact.
        contact = case.contact
        sees_contact = contact is not None and fetch.visible_contacts(user, "view").filter(pk=contact.pk).exists()
        context["employer_outcome"] = employer_outcome_section(
            contact if sees_contact else None,
            may_decide=sees_contact and contact is not None and fetch.can(user, "decide", contact),
        )
        return render(request, "lado/case_detail.html", context)
    case = fetch.access_case(user, case_id, "view_summary", request=request)
    context = {"case": case, "full": False, "may_change": False, "summary_rows": summary_rows(case)}
    context.update(meetings_panel(user, case, request))
    return render(request, "lado/case_detail.html", context)


urlpatterns = [
    path("lado/cases/", case_list, name="case_list"),
    path("lado/cases/all/", case_list_all, name="case_list_all"),
    path("lado/cases/<record:case_id>/", case_detail, name="case_detail"),
    *case_changes.urlpatterns,
    *case_management.urlpatterns,
]
