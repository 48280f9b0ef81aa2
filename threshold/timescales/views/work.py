"""My work (every signed-in person's open deadlines, grouped by when they fall due) and the trust's view.

Both read the stored deadlines through ``threshold.access`` (``visible_deadlines``), so a row follows its
record's rule, subject exclusion included, and each page is a fixed number of queries however many records the
person can see: My work's four groups are counted in one query and each paged in the database
(``threshold.core.pagination``, a parameter each, so paging the overdue steps keeps the page of those due
later). Each list is an audited read naming the records it shows.
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
from threshold.accounts.selectors import current_memberships
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_listed
from threshold.core.http import signed_in_user
from threshold.core.pagination import Segment, pages_of_segments
from threshold.timescales.forms import SHOW_CHOICES, WorkFilterForm
from threshold.timescales.models import DeadlineState
from threshold.timescales.selectors import (
    STATUS_LABELS,
    STATUSES,
    WorkItem,
    count_by_status,
    deadline_url,
    kinds_in,
    open_deadlines,
)

# The trust-wide roles that oversee the employer's steps in every school of the trust.
TRUST_OVERSIGHT_ROLES = (Role.DIRECTOR_OF_SCHOOL, Role.DSL)
# Empty states, in words.
EMPTY = {
    "overdue": "Nothing is overdue.",
    "today": "Nothing is due today.",
    "week": "Nothing is due in the next 7 days.",
    "later": "Nothing is due later.",
}
# Each group's pages, named for the landmark of its links (four paged lists on one page).
PAGES_OF = {
    "overdue": "Pages of overdue steps",
    "today": "Pages of steps due today",
    "week": "Pages of steps due in the next 7 days",
    "later": "Pages of steps due later",
}


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What is overdue, due today, due in the next 7 days and later, on every record the person may see."""
    user = signed_in_user(request)
    chosen = WorkFilterForm(request.GET or None).chosen()
    kind, everything = chosen["kind"], chosen["everything"]
    today = timezone.localdate()
    kinds_wanted = [kind] if kind else []
    rows = open_deadlines(user, everything=everything, kinds=kinds_wanted)
    # The four groups counted in one query, then a page of each read together: they are consecutive parts of
    # the one list, whose order starts with the due date. One access condition is built for the count, the
    # pages and the kinds.
    totals = count_by_status(rows, today)
    # Whose each row is shows only in the list of everything.
    listed = rows.select_related("owner") if everything else rows
    segments = [
        Segment(total=totals[status], parameter=f"{status}_page", label=PAGES_OF[status]) for status in STATUSES
    ]
    pages = dict(zip(STATUSES, pages_of_segments(listed, request, segments), strict=True))
    # The filter offers the kinds in the list shown; once narrowed to one, every kind the person may see.
    kinds = kinds_in(open_deadlines(user, everything=True) if kind else rows)
    items = {
        status: [
            WorkItem(deadline=deadline, status=status, url=deadline_url(deadline))
            for deadline in pages[status].rows
            # A step added or closed between the count and the read shifts the groups' windows.
            if deadline.status_on(today) == status
        ]
        for status in STATUSES
    }
    shown = [item.deadline for status in STATUSES for item in items[status]]
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="deadline",
        list_name="my_work_everything" if everything else "my_work",
        records=[deadline.record_key for deadline in shown],
        details={"count": len(shown)},
    )
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
                    "items": items[status],
                    "page": pages[status],
                    "total": pages[status].total,
                    "empty": EMPTY[status],
                }
                for status in STATUSES
            ],
            "total": sum(page.total for page in pages.values()),
        },
    )


def trust_organisations(user: User) -> list[Organisation]:
    """The academy trusts whose schools the user oversees as a director of school or trust DSL."""
    trusts = {
        membership.organisation.pk: membership.organisation
        for membership in current_memberships(user)
        if membership.organisation.kind == OrganisationKind.ACADEMY_TRUST and membership.role in TRUST_OVERSIGHT_ROLES
    }
    return sorted(trusts.values(), key=lambda trust: trust.name)


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
    audit_listed(
        context=AuditContext.from_request(request),
        record_type="deadline",
        list_name="trust_overdue",
        records=[deadline.record_key for deadline in rows],
        details={"count": len(rows)},
    )
    return render(
        request,
        "timescales/trust_work.html",
        {"trusts": trusts, "schools": list(schools.values()), "total": len(rows), "today": today},
    )


urlpatterns = [
    path("work/", my_work, name="my_work"),
    path("work/trust/", trust_work, name="trust_work"),
]
