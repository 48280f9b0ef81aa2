"""The only door to protected records: ``access_<thing>`` for one, ``visible_<things>`` for many.

``access_*`` returns the record or raises ``Http404`` — the same answer for
"does not exist" and "not yours", so an id from another organisation reveals
nothing. Every read (``view``, ``view_report``, ``view_summary``,
``download``) writes exactly one access event to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, Literal, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, Exists, Model, OuterRef, Q, QuerySet, Value
from django.http import Http404, HttpRequest
from django.utils import timezone

from threshold.access import policies
from threshold.access.compiled import CompiledWhere
from threshold.access.guard import scoped
from threshold.access.policies import Action
from threshold.access.scope import Scope, scope_for
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.concerns.models import Concern
from threshold.documents.models import Document
from threshold.lado.models import Case, Contact, Meeting
from threshold.notifications.models import Notification
from threshold.people.models import Person
from threshold.timescales.models import Deadline

M = TypeVar("M", bound=Model)
F = TypeVar("F", bound=Callable[..., QuerySet[Any]])

# The lists each ``visible_*`` built, kept for the process by what they were built from (``kept``), the least
# recently used dropped first past ``KEPT_LISTS`` (each some tens of kilobytes with rule 2's people).
KEPT_LISTS = 512
_kept_lists: OrderedDict[tuple[Any, ...], QuerySet[Any]] = OrderedDict()
_kept_lock = threading.Lock()


# The scope a kept list is being built for (``kept``): its builder reads the same one, not the memberships again.
_building: ContextVar[Scope | None] = ContextVar("threshold_access_building", default=None)


def _scope(user: Any) -> Scope:
    building = _building.get()
    if building is not None and building.user is user:
        return building
    return scope_for(user)


def kept(build: F) -> F:
    """Build a ``visible_*`` list, or a selector's list on them, once for what it is built from; copy it for each.

    A list's condition is a pure function of the reader's scope (its fingerprint: the account's id and every
    organisation each capability reaches), rule 2's people as this request names them
    (``policies.rule_two_key``) and the function's own arguments; it reads nothing else. Building it (resolving
    a rule's ``Q`` and its ``EXISTS`` subqueries into a query) cost more than running it on a page that runs
    several (bench/work_lists.py), and a person opens page after page with the same scope. So the built
    queryset is kept under that key, for the process, and each call returns a copy (``QuerySet.all``, as a
    class-level queryset of a Django list view is copied for every request): a caller chains onto its copy and
    never changes the kept one. A change of membership, name, address, possible match or clearance changes the
    key; nothing has to be forgotten.

    A selector whose list is built on ``visible_*`` lists and conditions in SQL alone may be kept too (the
    home page's lists: ADR 0041). Whatever else it reads in Python (the settings a person handles) must be one of
    its arguments, so that it is in the key, and a list that compares a date with today is ``kept_for_the_day``;
    its name in the key is the module's and the function's.
    """
    return _keeper(build, dated=False)


def kept_for_the_day(build: F) -> F:
    """``kept``, and keyed by today's date too: for a list whose condition compares a date with today (``today``).

    Today is the one input such a condition reads besides the scope, rule 2's key and its arguments; in the key,
    a list kept yesterday is never used today, and a test's frozen clock meets a list of its own day.
    """
    return _keeper(build, dated=True)


# The day a dated list is being built for (``kept_for_the_day``): its builder reads the day its key holds.
_building_day: ContextVar[dt.date | None] = ContextVar("threshold_access_building_day", default=None)


def today() -> dt.date:
    """Today, as the list being built is kept for (``kept_for_the_day``), else the local date now.

    Refused inside a list kept without a day (``kept``): the date would be kept in its SQL for the process.
    """
    day = _building_day.get()
    if day is not None:
        return day
    if _building.get() is not None:
        raise RuntimeError("A list whose condition reads today must be kept_for_the_day, not kept.")
    return timezone.localdate()


def _keeper(build: F, *, dated: bool) -> F:
    signature = inspect.signature(build)
    name = f"{build.__module__}.{build.__qualname__}"

    @wraps(build)
    def visible(user: Any, *arguments: Any, **named: Any) -> QuerySet[Any]:
        if getattr(user, "pk", None) is None or not getattr(user, "is_authenticated", False):
            return build(user, *arguments, **named)
        scope = _scope(user)
        # The arguments as the function sees them, defaults filled in: ``(lara)``, ``(lara, "view")`` and
        # ``(lara, action="view")`` are one list.
        bound = signature.bind(user, *arguments, **named)
        bound.apply_defaults()
        asked = tuple(bound.arguments.items())[1:]  # the reader is in the fingerprint
        # A dated list built inside another (actionable_deadlines on visible_deadlines) takes the outer one's day;
        # inside a list kept without a day, its date would be kept in that list's SQL for the process: refused.
        if dated and _building.get() is not None and _building_day.get() is None:
            raise RuntimeError(f"{name} compares with today: a list built on it must be kept_for_the_day.")
        day = (_building_day.get() or timezone.localdate()) if dated else None
        key = (name, asked, scope.fingerprint(), policies.rule_two_key(scope), day)
        with _kept_lock:
            kept = _kept_lists.get(key)
            if kept is not None:
                _kept_lists.move_to_end(key)  # the least recently used goes first
        if kept is None:
            token, day_token = _building.set(scope), _building_day.set(day)
            try:
                kept = build(user, *arguments, **named)
            finally:
                _building.reset(token)
                _building_day.reset(day_token)
            # Its condition compiled once too, for every copy (ADR 0040).
            kept.query.where = CompiledWhere.keep(kept.query.where)
            with _kept_lock:
                _kept_lists[key] = kept
                while len(_kept_lists) > KEPT_LISTS:
                    _kept_lists.popitem(last=False)
        copy = kept.all()
        # ``QuerySet._clone`` hands this dictionary on by reference, and ``&`` or ``|`` with a related manager's
        # queryset writes into it: the copy gets its own, so nothing a caller does reaches the kept list.
        copy._known_related_objects = {}  # type: ignore[attr-defined]
        return copy

    return cast(F, visible)


def _visible(model: type[M], condition: Q, *, repeats: bool = True) -> QuerySet[M]:
    # Conditions that follow many-valued relations (shares) can repeat a row, so the list is DISTINCT, unless
    # the caller knows its condition joins nothing (``repeats=False``). Marked as scoped, so the guard lets
    # callers chain and evaluate it (threshold.access.guard).
    queryset = model._default_manager.filter(condition)
    return scoped(queryset.distinct() if repeats else queryset)


def _fetch(
    user: Any,
    queryset: QuerySet[M],
    record_id: object,
    action: Action,
    record_type: str,
    request: HttpRequest | None,
) -> M:
    if action in policies.COUNT_ACTIONS:
        # Counting opens no record: a figure is an aggregate over ``visible_*``, never a record fetched by id.
        raise Http404("No such record.")
    try:
        record = queryset.get(pk=int(str(record_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404("No such record.") from None
    if action in policies.READ_ACTIONS:
        audit_read(user=user, record=record, record_type=record_type, action=action, request=request)
    return record


def audit_read(
    *,
    user: Any,
    record: Model,
    record_type: str,
    action: Action = "view",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write the access event of one read of a record the caller has fetched through ``access_*``.

    The event's organisation is the one the reader acted for (who looked, as
    whom); the record's own organisation is kept in ``details`` so its
    auditors find every look at it (``audit.selectors``). Pages that fetch a
    record for ``change`` but show its content (a chronology entry to correct)
    call this themselves. The event's context is built from the request as a
    service's is (``AuditContext.from_request``, ADR 0022) and must name ``user``.
    """
    owner = owning_organisation(record)
    context = context_for(user, AuditContext.from_request(request) if request is not None else None)
    audit_record(
        context=context,
        action=f"record.{action}",
        record_type=record_type,
        record_id=record.pk,
        details={**(details or {}), "record_organisation": owner.pk if owner is not None else None},
    )


def owning_organisation(record: Model) -> Organisation | None:
    """The organisation (or local authority) that owns a protected record."""
    if isinstance(record, Meeting):
        return record.case.local_authority
    for attribute in ("organisation", "local_authority"):
        if hasattr(record, attribute):
            return getattr(record, attribute)
    return None


@kept
def visible_concerns(user: User, action: Action = "view") -> QuerySet[Concern]:
    """Concerns the user may see (``view``) or whose report they raised (``view_report``)."""
    return _visible(Concern, policies.concern_condition(_scope(user), action))


def access_concern(user: User, concern_id: object, action: Action, *, request: HttpRequest | None = None) -> Concern:
    """One concern, if the user may perform ``action`` on it."""
    return _fetch(user, visible_concerns(user, action), concern_id, action, "concern", request)


@kept
def visible_allegations(user: User, action: Action = "view") -> QuerySet[Allegation]:
    """Allegations the user may see or act on."""
    return _visible(Allegation, policies.allegation_condition(_scope(user), action))


def access_allegation(
    user: User, allegation_id: object, action: Action, *, request: HttpRequest | None = None
) -> Allegation:
    """One allegation, if the user may perform ``action`` on it."""
    return _fetch(user, visible_allegations(user, action), allegation_id, action, "allegation", request)


@kept
def visible_contacts(user: User, action: Action = "view") -> QuerySet[Contact]:
    """LADO contacts the user may see or act on."""
    return _visible(Contact, policies.contact_condition(_scope(user), action))


def access_contact(user: User, contact_id: object, action: Action, *, request: HttpRequest | None = None) -> Contact:
    """One LADO contact, if the user may perform ``action`` on it."""
    return _fetch(user, visible_contacts(user, action), contact_id, action, "contact", request)


@kept
def visible_cases(user: User, action: Action = "view") -> QuerySet[Case]:
    """LADO cases the user may see or act on."""
    return _visible(Case, policies.case_condition(_scope(user), action))


def access_case(user: User, case_id: object, action: Action, *, request: HttpRequest | None = None) -> Case:
    """One LADO case, if the user may perform ``action`` on it."""
    return _fetch(user, visible_cases(user, action), case_id, action, "case", request)


@kept
def visible_meetings(user: User, action: Action = "view") -> QuerySet[Meeting]:
    """Meetings the user may see or act on."""
    return _visible(Meeting, policies.meeting_condition(_scope(user), action))


def access_meeting(user: User, meeting_id: object, action: Action, *, request: HttpRequest | None = None) -> Meeting:
    """One meeting, if the user may perform ``action`` on it."""
    return _fetch(user, visible_meetings(user, action), meeting_id, action, "meeting", request)


@kept
def visible_people(user: User, action: Action = "view") -> QuerySet[Person]:
    """Person records the user may see or change."""
    return _visible(Person, policies.person_condition(_scope(user), action))


def access_person(user: User, person_id: object, action: Action, *, request: HttpRequest | None = None) -> Person:
    """One person record, if the user may perform ``action`` on it."""
    return _fetch(user, visible_people(user, action), person_id, action, "person", request)


@kept
def visible_documents(user: User) -> QuerySet[Document]:
    """Documents on records the user may see in full: a document follows its record."""
    scope = _scope(user)
    # Each branch asks about the document's own record (a correlated EXISTS), not whether it is among every
    # record the reader may see: a record page's few documents were tested against the whole visible set of
    # each kind (4 ms for a case's panel at a large authority). A record type the reader cannot reach at all
    # is left out (``policies.pruned``).
    branches = [
        (Concern, "concern_id", policies.concern_condition(scope, "view")),
        (Allegation, "allegation_id", policies.allegation_condition(scope, "view")),
        (Case, "case_id", policies.case_condition(scope, "view")),
        (Meeting, "meeting_id", policies.meeting_condition(scope, "view")),
    ]
    condition = policies.NOTHING
    for model, column, rule in branches:
        rule = policies.pruned(rule)
        if rule != policies.NOTHING:
            record = model._default_manager.filter(rule, pk=OuterRef(column))
            condition |= Q(**{f"{column}__isnull": False}) & Q(Exists(record))
    return _visible(Document, policies.pruned(condition), repeats=False)


def access_document(
    user: User, document_id: object, action: Action = "download", *, request: HttpRequest | None = None
) -> Document:
    """One document, if the user may see the record it belongs to."""
    if action not in ("view", "download"):
        raise Http404("No such record.")
    return _fetch(user, visible_documents(user), document_id, action, "document", request)


@kept_for_the_day
def visible_deadlines(user: User, action: Action = "view") -> QuerySet[Deadline]:
    """Deadlines on records the user may see (``view``) or act on (``change``): a deadline follows its record.

    The record's own rule decides, subject exclusion included: an employer's steps through the allegation
    or concern, the LADO service's through the contact, case or meeting (a meeting action reaches a partner
    the meeting is shared with); an organisation's own deadline (the termly pattern review) reaches those
    who handle its concerns.
    """
    scope = _scope(user)
    record_action: Action = "change" if action == "change" else "view"
    # Acting on a meeting's step is the LADO service's (``change``): a partner the meeting is shared with may add an
    # update to it (``add_update``), never close the LADO's steps.
    meeting_action: Action = "change" if action == "change" else "view"
    if action not in ("view", "change"):
        return _visible(Deadline, policies.NOTHING)
    handlers = (
        scope.concern_change_plain | scope.concern_change_routed
        if action == "change"
        else scope.concern_read_plain | scope.concern_read_routed
    )
    # Each branch is a correlated EXISTS on the row's own record, not "record IN (every record the user may
    # see)": a work list reads a person's few hundred rows, and the authority may hold tens of thousands of
    # contacts and cases that an IN list would read in full on every page (bench/work_lists.py).
    # A record type the person cannot reach at all adds no branch (``policies.pruned``).
    branches: tuple[tuple[type[Model], Q, str], ...] = (
        (Concern, policies.concern_condition(scope, record_action), "concern_id"),
        (Allegation, policies.allegation_condition(scope, record_action), "allegation_id"),
        (Contact, policies.contact_condition(scope, record_action), "contact_id"),
        (Case, policies.case_condition(scope, record_action), "case_id"),
        (Meeting, policies.meeting_condition(scope, meeting_action), "meeting_id"),
    )
    condition = policies.NOTHING
    for model, rule, column in branches:
        if rule != policies.NOTHING:
            condition |= Q(Exists(model._default_manager.filter(rule, pk=OuterRef(column))))
    if handlers:
        condition |= Q(record_key__startswith="organisation:", organisation_id__in=handlers) & _review_may_be_told(
            scope
        )
    # Every branch is an EXISTS or a test of the row's own columns: no join, so no row can repeat, and a work
    # list need not sort and de-duplicate whole rows to page them (``threshold.core.pagination``).
    return _visible(Deadline, policies.pruned(condition), repeats=False)


def _review_may_be_told(scope: Scope) -> Q:
    """An organisation's own deadline before its day, or after it where the reader may see a concern it was for.

    The termly pattern review of a term that has ended is kept (and is overdue) because the setting had concerns
    to review by the term's end (``concerns.services.deadlines``). Where every one of them is hidden from the
    reader (about them, rule 2, or sent past them to the trust), showing them the missed review would tell them
    those concerns exist: it is left out of their lists, counts, reminders and digests. The reviewers who may see
    a concern it covers are told as before.
    """
    covered = Concern._default_manager.filter(
        policies.concern_condition(scope, "view"),
        organisation=OuterRef("organisation"),
        raised_on__lte=OuterRef("due_on"),
        imported=False,
    )
    return Q(due_on__gte=today()) | Q(Exists(covered))


@kept_for_the_day
def actionable_deadlines(user: User) -> QuerySet[Deadline]:
    """The deadlines that are the user's to act on: those they own, and those nobody owns on a record they change.

    Built on ``visible_deadlines(user, "view")``, so each row's own record rule has decided (scope, routing past a
    headteacher, subject exclusion). A row nobody owns (a contact no LADO holds yet, a low-level action, the
    termly pattern review) is theirs when they hold a role that changes that kind of record in the row's
    organisation: the same sets of ``Scope`` the ``change`` conditions are made of. One condition is built,
    not a second ``visible_deadlines(user, "change")``: a work list is on every home page.
    """
    scope = _scope(user)
    acting = {
        "contact": scope.lado_contact_change,
        "case": scope.lado_change,
        "allegation": scope.allegation_change_plain | scope.allegation_change_routed | scope.governed,
        "concern": scope.concern_change_plain | scope.concern_change_routed | scope.governed,
    }
    unowned = policies.NOTHING
    for field, organisations in acting.items():
        if organisations:
            unowned |= Q(**{f"{field}__isnull": False, "organisation_id__in": organisations})
    handlers = scope.concern_change_plain | scope.concern_change_routed
    if handlers:
        unowned |= Q(record_key__startswith="organisation:", organisation_id__in=handlers)
    return visible_deadlines(user, "view").filter(Q(owner=user) | (Q(owner__isnull=True) & unowned))


def deadlines_of_listed(field: Literal["case", "contact", "allegation", "concern"]) -> QuerySet[Deadline]:
    """The stored deadlines of each record of a list, for an ``Exists`` or count annotation on that list.

    ``field`` names the record: the rows are those whose ``field`` is the list's row (``OuterRef("pk")``).
    Only for a list the caller built on ``visible_*``: a deadline follows its record (ADR 0024), so the
    list's own rule is the rule, and the rows are never read on their own.
    """
    lookup: dict[str, Any] = {field: OuterRef("pk")}
    return scoped(Deadline._default_manager.filter(**lookup))


def access_deadline(
    user: User, deadline_id: object, action: Action = "change", *, request: HttpRequest | None = None
) -> Deadline:
    """One deadline, if the user may see (``view``) or act on (``change``) the record it belongs to."""
    return _fetch(user, visible_deadlines(user, action), deadline_id, action, "deadline", request)


@kept
def visible_notifications(user: User) -> QuerySet[Notification]:
    """The user's own notifications, never one about a record about them (rule 2, decided at this read)."""
    if not getattr(user, "is_authenticated", False):
        return _visible(Notification, policies.NOTHING)
    return _visible(Notification, Q(recipient=user) & policies.not_about_user(_scope(user)))


def records_about(user: User) -> dict[str, set[str]]:
    """Ids of every protected record about this user, by record type.

    Used to keep the audit pages from revealing, through event rows, that a
    record about the viewer exists (rule 2 reaches the audit trail too).
    """
    # The same condition as rule 2 itself: linked, their address, or a name that could be theirs.
    people = Person.objects.filter(policies.about_user(scope_for(user), ""))
    return _record_ids_about(list(people.values_list("pk", flat=True)))


def records_about_person(person: Person) -> dict[str, set[str]]:
    """Ids of every protected record about one person record, by type, for its access log.

    The caller has fetched ``person`` through ``threshold.access`` and may
    audit its organisation; the ids only find events in the trail.
    """
    return _record_ids_about([person.pk])


def _record_ids_about(person_ids: list[int]) -> dict[str, set[str]]:
    """Ids of the records about these people, by type, in one query (a ``UNION ALL`` of one select per type).

    The audit trail asks this on every page; six queries cost more to build and run than the one.
    """
    about: dict[str, set[str]] = {kind: set() for kind in _RECORDS_ABOUT}
    about["person"] = {str(pk) for pk in person_ids}
    if not person_ids:
        return about
    selects = [
        model._default_manager.filter(condition(person_ids))
        .annotate(record_type=Value(kind, output_field=CharField()))
        .values_list("record_type", "pk")
        .order_by()
        for kind, (model, condition) in _RECORDS_ABOUT.items()
    ]
    for kind, pk in selects[0].union(*selects[1:], all=True):
        about[kind].add(str(pk))
    return about


# Each kind of record about a person, and the condition naming the people's records of that kind.
_RECORDS_ABOUT: dict[str, tuple[type[Model], Callable[[list[int]], Q]]] = {
    "concern": (Concern, lambda ids: Q(subject__in=ids)),
    "allegation": (Allegation, lambda ids: Q(subject__in=ids)),
    "contact": (Contact, lambda ids: Q(subject__in=ids)),
    "case": (Case, lambda ids: Q(subject__in=ids)),
    "meeting": (Meeting, lambda ids: Q(case__subject__in=ids)),
    "document": (
        Document,
        lambda ids: (
            Q(concern__subject__in=ids)
            | Q(allegation__subject__in=ids)
            | Q(case__subject__in=ids)
            | Q(meeting__case__subject__in=ids)
        ),
    ),
}


def can(user: User, action: Action, record: Model) -> bool:
    """Whether the user may perform ``action`` on a record they already hold (for showing buttons).

    Does not audit: it answers a question about a record already fetched
    through ``access_*``.
    """
    if isinstance(record, Document):
        return visible_documents(user).filter(pk=record.pk).exists()
    visible: dict[type[Model], Callable[[User, Action], QuerySet[Any]]] = {
        Concern: visible_concerns,
        Allegation: visible_allegations,
        Contact: visible_contacts,
        Case: visible_cases,
        Meeting: visible_meetings,
        Person: visible_people,
    }
    return visible[type(record)](user, action).filter(pk=record.pk).exists()


def audit_scope(user: User) -> set[int]:
    """Organisations whose audit trail this user may read (auditors and LADO managers)."""
    return _scope(user).audit_orgs


def for_change(
    access: Callable[..., M], user: User, record_id: object, request: HttpRequest, action: Action = "change"
) -> M:
    """A record for a page that changes it: the user may ``action`` it, and the page is an audited read.

    ``access`` is one of the ``access_*`` functions above. The ``view`` is
    recorded for a POST too: a POST that is not saved shows the record again
    (errors beside the fields, or the conflict notice with what is saved now),
    and whether it will be saved is not known until the service has run.
    """
    record = access(user, record_id, action, request=request)
    access(user, record_id, "view", request=request)
    return record
