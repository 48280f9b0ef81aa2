"""Whether a record's subject could be someone who uses Threshold, decided from match keys (ADR 0018).

A record is about a reader when its subject is linked to their account, has
one of their addresses, or — whatever the link says — its name or email
shares a match key with theirs (``threshold.core.names``). The last test is
made at every read by the access rules (``threshold.access.policies``) from
``PersonKey`` rows; this module gives the same answer for one person and a
handful of accounts, for the forms that ask a recorder who they mean, for
choosing who may handle a record, and for the line that tells handlers why a
record is hidden from whom.
"""

# access-lint: allow-module subject exclusion itself (ADR 0018): match keys, clearances, and people already held.
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from threshold.accounts.match_keys import remember_keys, user_addresses, user_keys
from threshold.accounts.models import Membership, Organisation, User

# An account's keys belong to the account: the access rules read them from accounts, below the record apps.
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.names import record_keys, skeleton
from threshold.people.models import Person, PersonKey, SubjectClearance

# Writing a person's keys is part of saving the person, so it lives in models (no models <-> subjects cycle).
from threshold.people.models import person_keys_write as person_keys_write

# The radio value that says the typed person is nobody who uses Threshold.
NOT_A_MEMBER = "none"
# Why a record is kept from a colleague whose name or email only could be its adult's (the clearable reason).
POSSIBLE = "the adult's name or email could be theirs"


# Why a record about a person is hidden from an account, in the words its handlers read (``hidden_from``).
LINKED = "the record is about them"
ADDRESS = "the record has their email address"


def _why_about(person: Person, user: User, keys: set[str], cleared: set[int]) -> str | None:
    """Why ``person`` is, or could be, ``user`` (``LINKED``, ``ADDRESS`` or ``POSSIBLE``), or None: rule 2's answer.

    The same answer as the access rules' ``people_about_user`` gives in SQL: linked to the account; carrying any
    address of the account (its own, former ones, allauth's), which no clearance lifts; or sharing a match key
    with it, unless someone who handles the record cleared this pair. ``keys`` are the person's match keys and
    ``cleared`` the accounts cleared for them; the account's keys and addresses are read (``user_keys``) or were
    remembered for a list (``remember_keys``).
    """
    if person.user_id is not None and person.user_id == user.pk:
        return LINKED
    email = (person.email or "").strip()
    if email and any(_same_address(email, address) for address in user_addresses(user)):
        return ADDRESS
    if user.pk not in cleared and keys & user_keys(user):
        return POSSIBLE
    return None


def _same_address(first: str, second: str) -> bool:
    """Whether two addresses are the same to either database's ``UPPER`` or to Python's ``casefold``.

    The access rules compare addresses in the database's capitals, which differ between databases and from
    Python's folding (PostgreSQL's ``upper('ı')`` is ``I``; SQLite's ``upper`` changes ASCII letters only): a
    match by any of them counts, so this is never looser than the rule (it may call an address one it only
    calls a possible match, which no clearance then lifts: the safer way to differ).
    """
    return first.casefold() == second.casefold() or first.upper() == second.upper()


def _keys_and_clearances(person: Person) -> tuple[set[str], set[int]]:
    keys = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    cleared = set(SubjectClearance.objects.filter(person=person).values_list("user_id", flat=True))
    return keys, cleared


def could_be_user(person: Person, user: User) -> bool:
    """Whether ``person`` is, or could be, ``user``: linked, one of their addresses, or a shared match key.

    A clearance for this pair (someone who handles the record decided it is not
    them) answers no for a possible match, never for a link or an address.
    """
    return _why_about(person, user, *_keys_and_clearances(person)) is not None


def users_not_about(person: Person, users: Iterable[User]) -> list[User]:
    """``users`` without anyone ``person`` is or could be: who may be offered a record about ``person``."""
    keys, cleared = _keys_and_clearances(person)
    users = list(users)
    remember_keys(users)
    return [user for user in users if _why_about(person, user, keys, cleared) is None]


def exclude_possible_subjects(person: Person, users: QuerySet[User]) -> QuerySet[User]:
    """``users`` without anyone ``person`` is or could be, still a queryset (choices, further filters).

    The person's keys and clearances and the users' addresses are read once for all of them, not once a user.
    """
    listed = list(users)
    kept = {user.pk for user in users_not_about(person, listed)}
    return users.exclude(pk__in=[user.pk for user in listed if user.pk not in kept])


def members_of(organisations: Iterable[Organisation]) -> list[User]:
    """The active members of ``organisations``, with their keys read (what a typed name is compared with)."""
    organisation_ids = {organisation.pk for organisation in organisations}
    user_ids = Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True).values("user_id")
    members = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk"))
    remember_keys(members)
    return members


def possible_members(
    *, name: str, email: str = "", organisations: Iterable[Organisation], members: list[User] | None = None
) -> list[User]:
    """Active members of ``organisations`` whom a typed name (and email) could mean, by name order.

    ``members``: ``members_of(organisations)`` read once by a caller comparing many names (an import).
    """
    keys = record_keys(name=name, email=email)
    if not keys:
        return []
    return [user for user in (members_of(organisations) if members is None else members) if keys & user_keys(user)]


def _same_name(first: str, second: str) -> bool:
    return " ".join(skeleton(first).split()) == " ".join(skeleton(second).split())


class SubjectToConfirm(ValidationError):
    """The typed name could mean a colleague: the recorder chooses who, or says it is nobody who uses Threshold."""

    def __init__(self, *, field: str, name: str, candidates: list[User], others: dict[str, str] | None = None) -> None:
        self.candidates = candidates
        self.field = field
        self.typed_name = name
        names = " or ".join(user.full_name for user in candidates)
        typed = " ".join(name.split())
        question = (
            f"‘{typed}’ could be {names}, who {'uses' if len(candidates) == 1 else 'use'} Threshold. "
            "Choose who the person is, or say that they are not someone who uses Threshold"
        )
        super().__init__({**(others or {}), field: question})

    def with_errors(self, others: dict[str, str]) -> SubjectToConfirm:
        """The same question with the form's other errors beside it, so the recorder sees them all at once."""
        return SubjectToConfirm(field=self.field, name=self.typed_name, candidates=self.candidates, others=others)


def typed_subject(
    *,
    name: str,
    email: str = "",
    organisations: Iterable[Organisation],
    confirmation: str,
    field: str,
    members: list[User] | None = None,
) -> tuple[User | None, list[User]]:
    """The colleague a typed name means, and the colleagues it could still mean.

    One member whose name is exactly the typed one is meant without asking.
    Otherwise, when the name could mean members, the recorder must answer
    (``confirmation``: a member's id, or ``NOT_A_MEMBER``) or
    ``SubjectToConfirm`` is raised. Saying "not a member" leaves the possible
    matches in place: the record stays hidden from them until someone who
    handles it clears the match (``subject_clear``).
    """
    candidates = possible_members(name=name, email=email, organisations=organisations, members=members)
    if not candidates:
        return None, []
    exact = [user for user in candidates if _same_name(user.full_name, name)]
    if len(exact) == 1 and not confirmation:
        return exact[0], []
    chosen = [user for user in candidates if str(user.pk) == confirmation]
    if chosen:
        return chosen[0], []
    if confirmation == NOT_A_MEMBER:
        return None, candidates
    raise SubjectToConfirm(field=field, name=name, candidates=candidates)


def subject_confirmation_record(
    *,
    actor: User,
    person: Person,
    candidates: list[User],
    organisation: Organisation | None,
    confirmation: str = "",
    audit_context: AuditContext | None = None,
) -> None:
    """Keep the recorder's answer to "who is this?", audited (inside the caller's transaction).

    "Yes – a colleague" linked the person to them (``confirmation`` is their
    id); "not someone who uses Threshold" is kept on the person with who said it.
    """
    if confirmation and confirmation == str(person.user_id):
        audit_record(
            context=context_for(actor, audit_context),
            action="person.colleague_confirmed",
            record_type="person",
            record_id=person.pk,
            organisation=organisation,
            details={"user_id": person.user_id},
        )
        return
    if not candidates:
        return
    person.not_a_member_confirmed_by = actor
    person.not_a_member_confirmed_at = timezone.now()
    person.save(update_fields=["not_a_member_confirmed_by", "not_a_member_confirmed_at"])
    audit_record(
        context=context_for(actor, audit_context),
        action="person.not_a_member_confirmed",
        record_type="person",
        record_id=person.pk,
        organisation=organisation,
        details={"possible_user_ids": [user.pk for user in candidates]},
    )


def hidden_from(person: Person, organisations: Iterable[Organisation]) -> list[tuple[User, str]]:
    """Members of ``organisations`` a record about ``person`` is hidden from, each with why (for its handlers)."""
    keys, cleared = _keys_and_clearances(person)
    reasons = [(user, _why_about(person, user, keys, cleared)) for user in members_of(organisations)]
    return [(user, why) for user, why in reasons if why is not None]


def subject_clear(
    *,
    actor: User,
    person: Person,
    user: User,
    reason: str,
    organisation: Organisation | None,
    audit_context: AuditContext | None = None,
) -> None:
    """Decide that ``person`` is not ``user`` after all, so records about ``person`` show to them again.

    Only the key match can be cleared: a linked account or an address of
    theirs stays decisive. The caller has already checked that ``actor`` may
    change the record (and is not ``user``); the clearance is audited.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the record is not about them"})
    if actor.pk == user.pk:
        raise ValidationError({"reason": "Someone else must decide whether a record is about you"})
    if _why_about(person, user, set(), set()) in (LINKED, ADDRESS):
        # Any address of theirs (a former one, another on the account) is theirs: only a possible match clears.
        raise ValidationError({"reason": "The record is linked to them: it cannot be shown to them"})
    with transaction.atomic(durable=True):
        clearance, created = SubjectClearance.objects.get_or_create(
            person=person, user=user, defaults={"cleared_by": actor, "reason": reason}
        )
        if created:
            audit_record(
                context=context_for(actor, audit_context),
                action="person.match_cleared",
                record_type="person",
                record_id=person.pk,
                organisation=organisation,
                details={"user_id": user.pk, "clearance_id": clearance.pk},
            )
