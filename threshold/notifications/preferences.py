"""How each person hears about what falls due: a daily digest, an immediate email, or both.

A person who never chose has their roles' defaults:

- **LADOs, LADO managers and case managers: digest and immediate.** They hold the clocks that cannot wait:
  a new referral waits in the LADO inbox for advice within one working day, and a case manager's missed
  step delays a case the LADO is monitoring. An email the moment something arrives or is missed is what
  lets them act the same day.
- **The police's and children's social care's liaisons: digest and immediate.** Issue 12 names "a meeting
  shared with police or children's social care" among what cannot wait: a strategy meeting is often within
  days, and the digest lists only what falls due, not what was shared. They are sent little else at once (a
  step of theirs passing its date).
- **Everyone else (DSLs, directors of school, HR, auditors, staff): digest only.** Their part is
  oversight or contribution at a pace of days: the morning digest lists what is due and overdue, and the
  notifications page holds the rest. An email for every event would teach them to ignore Threshold's mail.

A person with several roles gets the most attentive default of them (a DSL who is also a case manager gets
immediate emails). In-product notifications are always kept; the preference chooses only the emails.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from threshold.accounts.models import Membership, NotificationPreference, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version

# Roles whose work cannot wait a day: immediate emails as well as the digest, unless they choose otherwise.
IMMEDIATE_ROLES = frozenset({Role.LADO, Role.LADO_MANAGER, Role.CASE_MANAGER, Role.POLICE_LIAISON, Role.CSC_MANAGER})


@dataclass(frozen=True)
class Preference:
    """The emails a person gets: the daily digest, immediate emails, and whether they chose (or have defaults)."""

    daily_digest: bool
    immediate: bool
    chosen: bool = False
    version: int = 0


def role_default(roles: Iterable[str]) -> Preference:
    """The default for someone holding ``roles``: everyone gets the digest; immediate for roles that cannot wait."""
    return Preference(daily_digest=True, immediate=bool(set(roles) & IMMEDIATE_ROLES))


def preferences_for(users: Iterable[User]) -> dict[int, Preference]:
    """Each user's preference (their own choice, or their roles' defaults), by user id, in two queries."""
    ids = [user.pk for user in users]
    if not ids:
        return {}
    chosen = {row.user_id: row for row in NotificationPreference.objects.filter(user_id__in=ids)}
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        user_id__in=ids, is_active=True, organisation__is_active=True
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    result = {}
    for user_id in ids:
        row = chosen.get(user_id)
        if row is not None:
            result[user_id] = Preference(row.daily_digest, row.immediate, chosen=True, version=row.version)
        else:
            result[user_id] = role_default(roles.get(user_id, set()))
    return result


def preference_for(user: User) -> Preference:
    """One user's preference (their own choice, or their roles' defaults)."""
    return preferences_for([user])[user.pk]


def preference_record(user: User) -> NotificationPreference:
    """The user's stored preference, or an unsaved one holding their defaults at version 0 (for the form)."""
    row = NotificationPreference.objects.filter(user=user).first()
    if row is not None:
        return row
    default = preference_for(user)
    return NotificationPreference(user=user, daily_digest=default.daily_digest, immediate=default.immediate, version=0)


def preference_set(
    *,
    actor: User,
    daily_digest: bool,
    immediate: bool,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> NotificationPreference:
    """A person chooses their own emails: the daily digest, immediate emails, both or neither.

    ``expected_version`` is the version the form was loaded with (0 while they have only the defaults).
    """
    if not isinstance(daily_digest, bool) or not isinstance(immediate, bool):
        raise ValidationError({"emails": "Choose which emails you want"})
    with transaction.atomic(durable=True):
        row = NotificationPreference.objects.filter(user=actor).first()
        if row is None:
            if expected_version != 0:
                raise ConflictError(preference_record(actor))
            previous = preference_for(actor)
            try:
                with transaction.atomic():
                    row = NotificationPreference.objects.create(
                        user=actor, daily_digest=daily_digest, immediate=immediate, updated_at=timezone.now()
                    )
            except IntegrityError:
                # The same person saved from another tab a moment ago.
                raise ConflictError(preference_record(actor)) from None
            before = (previous.daily_digest, previous.immediate)
        else:
            bump_version(row, expected_version)
            before = (row.daily_digest, row.immediate)
            row.daily_digest = daily_digest
            row.immediate = immediate
            row.updated_at = timezone.now()
            row.save(update_fields=["daily_digest", "immediate", "updated_at"])
        audit_record(
            context=context_for(actor, audit_context),
            action="notifications.preference_set",
            record_type="user",
            record_id=actor.pk,
            changes={
                "daily_digest": (before[0], daily_digest),
                "immediate": (before[1], immediate),
            },
        )
    return row
