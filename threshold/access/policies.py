"""The access rules, each a query condition over one protected model.

A condition is a Django ``Q`` so the very same rule decides a single record
(``access_*``) and a list, count, search or export (``visible_*``): there is no
second implementation to drift. Each function says which rule of
``docs/access.md`` (and ``docs/architecture.md``, "The rules") it enforces.

Actions: ``view`` (the whole record), ``view_report`` (a reporter's own
report only), ``view_summary`` (a case's summary, for partners invited to one
of its meetings), ``view_referred`` (an allegation, for the LADO service it
was referred to), ``change``, ``decide`` (LADOs deciding a contact's level),
``manage`` (LADO managers reassigning cases),
``add_update`` (partners on shared meetings), ``advise`` (an HR business
partner on a concern shared with them) and ``report`` (counting LADO contacts
and cases for the LADO service's report: its LADOs, managers and auditors).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, TypeAlias

from django.db import connections, router
from django.db.models import IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from threshold.access.scope import Scope, snapshot_of_people
from threshold.accounts.match_keys import user_addresses, user_keys
from threshold.people.models import Person, PersonKey, SubjectClearance

NOTHING = Q(pk__in=[])
# Rule 2's people sent as values in each query of a page (ADR 0033) up to this many; beyond, the subquery.
# An account's name is shared by a few dozen people at most at a large authority; SQLite allows 32,766 values.
MAX_SNAPSHOT_PEOPLE = 500
_NOTHING_LOOKUP: tuple[str, list[int]] = ("pk__in", [])


def pruned(condition: Q) -> Q:
    """``condition`` without its branches that match nothing; ``NOTHING`` itself when nothing is left.

    The rules are built by or-ing each role's reach, most of it empty for any one person; an empty branch
    still costs compiling on every query, and a record type a person cannot reach at all is left out of the
    conditions built on several (``fetch.visible_deadlines``). Django flattens a one-lookup ``Q`` into its
    parent as a bare ``(lookup, value)`` pair, so an empty branch is either ``NOTHING`` or its pair.
    """
    if _is_nothing(condition) or condition.negated:
        return NOTHING if _is_nothing(condition) else condition
    children = [pruned(child) if isinstance(child, Q) else child for child in condition.children]
    if condition.connector == Q.AND:
        return NOTHING if any(_is_nothing(child) for child in children) else condition
    kept = [child for child in children if not _is_nothing(child)]
    if not kept:
        return NOTHING
    if len(kept) == 1:
        return kept[0] if isinstance(kept[0], Q) else Q(kept[0])
    return Q(*kept, _connector=Q.OR)


def _is_nothing(condition: object) -> bool:
    return condition in (NOTHING, _NOTHING_LOOKUP)


def _not_about_reader(reach: Q, scope: Scope, prefix: str = "subject__") -> Q:
    """A rule's reach, less the records about the reader (rule 2); ``NOTHING`` when the reach is empty."""
    reach = pruned(reach)
    return NOTHING if reach == NOTHING else reach & not_about_user(scope, prefix)


# What a caller asks to do with a record. A Literal, so that a misspelt action is a type error (mypy in
# `make lint`) rather than a condition that matches nothing and a silent 404.
Action: TypeAlias = Literal[
    "view",
    "view_report",
    "view_summary",
    "view_referred",
    "download",
    "change",
    "decide",
    "manage",
    "add_update",
    "advise",
    "report",
]

# The actions that read a record's content: fetching a record for one of these writes an access event.
READ_ACTIONS: frozenset[Action] = frozenset({"view", "view_report", "view_summary", "view_referred", "download"})
# The actions that count records and never open one: ``access_*`` refuses them (a report's figures are
# aggregates over ``visible_*``, docs/reports.md).
COUNT_ACTIONS: frozenset[Action] = frozenset({"report"})


def not_about_user(scope: Scope, prefix: str = "subject__") -> Q:
    """Rule 2, subject exclusion: never a record about the user, or that could be (``about_user``)."""
    return ~about_user(scope, prefix)


def about_user(scope: Scope, prefix: str = "subject__") -> Q:
    """Records about the user, or that could be, whatever their role (rule 2 hides them).

    A record is about the user when its subject is linked to their account,
    carries their email address, or — decided now, at this read — its name or
    email shares a match key with the account's name or any of its addresses
    (a nickname, initials, a middle or double surname, a slip, a look-alike
    letter: ``threshold.core.names``), unless someone who handles the record
    cleared that possible match (ADR 0018). Applied to every protected model,
    in every list, count, search, export and single-record fetch.

    The condition is one subquery over people (``people_about_user``), compiled once per scope: an account
    has a hundred or more match keys, and compiling them into every access condition of a page (a work
    list has five, each counted and paged) cost more than running the page's queries (ADR 0032). The
    subquery also lets the database work the small set of people out once, rather than join every
    record's subject to test it.
    """
    people = rule_two_key(scope)
    if people[0] == "ids":
        # One array parameter on PostgreSQL, not one parameter a person (``threshold.core.lookups``).
        return Q(**{f"{prefix}pk__in_set": people[1]})
    # Django compiled this SQL from the ORM condition above; its values stay parameters.
    return Q(**{f"{prefix}pk__in": RawSQL(people[1], people[2], output_field=IntegerField())})  # noqa: S611


def rule_two_key(scope: Scope) -> tuple[Any, ...]:
    """How rule 2 names the people it hides in this request's conditions: ``("ids", ids)`` or ``("sql", sql, params)``.

    A page that only reads sends the set, read once for the request, as values (ADR 0033); a set too large to
    send as values in every query, and any request that writes, use the subquery, whose text names no one.
    ``about_user`` builds its condition from this, and ``threshold.access.fetch`` keys the conditions it keeps
    on it: the same key, the same condition.
    """
    if snapshot_of_people():
        ids = _about_user_ids(scope)
        if len(ids) <= MAX_SNAPSHOT_PEOPLE:
            return ("ids", ids)
    sql, params = _about_user_sql(scope)
    return ("sql", sql, params)


def _addresses(user: Any) -> tuple[str, ...]:
    """Every address of the account (``user_addresses``); none for one not signed in."""
    return user_addresses(user) if user.is_authenticated else ()


def people_about_user(user_id: int | None, addresses: tuple[str, ...], keys: frozenset[str]) -> QuerySet[Any]:
    """The ids of the person records rule 2 hides from an account: linked to it, carrying its address, or possibly it.

    Decided at the read: the match keys of every person are read live, and a clearance (ADR 0018) counts as soon as
    it is saved; a clearance lifts a possible match (a name, or an address that only looks like theirs), never a
    linked record or one carrying any of the user's own addresses. Three lookups, each on an index (the link, the
    addresses in capitals, the name keys), as one union: the set is small and worked out once per query, where
    testing every record's subject would join each listed record to its person. Every address of the account (its
    own, former ones, allauth's) is compared with the person's own column, not a match key: keys are written by
    ``Person.save``, and a row written any other way (an update, a bulk create, an import) must still be hidden from
    the colleague whose address it carries (its address as stored: ``Person.save`` trims it and removes hidden
    characters, other writers must too).

    Given what the set depends on and no more (the account's id, every address, its match keys), so that its
    compiled text can be kept (``_compiled_about``).
    """
    people = Person._base_manager.order_by()
    if user_id is None:
        return people.values("pk")  # an account never saved is no reader: every person is hidden from it
    linked = people.filter(user_id=user_id).values("pk")
    parts: list[QuerySet[Any]] = []
    if addresses:
        # Both sides in the database's own capitals (what ``email__iexact`` means), on ``people_person_email_upper``.
        carried = Q()
        for address in addresses:
            carried |= Q(address_upper=Upper(Value(address)))
        parts.append(people.alias(address_upper=Upper("email")).filter(carried).values("pk"))
    if keys:
        cleared = SubjectClearance.objects.filter(user_id=user_id).values("person_id")
        possible = PersonKey.objects.order_by().filter(key__in=sorted(keys)).exclude(person_id__in=cleared)
        parts.append(possible.values("person_id"))
    return linked.union(*parts) if parts else linked


@lru_cache(maxsize=2048)
def _compiled_about(
    alias: str, user_id: int | None, addresses: tuple[str, ...], keys: frozenset[str]
) -> tuple[str, tuple[Any, ...]]:
    """``people_about_user`` compiled for a database: the same SQL for an account until its name or addresses change.

    Kept for the process, not only the request: compiling an account's hundred-odd keys cost more than the
    page's queries on a small page. The text holds no answer, only the question (the clearances, keys and
    people are read when it runs), so a cached text is never stale.
    """
    query = people_about_user(user_id, addresses, keys).query
    sql, params = query.get_compiler(connection=connections[alias]).as_sql()
    return sql, tuple(params)


def _about_user_sql(scope: Scope) -> tuple[str, tuple[Any, ...]]:
    """``people_about_user`` as SQL and its parameters, compiled once for the scope (one request).

    Compiled again when the account's name or address changed since (what its match keys come from).
    """
    user = scope.user
    made_for = (getattr(user, "full_name", ""), getattr(user, "email", ""), user.pk)
    if scope.about_user_sql is None or scope.about_user_sql[0] != made_for:
        keys = user_keys(user) if user.is_authenticated else frozenset()
        sql, params = _compiled_about(router.db_for_read(Person), user.pk, _addresses(user), keys)
        scope.about_user_sql = (made_for, sql, params)
    return scope.about_user_sql[1], scope.about_user_sql[2]


def people_hidden_from(scope: Scope) -> tuple[int, ...]:
    """The ids of the person records rule 2 hides from the scope's account now, in order (read once a request)."""
    return _about_user_ids(scope)


def _about_user_ids(scope: Scope) -> tuple[int, ...]:
    """``people_about_user`` read once for a request that only reads (``threshold.access.scope.snapshot_of_people``).

    A page runs a dozen access conditions, each of which worked the same few people out again (on PostgreSQL
    a hashed subplan per query); read again when the account's name or address changed since.
    """
    user = scope.user
    made_for = (getattr(user, "full_name", ""), getattr(user, "email", ""), user.pk)
    if scope.about_user_ids is None or scope.about_user_ids[0] != made_for:
        sql, params = _about_user_sql(scope)
        with connections[router.db_for_read(Person)].cursor() as cursor:
            cursor.execute(sql, params)
            scope.about_user_ids = (made_for, tuple(sorted(int(pk) for (pk,) in cursor.fetchall())))
    return scope.about_user_ids[1]


def _employer_scope(plain: set[int], routed: set[int], governed: set[int] | None = None) -> Q:
    """Rule 1 for employer records: the setting's own handlers, or the trust's for routed ones.

    A concern about the headteacher is routed to the trust: the setting's
    handlers do not see it, the trust's director of school and DSLs do. In a
    setting with no trust it goes to the governance role, which sees the
    routed records of its setting and nothing else there.
    """
    condition = NOTHING
    if plain:
        condition |= Q(organisation_id__in=plain, routed_to_trust=False)
    if routed:
        condition |= Q(organisation_id__in=routed)
    if governed:
        condition |= Q(organisation_id__in=governed, routed_to_trust=True)
    return condition


def _shared_with_hr(scope: Scope) -> Q:
    """A concern shared with this HR business partner by name, while they partner its setting or trust (13.3)."""
    if not scope.hr_orgs:
        return NOTHING
    return Q(hr_shares__user=scope.user, hr_shares__ended_at__isnull=True, organisation_id__in=scope.hr_orgs)


def _concern_read(scope: Scope) -> Q:
    """Rule 1 for reading a concern: its handlers, and two readers who change nothing.

    A trust school's chair of governors reads one routed past its head (13.3); an HR business partner reads
    one shared with them by name.
    """
    reach = _employer_scope(scope.concern_read_plain, scope.concern_read_routed, scope.governed)
    if scope.governed_read:
        reach |= Q(organisation_id__in=scope.governed_read, routed_to_trust=True)
    return reach | _shared_with_hr(scope)


def concern_condition(scope: Scope, action: Action) -> Q:
    """Who may do what with a concern (rules 1, 2, 3 and 5).

    ``advise``: the HR business partner a concern was shared with adds advice to it, and changes nothing else.
    """
    if action == "change":
        reach = _employer_scope(scope.concern_change_plain, scope.concern_change_routed, scope.governed)
    elif action in ("view", "download"):
        reach = _concern_read(scope)
    elif action == "view_report":
        # Rule 3: the person who raised a concern sees their own report, not
        # what followed. Anonymous reports store no reporter, so match nobody.
        reach = _concern_read(scope) | Q(reporter=scope.user)
    elif action == "advise":
        reach = _shared_with_hr(scope)
    else:
        return NOTHING
    return _not_about_reader(reach, scope)


def allegation_condition(scope: Scope, action: Action) -> Q:
    """Who may do what with an allegation (rules 1, 2, 3, 5 and 6 of docs/access.md).

    Rule 1: the setting's handlers, or the trust's for one routed above the
    headteacher. Rule 6: the LADO service (LADOs, managers, business support
    and the local authority's auditor, all ``lado_read``) of an area it was
    referred to reads it (``view_referred``) and changes nothing. Rule 2:
    never about the reader. Rule 3: a reporter does not follow it. Rule 5:
    auditors are in no ``change`` set.
    """
    if action == "change":
        reach = _employer_scope(scope.allegation_change_plain, scope.allegation_change_routed, scope.governed)
    elif action in ("view", "download"):
        reach = _employer_scope(scope.allegation_read_plain, scope.allegation_read_routed, scope.governed)
    elif action == "view_referred":
        # The LADO service of the area an allegation was referred to follows the
        # employer's progress (protocol, Tier 2: the LADO "actively monitors
        # timescales and quality assures the outcome"); it changes nothing there.
        reach = Q(referrals__local_authority_id__in=scope.lado_read) if scope.lado_read else NOTHING
    else:
        return NOTHING
    return _not_about_reader(reach, scope)


def contact_condition(scope: Scope, action: Action) -> Q:
    """LADO contacts: the local authority's LADO service and auditors (rules 1, 2 and 5)."""
    if action == "change":
        reach = Q(local_authority_id__in=scope.lado_contact_change) if scope.lado_contact_change else NOTHING
    elif action == "decide":
        # Business support records contacts and advice; only LADOs decide the
        # threshold and take the case (protocol: "after consideration" by the LADO).
        reach = Q(local_authority_id__in=scope.lado_change) if scope.lado_change else NOTHING
    elif action in ("view", "download"):
        reach = Q(local_authority_id__in=scope.lado_read) if scope.lado_read else NOTHING
    elif action == "report":
        reach = _lado_report(scope)
    else:
        return NOTHING
    return _not_about_reader(reach, scope)


def _lado_report(scope: Scope) -> Q:
    """Who counts a local authority's contacts and cases for its report: its LADOs, LADO managers and auditors.

    Counting is not reading: the figures are aggregates, and ``report`` opens no record (``COUNT_ACTIONS``).
    Business support records contacts and is not given the service's figures; partners count nothing.
    Rule 2 still applies: the caller adds ``not_about_user``, so a record about the reader is not counted
    for them.
    """
    return Q(local_authority_id__in=scope.lado_report) if scope.lado_report else NOTHING


def _shared_case(scope: Scope, prefix: str = "") -> Q:
    """Rule 1 for partners: a case shared with this police or social care user, while shared."""
    return Q(**{f"{prefix}shares__user": scope.user, f"{prefix}shares__ended_at__isnull": True})


def _case_of_shared_meeting(scope: Scope) -> Q:
    """Rule 1 for partners: a case one of whose meetings is shared with this police or social care user.

    Only while the share lasts (``ended_at`` empty), and it gives the case's
    summary only (``view_summary``), never the whole case.
    """
    return Q(meetings__shares__user=scope.user, meetings__shares__ended_at__isnull=True)


def case_condition(scope: Scope, action: Action) -> Q:
    """LADO cases (rules 1, 2, 5 and 7 of docs/access.md).

    Rule 1: the LADO service of the case's local authority reads it (LADOs,
    managers, business support, the auditor); LADOs and managers change it;
    partners read a case shared with them while shared, and the summary of a
    case one of whose meetings is shared with them. Rule 7: managers alone
    ``manage`` (reassign). Rule 2: never about the reader. Rule 5: auditors
    and business support are in no ``change`` set.
    """
    lado_read = Q(local_authority_id__in=scope.lado_read) if scope.lado_read else NOTHING
    if action == "change":
        reach = Q(local_authority_id__in=scope.lado_change) if scope.lado_change else NOTHING
    elif action == "manage":
        # LADO managers allocate and reassign cases between LADOs.
        reach = Q(local_authority_id__in=scope.lado_manage) if scope.lado_manage else NOTHING
    elif action in ("view", "download"):
        reach = lado_read | (_shared_case(scope) if scope.is_partner else NOTHING)
    elif action == "view_summary":
        reach = lado_read
        if scope.is_partner:
            reach |= _shared_case(scope) | _case_of_shared_meeting(scope)
    elif action == "report":
        reach = _lado_report(scope)
    else:
        return NOTHING
    return _not_about_reader(reach, scope)


def meeting_condition(scope: Scope, action: Action) -> Q:
    """Strategy and evaluation meetings (rules 1, 2 and 5 of docs/access.md).

    Rule 1: the LADO service of the case's local authority reads them; LADOs
    and managers change them; a partner reads a meeting shared with them, or
    any meeting of a case shared with them, while shared, and may add an
    update to it (``add_update``). Rule 2: never a meeting of a case about the
    reader. Rule 5: auditors change nothing.
    """
    lado_read = Q(case__local_authority_id__in=scope.lado_read) if scope.lado_read else NOTHING
    shared = (
        Q(shares__user=scope.user, shares__ended_at__isnull=True) | _shared_case(scope, "case__")
        if scope.is_partner
        else NOTHING
    )
    if action == "change":
        reach = Q(case__local_authority_id__in=scope.lado_change) if scope.lado_change else NOTHING
    elif action in ("view", "download"):
        reach = lado_read | shared
    elif action == "add_update":
        reach = shared | (Q(case__local_authority_id__in=scope.lado_change) if scope.lado_change else NOTHING)
    else:
        return NOTHING
    return _not_about_reader(reach, scope, "case__subject__")


def person_condition(scope: Scope, action: Action) -> Q:
    """People: recorded by an organisation the user handles records for (rules 1, 2 and 4).

    Partners see the adult a shared case is about, and nobody else; a
    setting's governance role, the adults of the records routed to it.
    """
    orgs = (
        scope.concern_read_plain
        | scope.concern_read_routed
        | scope.allegation_read_plain
        | scope.allegation_read_routed
        | scope.lado_read
    )
    if action == "change":
        orgs = scope.concern_change_plain | scope.concern_change_routed | scope.lado_change
    elif action not in ("view", "download"):
        return NOTHING
    reach = Q(organisation_id__in=orgs) if orgs else NOTHING
    if scope.governed:
        # The governance role: only the adults its routed concerns and allegations are about.
        routed = Q(concerns__routed_to_trust=True) | Q(allegations__routed_to_trust=True)
        reach |= Q(organisation_id__in=scope.governed) & routed
    if scope.governed_read and action in ("view", "download"):
        # A trust school's chair of governors: the adults of the concerns routed past its head, to read.
        reach |= Q(organisation_id__in=scope.governed_read, concerns__routed_to_trust=True)
    if scope.is_partner and action == "view":
        reach |= Q(lado_cases__shares__user=scope.user, lado_cases__shares__ended_at__isnull=True)
    return _not_about_reader(reach, scope, "")
