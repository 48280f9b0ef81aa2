"""The LADO side's lists as reads their pages and their spreadsheets share: the inbox, consultations and cases.

Each starts from ``threshold.access`` (``visible_contacts``, ``visible_cases``), so scope and subject exclusion
hold alike in the page and in its export (``threshold.reports.exports``), and each is one query however long
the list: what a row shows beyond the record (the reason of the decision that stands, whether a case is overdue)
is an annotation, never a read per row. A page shows one page of the list (``threshold.core.pagination``:
one count and one slice); an export streams all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from threshold.access import fetch
from threshold.access.figures import standing_decision
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.lado.models import Case, ConsultationReason, Contact, ContactStatus, Level
from threshold.lado.selectors import with_overdue
from threshold.policy import add_working_days

# Contacts still waiting in the inbox: new, or advised and not yet decided.
OPEN_STATUSES = (ContactStatus.NEW, ContactStatus.ADVISED)
# Open cases first, then concluded, then closed, newest first. The statuses' own values sort that way backwards
# ("open" > "concluded" > "closed"; tests/lado/test_list_pages.py holds them to it), so the order is the index
# (local authority, status, opened) read backwards, and a page reads its rows rather than sorting every case
# of the authority by a worked-out rank (bench/pages.py: 6.4 ms to 0.07 ms for all cases at 6,000).
LIST_ORDER = ("-status", "-opened_at", "-pk")
# The filters of all cases that pick rows by a field's own value (category and overdue are worked out).
FIELD_FILTERS = ("tier", "status", "sector")
# The most employers the all-cases filter offers as a list; an authority naming more has the manager type
# part of the employer's name instead, so the page never reads every employer ever named.
EMPLOYER_CHOICES = 100
# What an inbox row shows of the employer's outcome (``presenters.employer.listed_outcome_tag``): fetched for
# the page's rows in two queries, not four a row.
EMPLOYER_OUTCOMES = "allegation__outcomes__lado_responses"


def inbox_contacts(user: User) -> QuerySet[Contact]:
    """New contacts and those with advice given but no decision yet, newest first."""
    return (
        fetch.visible_contacts(user, "view")
        .filter(status__in=OPEN_STATUSES)
        .select_related("referral", "local_authority", "allocated_to", "allegation")
        .order_by("-received_at", "-pk")
    )


def advice_overdue(today: dt.date | None = None) -> Q:
    """The condition "advice is overdue" on contacts, as ``advice_due`` decides it for one, in the database.

    Advice is due the working day after the contact was received and is late from the day after that; the
    latest day of receipt already late today is found by stepping back over weekends and bank holidays (a
    clock never runs more than a few days), so the condition is a comparison of the indexed ``received_at``.
    """
    today = today or timezone.localdate()
    last_late = today - dt.timedelta(days=1)
    while add_working_days(last_late, 1) >= today:
        last_late -= dt.timedelta(days=1)
    first_in_time = timezone.make_aware(dt.datetime.combine(last_late + dt.timedelta(days=1), dt.time.min))
    return Q(advice_given_at__isnull=True, received_at__lt=first_in_time)


def inbox_counts(user: User, today: dt.date | None = None) -> dict[str, int]:
    """How many contacts wait in the user's inbox and how many of those are overdue (one query)."""
    waiting = fetch.visible_contacts(user, "view").filter(status__in=OPEN_STATUSES).order_by()
    counts = waiting.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=advice_overdue(today)))
    return {"waiting": counts["waiting"] or 0, "overdue": counts["overdue"] or 0}


def consultations(user: User) -> QuerySet[Contact]:
    """Contacts whose standing decision is a consultation, newest first, each with ``consultation_reason_code``.

    The decision that stands is the latest (a consultation reopened as a referral is a referral), chosen in the
    database through the contact's own rule (``access.figures.standing_decision``).
    """
    return (
        fetch.visible_contacts(user, "view")
        .filter(status=ContactStatus.DECIDED)
        .annotate(
            standing_level=standing_decision("level"),
            consultation_reason_code=standing_decision("consultation_reason"),
        )
        .filter(standing_level=Level.CONSULTATION)
        .order_by("-received_at", "-pk")
    )


def lists_own_cases(user: User) -> bool:
    """Whether "My cases" is the LADO's own allocated cases (a LADO) or every case the person may see."""
    return bool(scope_for(user).lado_change)


def my_cases(user: User) -> QuerySet[Case]:
    """My cases: a LADO's own allocated cases; anyone else's the cases they may see (a partner's, the summary).

    Unordered, so a page can count it; ``listed`` puts it in the list's order.
    """
    cases = fetch.visible_cases(user, "view_summary").select_related("subject", "lado", "local_authority")
    return cases.filter(lado=user) if lists_own_cases(user) else cases


def managed_cases(user: User) -> QuerySet[Case]:
    """All cases of the local authorities the user manages, before any filter."""
    return fetch.visible_cases(user, "manage").select_related("subject", "lado", "local_authority")


def case_employers(cases: QuerySet[Case]) -> list[str] | None:
    """The employers named on these cases, in order: the employer filter's choices; None past ``EMPLOYER_CHOICES``.

    One bounded query (distinct names, ordered, at most one more than are offered): an authority naming more
    employers than a list can offer is filtered by typing part of the name (``CaseFilterForm``).
    """
    names = list(
        cases.exclude(employer_name="")
        .order_by("employer_name")
        .values_list("employer_name", flat=True)
        .distinct()[: EMPLOYER_CHOICES + 1]
    )
    return None if len(names) > EMPLOYER_CHOICES else names


def listed(
    cases: QuerySet[Case], *, only_overdue: bool = False, seen_in_full: QuerySet[Case] | None = None
) -> QuerySet[Case]:
    """Cases in a list's order, each with ``overdue``: open first, then concluded, then closed; newest first."""
    return with_overdue(cases, only_overdue=only_overdue, seen_in_full=seen_in_full).order_by(*LIST_ORDER)


def my_cases_listed(user: User) -> QuerySet[Case]:
    """My cases in the list's order: for a partner, only the cases shared with them in full may be overdue."""
    seen_in_full = None if lists_own_cases(user) else fetch.visible_cases(user, "view")
    return listed(my_cases(user), seen_in_full=seen_in_full)


def filtered_cases(cases: QuerySet[Case], chosen: Mapping[str, Any]) -> QuerySet[Case]:
    """All cases narrowed by the manager's filters (tier, status, category, employer, sector, overdue), listed.

    ``chosen`` holds the filter form's cleaned values (codes, an employer's name as offered, a flag): the same
    whether a page shows the list or a spreadsheet holds it. Every filter runs in the database.
    """
    for name in FIELD_FILTERS:
        if chosen.get(name):
            cases = cases.filter(**{name: chosen[name]})
    if chosen.get("employer"):
        cases = cases.filter(employer_name=chosen["employer"])
    if chosen.get("employer_contains"):
        cases = cases.filter(employer_name__icontains=chosen["employer_contains"])
    if chosen.get("category"):
        cases = with_category(cases, str(chosen["category"]))
    # "Overdue" is read from the stored deadlines (one annotation), so that filter is in the database too.
    return listed(cases, only_overdue=bool(chosen.get("overdue")))


def with_category(cases: QuerySet[Case], category: str) -> QuerySet[Case]:
    """Cases whose categories of abuse (a JSON list) include ``category``, in the database.

    The list is matched as its JSON text with the value quoted, which every database reads alike
    (SQLite has no JSON ``contains``); ``category`` is one of the form's choices, never typed text.
    """
    return cases.annotate(categories_text=Cast("abuse_categories", TextField())).filter(
        categories_text__contains=f'"{category}"'
    )


def require_lado_reader(user: User) -> None:
    """The inbox, consultations and search are the LADO service's lists (and its auditors'): else 403."""
    if not scope_for(user).lado_read:
        raise PermissionDenied


def consultation_reason(contact: Contact) -> str:
    """Why the definition was not met, in the protocol's words, for a contact ``consultations`` listed."""
    code = getattr(contact, "consultation_reason_code", "") or ""
    return str(ConsultationReason(code).label) if code in ConsultationReason.values else "Not recorded"
