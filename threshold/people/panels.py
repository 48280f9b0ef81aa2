"""The line on a record that tells its handlers whom it is kept from, and why (ADR 0018).

Subject exclusion hides a record from anyone its subject is or could be. The
people who handle the record need to know that, or they would wonder why a
colleague "cannot find" it, and they may decide a possible match is not that
person (``subject_clear``). The line names colleagues only to those who
already see the record; nothing goes into a URL, a log or an email.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.people.subjects import POSSIBLE, hidden_from

# Who may decide a possible match is not that colleague: the record's handlers on the employer side,
# a LADO manager on the LADO side (ADR 0018).
EMPLOYER_RECORDS = frozenset({"concern", "allegation"})
LADO_RECORDS = frozenset({"contact", "case"})


def record_organisations(record: Any, record_type: str) -> list[Organisation]:
    """The organisations whose members could meet the record: the setting and its trust, or the LADO service."""
    if record_type in LADO_RECORDS:
        return [record.local_authority]
    organisation = record.organisation
    return [organisation, *([organisation.trust] if organisation.trust_id else [])]


def may_clear(user: User, record: Any, record_type: str) -> bool:
    """Whether ``user`` may decide that a possible match on ``record`` is not that colleague."""
    scope = scope_for(user)
    if record_type in LADO_RECORDS:
        return record.local_authority_id in scope.lado_manage
    from threshold.access import fetch

    return fetch.can(user, "change", record)


def clearable(record: Any, record_type: str) -> list[dict[str, Any]]:
    """Whom the record is kept from, and why; a possible match (not a link or an address) may be cleared."""
    return [
        {"user": member, "why": why, "may_clear": why == POSSIBLE}
        for member, why in hidden_from(record.subject, record_organisations(record, record_type))
    ]


def _handles(user: User, record: Any, record_type: str) -> bool:
    """Whether ``user`` is one of the record's own handlers (not a partner, not a LADO reading a referral)."""
    if record_type in LADO_RECORDS:
        return bool(record.local_authority_id in scope_for(user).lado_read)
    from threshold.access import fetch

    # ``view`` is the setting's (or trust's) own reach: a LADO following a referral reads with ``view_referred``.
    return fetch.can(user, "view", record)


def hidden_context(*, user: User, record: Model, record_type: str) -> dict[str, Any]:
    """What the record page shows about whom the record is kept from (its reader has fetched it through access).

    Only the record's own handlers are told: a partner on a shared case, or a
    LADO reading an employer's referral, learns nothing about colleagues.
    """
    if not _handles(user, record, record_type):
        return {"hidden_from": []}
    person = record.subject  # type: ignore[attr-defined]
    hidden = [row for row in clearable(record, record_type) if row["user"].pk != user.pk]
    return {
        "hidden_from": hidden,
        "hidden_record_type": record_type,
        "hidden_record_id": record.pk,
        "may_clear_match": bool(hidden) and may_clear(user, record, record_type),
        "not_a_member_confirmed_by": person.not_a_member_confirmed_by,
    }
