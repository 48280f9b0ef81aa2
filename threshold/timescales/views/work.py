"""My work (every signed-in person's open deadlines, grouped by when they fall due) and the trust's view.

Both read the stored deadlines through ``threshold.access`` (``visible_deadlines``), so a row follows its
record's rule, subject exclusion included, and each page is a fixed number of queries however many records the
person can see: My work reads its open steps' keys and due dates in one light query, counts and groups them,
and reads the rows on each group's page in one more (``threshold.core.pagination``, a parameter a group, so
paging the overdue steps keeps the page of those due later). Each list is an audited read naming the records
it shows.
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
    deadline_url,
    entries_of,
    keys_by_status,
    kinds_of,
    open_deadlines,
    steps_only,
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
# What a row of My work shows and links to (``work_table``, ``deadline_url``, ``Deadline.status_on``, the audit
# event's ``record_key``), and whose it is in the list of everything.
WORK_ROW_FIELDS = (
    "id", "record_key", "contact_id", "case_id", "meeting_id", "allegation_id", "concern_id",
    "reference", "label", "due_on", "due_at", "state", "owner",
)  # fmt: skip
# Rows of each group a page shows: four groups of 25 keep the page one a person can scan (a LADO with hundreds
# of open steps met 150 rows at 50 a group), and each group pages on its own.
WORK_PAGE_SIZE = 25
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
    # One light read of the list (key, kind, label, due date) counts and groups it, offers its kinds and
    # chooses each group's page; a second reads the rows on those pages. The list's access condition is
    # evaluated twice whatever the groups and pages (three times when "yours" is narrowed to one kind).
    rows = open_deadlines(user, everything=everything)
    entries = entries_of(rows)
    # The filter offers the kinds in the list shown; once narrowed to one, every kind the person may see.
    if kind:
        everything_entries = entries if everything else entries_of(open_deadlines(user, everything=True))
        kinds = kinds_of(everything_entries)
        entries = [entry for entry in entries if entry[1] == kind]
    else:
        kinds = kinds_of(entries)
    groups = keys_by_status(entries, today)
    # Whose each row is shows only in the list of everything.
    listed = (rows.select_related("owner") if everything else rows).only(*WORK_ROW_FIELDS)
    segments = [Segment(keys=groups[status], parameter=f"{status}_page", label=PAGES_OF[status]) for status in STATUSES]
    pages = dict(zip(STATUSES, pages_of_segments(listed, request, segments, size=WORK_PAGE_SIZE), strict=True))
    items = {
        status: [
            WorkItem(deadline=deadline, status=status, url=deadline_url(deadline))
            for deadline in pages[status].rows
            # A step whose due date moved between the two reads is left out of a group it no longer falls in.
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
    """The trust's view: the employer's overdue steps across the trust's schools, grouped by school.

    Steps, not policy 6.4's resolution targets (kept as deadlines beside them): a missed target is not an action.
    """
    user = signed_in_user(request)
    trusts = trust_organisations(user)
    if not trusts:
        raise PermissionDenied("Only a director of school or a trust's safeguarding lead sees the trust's view.")
    today = timezone.localdate()
    trust_ids = [trust.pk for trust in trusts]
    rows = list(
        steps_only(visible_deadlines(user, "view"))
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
