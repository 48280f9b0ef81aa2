"""What a user's memberships let them reach: organisation scope by role (rule 1).

Each active membership contributes according to its role and the kind of
organisation (see the table in ``docs/access.md``). System administrators and
organisation admins contribute nothing (rule 4); auditors contribute read-only
reach (rule 5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection

from threshold.accounts.match_keys import forget_keys
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import LADO_ROLES, PARTNER_ROLES, OrganisationKind, Role
from threshold.accounts.selectors import current_memberships, forget_memberships, memberships_remembered

SETTING_HANDLERS = frozenset({Role.CASE_MANAGER, Role.DSL})
TRUST_HANDLERS = frozenset({Role.DIRECTOR_OF_SCHOOL, Role.DSL})
LADO_CHANGE_ROLES = frozenset({Role.LADO, Role.LADO_MANAGER})


@dataclass
class Scope:
    """Organisation ids a user reaches, split by what they may do there."""

    user: User
    # Employer side. "plain" excludes concerns routed away from the setting
    # (about the headteacher); "routed" includes them.
    concern_read_plain: set[int] = field(default_factory=set)
    concern_read_routed: set[int] = field(default_factory=set)
    concern_change_plain: set[int] = field(default_factory=set)
    concern_change_routed: set[int] = field(default_factory=set)
    allegation_read_plain: set[int] = field(default_factory=set)
    allegation_read_routed: set[int] = field(default_factory=set)
    allegation_change_plain: set[int] = field(default_factory=set)
    allegation_change_routed: set[int] = field(default_factory=set)
    # A setting with no trust: its governance role (chair of governors or
    # management committee) reaches only the records routed past its manager.
    governed: set[int] = field(default_factory=set)
    # A trust's school: its chair of governors reads the concerns routed past its head, and only those
    # (section 13.3: "reported to the director of schools, chair of governors and the Trust DSLs").
    governed_read: set[int] = field(default_factory=set)
    # Where the user is an HR business partner: a low-level concern shared with them by name there
    # (``concerns.ConcernHrShare``) is theirs to read and advise on; no other concern is.
    hr_orgs: set[int] = field(default_factory=set)
    # LADO side: local authority ids.
    lado_read: set[int] = field(default_factory=set)
    lado_change: set[int] = field(default_factory=set)
    lado_contact_change: set[int] = field(default_factory=set)
    lado_manage: set[int] = field(default_factory=set)
    # Where the user counts the LADO service's contacts and cases for its report (LADOs, managers, auditors).
    lado_report: set[int] = field(default_factory=set)
    is_partner: bool = False
    # Where the user may read the audit trail (auditors and LADO managers).
    audit_orgs: set[int] = field(default_factory=set)
    # Rule 2's subquery, compiled once (``policies.about_user``): what it was made for, its SQL, its parameters.
    about_user_sql: tuple[tuple[str, str, int | None], str, tuple[object, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    # Rule 2's people, read once for a request that only reads (``policies.about_user``): what the set was
    # read for, and the ids.
    about_user_ids: tuple[tuple[str, str, int | None], tuple[int, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything the rules read from the scope but rule 2's people: the account's id and every other field.

        Two scopes with the same fingerprint give the same access conditions (``threshold.access.fetch``
        keeps the conditions it built under it). A field added to ``Scope`` is part of it unless it is one of
        the two rule 2 caches, so a new kind of reach can never be left out of the key.
        """
        values: list[Any] = [self.user.pk]
        for each in fields(self):
            if each.name in _NOT_FINGERPRINTED:
                continue
            value = getattr(self, each.name)
            values.append(frozenset(value) if isinstance(value, set) else value)
        return tuple(values)


# The fields of ``Scope`` its fingerprint leaves out: the account (its id stands for it) and rule 2's caches,
# which ``policies.rule_two_key`` reads for the key as the rules use them.
_NOT_FINGERPRINTED = frozenset({"user", "about_user_sql", "about_user_ids"})


def _trust_members(trust_id: int) -> set[int]:
    """The trust itself and the schools that belong to it."""
    ids = set(Organisation.objects.filter(trust_id=trust_id).values_list("pk", flat=True))
    ids.add(trust_id)
    return ids


# The scopes worked out during one request, by user id (``scopes_remembered``); None outside a request, where
# every call reads the memberships afresh.
_REMEMBERED: ContextVar[dict[int, Scope] | None] = ContextVar("threshold_scopes", default=None)
# Whether the block remembering scopes is a request that only reads (a GET): rule 2's people are then read once
# for it (``snapshot_of_people``).
_READS_ONLY: ContextVar[bool] = ContextVar("threshold_reads_only", default=False)


@contextmanager
def scopes_remembered(*, reads_only: bool = False) -> Iterator[None]:
    """Work each user's scope out once for the block (one request), not once per list, panel and link.

    A page asks for the scope a dozen times (each panel, each access condition, the navigation); the
    memberships cannot change under it except through a write in the same request, and any save or delete
    of a membership, organisation or user ends the remembering for the rest of it (``forget_scopes``), as does
    any statement writing their tables (``reach_tables``). The memberships themselves are read once for the
    block too (``threshold.accounts.selectors.current_memberships``). ``reads_only``: the block is a request
    that changes no record (a GET), so rule 2's set of people may be read once for it (``snapshot_of_people``).
    """
    token = _REMEMBERED.set({})
    reads = _READS_ONLY.set(reads_only)
    try:
        with memberships_remembered(), connection.execute_wrapper(_forget_on_writes_to_reach):
            yield
    finally:
        _READS_ONLY.reset(reads)
        _REMEMBERED.reset(token)


# The tables a scope and rule 2's people are worked out from (``reach_tables``).
_REACH_MODELS = (
    "accounts.Membership",
    "accounts.Organisation",
    "accounts.User",
    "account.EmailAddress",
    "people.Person",
    "people.PersonKey",
    "people.SubjectClearance",
)
# Statements that only read, or only manage a transaction: every other statement naming a reach table counts.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "EXPLAIN", "SHOW", "SET ")


@cache
def reach_tables() -> frozenset[str]:
    """The tables whose rows decide what a user reaches: their memberships and the people rule 2 hides."""
    return frozenset(apps.get_model(label)._meta.db_table.lower() for label in _REACH_MODELS)


def writes_reach(sql: str) -> bool:
    """Whether a statement may write a table reach is worked out from (``reach_tables``), failing closed.

    Any statement but a read or a transaction's own (``INSERT``, ``UPDATE``, ``DELETE``, ``INSERT OR IGNORE``,
    ``REPLACE``, ``WITH ... UPDATE``, one led by a comment, a schema-qualified name) that names such a table.
    """
    statement = sql.lstrip(" \t\r\n(")  # PostgreSQL brackets each part of a union
    if statement[:9].upper().startswith(_READS):
        return False
    # A substring search, not a parse: quick over a bulk insert's long text, and it errs only towards forgetting.
    lowered = statement.lower()
    return any(table in lowered for table in reach_tables())


def _forget_on_writes_to_reach(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """End what a request remembered when one of its statements may write a table reach comes from.

    The signals (``threshold.access.apps``) hear a model's save and delete; this hears the rest that goes
    through Django's connection (an update, a bulk create, ``cursor.execute``), so a request never keeps
    memberships, a scope or (a page that only reads) a set of people that its own write has changed. A statement
    that is not a plain read and names such a table counts, whatever its form (``writes_reach``).
    """
    if writes_reach(sql):
        forget_scopes()
    return execute(sql, params, many, context)


def snapshot_of_people() -> bool:
    """Whether rule 2's people may be read once and kept for the rest of this block (ADR 0033).

    Only in a request that reads (a GET, through ``ScopeMiddleware``) while its scopes are remembered: nothing
    it does adds a person, a match key or a clearance, and a save or delete of a person (whose save writes its
    keys) or a clearance ends it all the same (``forget_scopes``). A form's POST, a task and a command read the
    set afresh at every query.
    """
    return _READS_ONLY.get() and _REMEMBERED.get() is not None


def forget_scopes(**_: object) -> None:
    """Drop the scopes remembered for this request and remember none again in it (what they came from changed).

    Not only dropped: the write may still be rolled back, and a scope worked out after it, inside its
    transaction, would then go on giving reach the database no longer gives (or withholding reach it gives).
    Requests that write memberships, organisations or accounts are few (signing in, the administrators'
    pages), so the rest of such a request reads the memberships afresh each time.
    """
    remembered = _REMEMBERED.get()
    if remembered is not None:
        remembered.clear()
        _REMEMBERED.set(None)
    forget_memberships()


def scope_for(user: User) -> Scope:
    """Work out a user's reach from their active memberships (once per request: ``scopes_remembered``)."""
    remembered = _REMEMBERED.get()
    if remembered is None or user.pk is None:
        return _scope_for(user)
    scope = remembered.get(user.pk)
    # The same account object: an unsaved change to it (deactivated, made an administrator) counts.
    if scope is None or scope.user is not user:
        scope = remembered[user.pk] = _scope_for(user)
    return scope


def _scope_for(user: User) -> Scope:
    """Read the user's active memberships and work out what each lets them reach."""
    scope = Scope(user=user)
    # A scope made afresh (the request began, or something reach comes from changed): the account's match keys
    # and addresses are read again too, so an address added in this request counts at once.
    forget_keys(user)
    # Rule 4: a system administrator reaches no case data, whatever memberships
    # the account may have been given.
    if not user.is_authenticated or not user.is_active or user.is_system_admin:
        return scope
    for membership in current_memberships(user):
        org = membership.organisation
        role = membership.role
        is_trust = org.kind == OrganisationKind.ACADEMY_TRUST
        covered = _trust_members(org.pk) if is_trust else {org.pk}
        if org.kind == OrganisationKind.LOCAL_AUTHORITY:
            if role in LADO_ROLES or role == Role.AUDITOR:
                scope.lado_read.add(org.pk)
            if role in LADO_CHANGE_ROLES:
                scope.lado_change.add(org.pk)
            if role in LADO_ROLES:
                scope.lado_contact_change.add(org.pk)
            if role in (Role.LADO_MANAGER, Role.AUDITOR):
                scope.audit_orgs.add(org.pk)
            if role == Role.LADO_MANAGER:
                scope.lado_manage.add(org.pk)
            if role in LADO_CHANGE_ROLES or role == Role.AUDITOR:
                scope.lado_report.add(org.pk)
            continue
        if role in PARTNER_ROLES:
            scope.is_partner = True
            continue
        if is_trust and role in TRUST_HANDLERS:
            scope.concern_read_routed |= covered
            scope.concern_change_routed |= covered
            scope.allegation_read_routed |= covered
            scope.allegation_change_routed |= covered
        elif not is_trust and role in SETTING_HANDLERS:
            scope.concern_read_plain |= covered
            scope.concern_change_plain |= covered
            scope.allegation_read_plain |= covered
            scope.allegation_change_plain |= covered
        if not is_trust and role == Role.GOVERNANCE and org.trust_id is None:
            # A setting with no trust: its chair of governors (or management committee) receives
            # the concerns routed past its headteacher or manager (section 13.3), and only those:
            # the setting's other concerns are its own handlers' business (need to know).
            scope.governed |= covered
        if not is_trust and role == Role.GOVERNANCE and org.trust_id is not None:
            # A trust's school: the trust's director and DSLs handle a concern about its head; its chair of
            # governors is told of it and reads it (13.3), and changes nothing.
            scope.governed_read |= covered
        if role == Role.HR_BUSINESS_PARTNER:
            # HR advise on allegations; a low-level concern only when it is shared with them by name.
            scope.hr_orgs |= covered
            target_read, target_change = (
                (scope.allegation_read_routed, scope.allegation_change_routed)
                if is_trust
                else (scope.allegation_read_plain, scope.allegation_change_plain)
            )
            target_read |= covered
            target_change |= covered
        if role == Role.AUDITOR:
            scope.concern_read_routed |= covered
            scope.allegation_read_routed |= covered
            scope.audit_orgs |= covered
    return scope
