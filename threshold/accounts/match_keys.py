"""The match keys of an account (ADR 0018): what subject exclusion compares with a record's ``PersonKey`` rows.

They are computed from the account's current name and every address on it whenever the access condition is
built, never stored, so a rename or a new address counts at the next read. The keys themselves are made by
``threshold.core.names``; this module only gathers an account's names and addresses. It sits in ``accounts``
so that the access rules (``threshold.access.policies``) need no record app to build the condition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from allauth.account.models import EmailAddress

from threshold.accounts.models import User
from threshold.core.names import account_keys


def user_keys(user: User) -> frozenset[str]:
    """The match keys of an account: its name and every address on it (allauth's addresses included).

    Kept on the user object for the rest of the request: the scope and the
    forms ask for them more than once.
    """
    cached: frozenset[str] | None = getattr(user, "_threshold_match_keys", None)
    if cached is not None and getattr(user, "_threshold_match_keys_for", None) == (user.full_name, user.email):
        return cached
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return _remember(user, addresses)


def user_addresses(user: User) -> tuple[str, ...]:
    """Every address of the account (its own, former ones, allauth's): rule 2 hides a person carrying any of them.

    Worked out with the match keys (``user_keys``), from the same read of the account's addresses.
    """
    user_keys(user)
    return tuple(getattr(user, "_threshold_addresses", ()))


def forget_keys(user: User) -> None:
    """Drop the keys and addresses kept on the account object (an address may have been added since)."""
    for name in ("_threshold_match_keys", "_threshold_match_keys_for", "_threshold_addresses"):
        user.__dict__.pop(name, None)


def remember_keys(users: Iterable[User]) -> None:
    """Work out the match keys of several accounts with one query for their addresses (a list of colleagues)."""
    users = [user for user in users if user.pk is not None]
    addresses: dict[int, list[str]] = defaultdict(list)
    for user_id, email in EmailAddress.objects.filter(user__in=users).values_list("user_id", "email"):
        addresses[user_id].append(email)
    for user in users:
        _remember(user, addresses[user.pk])


def _remember(user: User, addresses: Iterable[str]) -> frozenset[str]:
    emails = {user.email, *user.former_emails, *addresses}
    keys = _keys_of(user.full_name, tuple(sorted(email for email in emails if email)), tuple(user.former_names))
    user._threshold_match_keys = keys  # type: ignore[attr-defined]
    user._threshold_addresses = tuple(sorted(email for email in emails if email))  # type: ignore[attr-defined]
    user._threshold_match_keys_for = (user.full_name, user.email)  # type: ignore[attr-defined]
    return keys


@lru_cache(maxsize=4096)
def _keys_of(full_name: str, emails: tuple[str, ...], former_names: tuple[str, ...]) -> frozenset[str]:
    """The keys of a name, its addresses and its former names: a pure function, so each request need not redo it."""
    keys = account_keys(full_name=full_name, emails=emails)
    for former in former_names:
        # A record typed with the name they had before is still about them.
        keys |= account_keys(full_name=former, emails=())
    return keys
