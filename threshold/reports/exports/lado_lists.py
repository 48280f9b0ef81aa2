"""The LADO side's lists out: inbox, consultations, my cases, all cases (filtered) and a meeting's actions.

Each reads the page's own selector (``threshold.lado.list_selectors``) as the reader, so what the page would not
show them (another authority's records, a record about themselves) is not in the spreadsheet either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.core.vocabularies import AbuseCategory
from threshold.lado.forms.cases import CaseFilterForm
from threshold.lado.list_selectors import (
    case_employers,
    consultation_reason,
    consultations,
    filtered_cases,
    inbox_contacts,
    managed_cases,
    my_cases_listed,
    require_lado_reader,
)
from threshold.lado.models import Case, CaseStatus, Contact, Meeting, MeetingAction
from threshold.lado.presenters.dataset import tier_label
from threshold.lado.selectors import advice_due
from threshold.reports.exports.base import Filters, ListExport, london, london_day, name_of, yes_no

NOT_RECORDED = "Not recorded"


def _lado_reader(user: User, query: Mapping[str, str]) -> Filters:
    require_lado_reader(user)
    return {}


def _contact_from(contact: Contact) -> tuple[str, str]:
    return contact.get_source_display(), contact.referrer_agency


def _inbox_row(contact: Contact) -> Sequence[Any]:
    clock = advice_due(contact)
    source, agency = _contact_from(contact)
    return [
        contact.reference,
        contact.adult_name or "Not identified",
        contact.employer_name,
        source,
        agency,
        contact.get_method_display(),
        london(contact.received_at),
        clock.due,
        clock.given_on,
        yes_no(clock.overdue),
        name_of(contact.allocated_to, "Not allocated"),
    ]


INBOX = ListExport(
    kind="lado-inbox",
    title="LADO inbox",
    record_type="contact",
    header=(
        "Reference",
        "Adult",
        "Employer",
        "From",
        "Referring agency",
        "How",
        "Received",
        "Advice due",
        "Advice given",
        "Advice overdue",
        "Held by",
    ),
    filters=_lado_reader,
    records=lambda user, filters: inbox_contacts(user),
    row=_inbox_row,
    page=lambda filters: reverse("lado_inbox"),
)


def _consultation_row(contact: Contact) -> Sequence[Any]:
    source, agency = _contact_from(contact)
    return [
        contact.reference,
        contact.adult_name or "Not identified",
        contact.employer_name,
        source,
        agency,
        london_day(contact.received_at),
        consultation_reason(contact),
    ]


CONSULTATIONS = ListExport(
    kind="consultations",
    title="Consultations",
    record_type="contact",
    header=("Reference", "Adult", "Employer", "From", "Referring agency", "Received", "Why the definition was not met"),
    filters=_lado_reader,
    records=lambda user, filters: consultations(user),
    row=_consultation_row,
    page=lambda filters: reverse("consultation_list"),
)


def _case_cells(case: Case) -> list[Any]:
    return [
        case.reference,
        case.subject.full_name,
        tier_label(case.tier),
        case.get_status_display(),
        yes_no(bool(getattr(case, "overdue", False))),
        name_of(case.lado, "Not allocated"),
    ]


MY_CASES = ListExport(
    kind="my-cases",
    title="My cases",
    record_type="case",
    header=("Reference", "Adult", "Tier", "Status", "Overdue", "LADO", "Opened"),
    records=lambda user, filters: my_cases_listed(user),
    row=lambda case: [*_case_cells(case), london_day(case.opened_at)],
    page=lambda filters: reverse("case_list"),
)


def _all_cases_filters(user: User, query: Mapping[str, str]) -> Filters:
    """The manager's filters, read by the page's own form (an invalid choice filters nothing, as on the page)."""
    if not scope_for(user).lado_manage:
        raise PermissionDenied("Only a LADO manager sees all cases.")
    employers = case_employers(managed_cases(user))
    return CaseFilterForm(query or None, statuses=CaseStatus.choices, employers=employers).chosen()


def _categories(case: Case) -> str:
    labels = dict(AbuseCategory.choices)
    return ", ".join(str(labels[code]) for code in case.abuse_categories or [] if code in labels) or NOT_RECORDED


def _all_cases_page(filters: Filters) -> str:
    # A typed employer is filtered as ``employer_contains`` but asked for as ``employer`` (``CaseFilterForm``).
    names = {"employer_contains": "employer"}
    query = {names.get(name, name): ("on" if value is True else value) for name, value in filters.items()}
    return reverse("case_list_all") + (f"?{urlencode(query)}" if query else "")


ALL_CASES = ListExport(
    kind="all-cases",
    title="All cases",
    record_type="case",
    header=(
        "Reference",
        "Adult",
        "Tier",
        "Status",
        "Overdue",
        "LADO",
        "Employer",
        "Sector",
        "Categories of abuse",
        "Opened",
    ),
    filters=_all_cases_filters,
    records=lambda user, filters: filtered_cases(managed_cases(user), filters),
    row=lambda case: [
        *_case_cells(case),
        case.employer_name,
        case.get_sector_display() or NOT_RECORDED,
        _categories(case),
        london_day(case.opened_at),
    ],
    page=_all_cases_page,
)


def _meeting(user: User, meeting_id: object) -> Meeting:
    """The meeting, if the reader may see it (as its page decides); else the 404 of one that does not exist."""
    try:
        pk = int(str(meeting_id))
    except ValueError:
        raise Http404("No such record.") from None
    meeting = fetch.visible_meetings(user, "view").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such record.")
    return meeting


def _meeting_filters(user: User, query: Mapping[str, str]) -> Filters:
    return {"meeting": _meeting(user, query.get("meeting")).pk}


def _meeting_actions(user: User, filters: Filters) -> QuerySet[MeetingAction]:
    # Reached through the meeting the reader may see: a sub-record follows its meeting (docs/access.md).
    return _meeting(user, filters.get("meeting")).actions.order_by("due_on", "pk")


def _action_row(action: MeetingAction) -> Sequence[Any]:
    overdue = not action.done_on and action.due_on < timezone.localdate()
    return [action.description, action.owner, action.due_on, action.done_on or "Not yet", yes_no(overdue)]


MEETING_ACTIONS = ListExport(
    kind="meeting-actions",
    title="Meeting actions",
    record_type="meeting",
    header=("Action", "Owner", "Due", "Done", "Overdue"),
    filters=_meeting_filters,
    records=_meeting_actions,
    row=_action_row,
    page=lambda filters: reverse("meeting_detail", args=[filters["meeting"]]) + "#actions",
    # The actions are the meeting's sub-records: the event is about the meeting and names each action.
    named=lambda records, ids, filters: {"record_id": filters["meeting"], "details": {"actions": ids}},
)

LADO_LISTS = (INBOX, CONSULTATIONS, MY_CASES, ALL_CASES, MEETING_ACTIONS)
