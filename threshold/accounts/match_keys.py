"""The match keys of an account (ADR 0018): what subject exclusion compares with a record's ``PersonKey`` rows.

They are computed from the account's current name and every address on it whenever the access condition is
built, never stored, so a rename or a new address counts at the next read. The keys themselves are made by
``threshold.core.names``; this module only gathers an account's names and addresses. It sits in ``accounts``
so that the access rules (``threshold.access.policies``) need no record app to build the condition.
"""

from __future__ import annotations

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
    emails = {
        user.email,
        *user.former_emails,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    keys = account_keys(full_name=user.full_name, emails=sorted(email for email in emails if email))
    for former in user.former_names:
        # A record typed with the name they had before is still about them.
        keys |= account_keys(full_name=former, emails=())
    user._threshold_match_keys = keys  # type: ignore[attr-defined]
    user._threshold_match_keys_for = (user.full_name, user.email)  # type: ignore[attr-defined]
    return keys
