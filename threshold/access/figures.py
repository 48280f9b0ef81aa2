"""The sub-records a report counts, reached only through the contacts and cases the reader may count.

A report's figures are aggregates over ``visible_contacts(user, "report")`` and ``visible_cases(user,
"report")`` (``threshold.reports``), or, for the report a command produces with no person named, over
``authority_records_for_system_report`` (ADR 0029). Some figures turn on a contact's or case's sub-records: the
decision that stands on a contact, the investigation or referral to another body that stands on a case. Those
are read here as a correlated subquery of each listed record (``rows_of_listed``), the way
``fetch.deadlines_of_listed`` gives a list its deadlines: the list's own rule is the rule, subject exclusion
included, and the rows are never read on their own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, OuterRef, QuerySet, Subquery

from threshold.access.guard import scoped
from threshold.access.policies import people_hidden_from
from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import Allegation
from threshold.concerns.models import Concern
from threshold.lado.models import BodyReferral, Case, Contact, Decision, Investigation, Meeting, RiskMeasure

R = TypeVar("R", bound=Model)

# Each sub-record a report counts, and the field naming the contact or case it belongs to.
COUNTED_ROWS: dict[type[Model], str] = {
    Decision: "contact",
    Investigation: "case",
    RiskMeasure: "case",
    BodyReferral: "case",
    Meeting: "case",
}


def rows_of_listed(model: type[R]) -> QuerySet[R]:
    """The ``model`` rows of each record of a list, for a ``Subquery`` or ``Exists`` annotation on that list.

    The rows are those whose contact or case is the list's row (``OuterRef("pk")``). Only for a list the
    caller built on ``visible_contacts`` or ``visible_cases`` (the report's counts; each previous record's
    standing decision, ``threshold.people.matching``): a sub-record follows its record (docs/access.md), so the
    list's own rule decides, and this queryset is never evaluated alone.
    """
    field = COUNTED_ROWS.get(model)
    if field is None:
        raise ValueError(f"{model.__name__} is not a sub-record a list of contacts or cases reads this way.")
    lookup: dict[str, Any] = {field: OuterRef("pk")}
    return scoped(model._default_manager.filter(**lookup))


def standing_decision(field: str) -> Subquery:
    """``field`` of each listed contact's standing decision (its latest; None while undecided), for an annotation.

    A consultation reopened as a referral is a referral: the decision that stands is the newest
    (``Decision.Meta.ordering``). Through ``rows_of_listed``, so only on a list built on ``visible_contacts``.
    """
    return Subquery(rows_of_listed(Decision).order_by("-recorded_at", "-pk").values(field)[:1])


def report_authorities(user: User) -> QuerySet[Organisation]:
    """The local authorities whose LADO report the user may produce (``report``: LADOs, managers, auditors)."""
    return Organisation.objects.filter(
        pk__in=sorted(scope_for(user).lado_report), kind=OrganisationKind.LOCAL_AUTHORITY
    ).order_by("name")


def may_report_on(user: User, authority: Organisation) -> bool:
    """Whether the user may count the local authority's contacts and cases for its report."""
    return authority.pk in scope_for(user).lado_report


# The records a report counts that name an adult (``subject``): rule 2 leaves out those about the reader.
SUBJECT_RECORDS: tuple[type[Model], ...] = (Contact, Case, Concern, Allegation)


def reader_key(user: User, *, counted: Iterable[type[Model]]) -> str:
    """A digest of all that decides which records a reader's figures count, besides the records themselves.

    Their reach (every field of their scope: the organisations and roles of their memberships), the person
    records rule 2 hides from them now, and which records are about those people. Figures kept for a reader
    (``threshold.reports.kept``, ADR 0045) are shown again only under the key they were counted under: a reader
    whose reach changed, who may now be the subject of a person record the figures counted, or one of whose
    records was re-pointed to or from a person hidden from them (a contact corrected to name the reader's own
    person record, say), is counted afresh, so a kept figure never counts a record about its reader. ``counted``
    names the kinds of record (of ``SUBJECT_RECORDS``) the report counts; the rows it counts through them (a
    case's meetings, a contact's decisions, an allegation's deadlines) follow their record's subject.
    """
    scope = scope_for(user)
    parts = [_stable(value) for value in scope.fingerprint()]
    hidden = people_hidden_from(scope)
    parts.append(hidden)
    parts.append(_records_about(hidden, counted))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _records_about(people: tuple[int, ...], counted: Iterable[type[Model]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The ids of each kind of record counted whose subject is one of ``people`` (a query a kind, by its index).

    Only digested (``reader_key``): the reader is never shown them. The people go as one array on PostgreSQL
    (``in_set``, ADR 0043): a reader with many look-alike people would otherwise send hundreds of parameters.
    """
    if not people:
        return ()
    kinds = sorted(set(counted), key=lambda model: model._meta.label)
    if not kinds or not set(kinds) <= set(SUBJECT_RECORDS):
        raise ValueError(f"A report counts some of {[model.__name__ for model in SUBJECT_RECORDS]}, not {kinds}.")
    return tuple(
        (
            model._meta.label,
            tuple(
                model._default_manager.filter(subject__pk__in_set=people).order_by("pk").values_list("pk", flat=True)
            ),
        )
        for model in kinds
    )


def _stable(value: object) -> object:
    """A fingerprint's value written the same way in every process (a set's order is not)."""
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value, key=repr))
    return value


def authority_records_for_system_report(authority: Organisation) -> tuple[QuerySet[Contact], QuerySet[Case]]:
    """All the local authority's contacts and cases, for its LADO report produced by the ``system:report`` job.

    Only ``manage.py report`` without ``--as`` counts over these (ADR 0029): a scheduled statutory return of
    the whole service, which no person in the service reads as a list. Nobody is excluded as a subject because
    no person is the reader; the report's figures are aggregates only, and the command's audit event names
    the job and the operating-system account that ran it.
    """
    if authority.kind != OrganisationKind.LOCAL_AUTHORITY:
        raise ValueError("Only a local authority has a LADO report.")
    contacts = scoped(Contact._default_manager.filter(local_authority=authority))
    cases = scoped(Case._default_manager.filter(local_authority=authority))
    return contacts, cases
