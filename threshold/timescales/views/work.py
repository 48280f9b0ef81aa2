"""My work (every signed-in person's open deadlines, grouped by when they fall due) and the trust's view.

Both read the stored deadlines through ``threshold.access`` (``visible_deadlines``), so a row follows its
record's rule, subject exclusion included, and each page is a fixed number of queries however many records
the person can see. Each list is an audited read naming the records it shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from threshold.access.fetch import visible_deadlines
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.http import signed_in_user
from threshold.timescales.forms import SHOW_CHOICES, WorkFilterForm
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import STATUS_LABELS, STATUSES, WorkItem, deadline_url, kinds_for, work_list

# The trust-wide roles that oversee the employer's steps in every school of the trust.
TRUST_OVERSIGHT_ROLES = (Role.DIRECTOR_OF_SCHOOL, Role.DSL)
# Empty states, in words.
EMPTY = {
    "overdue": "Nothing is overdue.",
    "today": "Nothing is due today.",
    "week": "Nothing is due in the next 7 days.",
    "later": "Nothing is due later.",
}
# Rows shown per section; the count says how many more there are (the kind filter narrows the list).
SECTION_LIMIT = 100


def _kinds_listed(groups: dict[str, list[WorkItem]]) -> list[tuple[str, str]]:
    """The kinds in a work list, as (kind, label) for the filter, as ``kinds_for`` gives them."""
    seen: dict[str, str] = {}
    for items in groups.values():
        for item in items:
            seen.setdefault(item.deadline.kind, item.deadline.label)
    return sorted(seen.items(), key=lambda pair: pair[1])


def audit_listed(
    request: HttpRequest | None, listed: str, deadlines: list[Deadline], job: str = "", whose: int | None = None
) -> None:
    """One ``records.listed`` event naming the records whose deadlines a list shows (``case:12``, ...).

    ``whose`` is the user a command listed the work of (``manage.py due``), so the trail says whose it was.
    """
    records = sorted({deadline.record_key for deadline in deadlines})
    details: dict[str, object] = {"list": listed, "count": len(deadlines), "records": records}
    if whose is not None:
        details["user"] = whose
    audit_record(
        context=AuditContext.from_request(request) if request is not None else AuditContext.system(job),
        action="records.listed",
        record_type="deadline",
        details=details,
    )


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What is overdue, due today, due in the next 7 days and later, on every record the person may see."""
    user = signed_in_user(request)
    chosen = WorkFilterForm(request.GET or None).chosen()
    kind, everything = chosen["kind"], chosen["everything"]
    groups = work_list(user, everything=everything, kinds=[kind] if kind else ())
    # The filter offers the kinds in the list shown; once narrowed to one, every kind the person may see.
    kinds = kinds_for(user) if kind else _kinds_listed(groups)
    shown = [item.deadline for status in STATUSES for item in groups[status][:SECTION_LIMIT]]
    audit_listed(request, "my_work_everything" if everything else "my_work", shown)
    return render(
        request,
        "timescales/my_work.html",
        {
            "kind_choices": [("", "All kinds"), *kinds],
            "kind": kind,
            "show": "everything" if everything else "yours",
            "show_choices": SHOW_CHOICES,
            "everything": everything,
            "sections": [
                {
                    "status": status,
                    "heading": STATUS_LABELS[status],
                    "items": groups[status][:SECTION_LIMIT],
                    "total": len(groups[status]),
                    "empty": EMPTY[status],
                }
                for status in STATUSES
            ],
            "total": sum(len(items) for items in groups.values()),
        },
    )


def trust_organisations(user: User) -> list[Organisation]:
    """The academy trusts whose schools the user oversees as a director of school or trust DSL."""
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.ACADEMY_TRUST,
            is_active=True,
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=TRUST_OVERSIGHT_ROLES,
        )
        .distinct()
        .order_by("name")
    )


@login_required
def trust_work(request: HttpRequest) -> HttpResponse:
    """The trust's view: the employer's overdue steps across the trust's schools, grouped by school."""
    user = signed_in_user(request)
    trusts = trust_organisations(user)
    if not trusts:
        raise PermissionDenied("Only a director of school or a trust's safeguarding lead sees the trust's view.")
    today = timezone.localdate()
    trust_ids = [trust.pk for trust in trusts]
    rows = list(
        visible_deadlines(user, "view")
        .filter(state=DeadlineState.OPEN, due_on__lt=today)
        .filter(organisation__trust_id__in=trust_ids)
        .select_related("organisation", "owner")
        .order_by("organisation__name", "due_on", "reference", "pk")
    )
    schools: dict[int, dict[str, Any]] = {}
    for deadline in rows:
        school = schools.setdefault(deadline.organisation_id, {"organisation": deadline.organisation, "items": []})
        school["items"].append(WorkItem(deadline=deadline, status="overdue", url=deadline_url(deadline)))
    audit_listed(request, "trust_overdue", rows)
    return render(
        request,
        "timescales/trust_work.html",
        {"trusts": trusts, "schools": list(schools.values()), "total": len(rows), "today": today},
    )


urlpatterns = [
    path("work/", my_work, name="my_work"),
    path("work/trust/", trust_work, name="trust_work"),
]
