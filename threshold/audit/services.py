"""The auditor: the one function that writes audit events, inside the caller's transaction."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from threshold.audit.chain import GENESIS_HASH, canonical_ip, compute_hash
from threshold.audit.index import index_event
from threshold.audit.models import AuditEvent
from threshold.audit.sensitive import split_changes

if TYPE_CHECKING:
    from threshold.accounts.models import Organisation, User

# A stable key for PostgreSQL's advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x7468726573686F6C  # "threshol"


@dataclass(frozen=True)
class Actor:
    """Who did something: a signed-in user, a named system job, or an anonymous visitor."""

    user: User | None
    label: str

    @classmethod
    def for_user(cls, user: User) -> Actor:
        """The actor for a signed-in (or identified) user."""
        return cls(user=user, label=f"user:{user.pk}")

    @classmethod
    def system(cls, job: str) -> Actor:
        """The actor for a background job or management command, named so it can be traced."""
        if not job:
            raise ValueError("A system actor needs the name of its job.")
        return cls(user=None, label=f"system:{job}")

    @classmethod
    def anonymous(cls) -> Actor:
        """The actor for an unauthenticated request, such as a failed sign-in."""
        return cls(user=None, label="anonymous")


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's address, trusting forwarded headers only behind known proxies.

    The address is normalised (``2001:0db8::0001`` becomes ``2001:db8::1``,
    ``::ffff:10.0.0.7`` becomes ``10.0.0.7``; see ``chain.canonical_ip``) before
    it is stored and hashed, so the event's hash survives the round trip on
    SQLite and PostgreSQL; anything that is not an address is dropped rather
    than recorded.
    """
    if request is None:
        return None
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = request.META.get("REMOTE_ADDR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    # The database keeps no IPv6 zone ("%eth0"); canonical_ip drops it so the hash survives.
    return canonical_ip(address)


def lock_chain() -> None:
    """Serialise appends so two transactions cannot both extend the same link.

    SQLite runs every transaction with BEGIN IMMEDIATE (ADR 0003), which already
    admits one writer at a time; PostgreSQL needs a transaction-scoped lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    actor: Actor | User | None,
    action: str,
    record_type: str = "",
    record_id: object = "",
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    excluded_fields: Iterable[str] = (),
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    Call it inside the same transaction as the change it records, so that the
    change and its record commit or roll back together. ``changes`` maps a field
    name to ``(old, new)``; a field in the registry of sensitive fields
    (``threshold.audit.sensitive``) or named in ``excluded_fields`` is listed
    in ``excluded_fields`` instead, so the trail says it changed without
    copying its values. Refuses to write without an actor, or with a user who
    is not signed in.
    """
    if actor is None:
        raise ValueError("An audit event needs an actor: a user or a named system job.")
    if not isinstance(actor, Actor):
        if not getattr(actor, "is_authenticated", False) or getattr(actor, "pk", None) is None:
            # An AnonymousUser from request.user: say who it was (Actor.anonymous()), never "nobody".
            raise ValueError("An audit event's user must be signed in; use Actor.anonymous() or Actor.system(job).")
        actor = Actor.for_user(actor)
    if not action:
        raise ValueError("An audit event needs an action.")
    if organisation is None and request is not None:
        # Default to the organisation the user is acting through.
        membership = getattr(request, "membership", None)
        organisation = membership.organisation if membership is not None else None
    # Sensitive values (children's details, dates of birth, narrative) never enter the trail.
    kept, excluded = split_changes(record_type, changes, excluded_fields)
    with transaction.atomic():
        lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "content_hash").first()
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            sequence=sequence,
            occurred_at=timezone.now(),
            actor=actor.user,
            actor_label=actor.label,
            organisation=organisation,
            action=action,
            record_type=record_type,
            record_id=str(record_id) if record_id not in (None, "") else "",
            request_id=getattr(request, "request_id", "") if request is not None else "",
            source_ip=client_ip(request),
            changes={name: [_jsonable(old), _jsonable(new)] for name, (old, new) in kept.items()},
            excluded_fields=excluded,
            details={key: _jsonable(value) for key, value in (details or {}).items()},
            previous_hash=previous_hash,
        )
        event.content_hash = compute_hash(event)
        event.save(force_insert=True)
        # Every record the event names, so a record's audit page finds lists and searches too.
        index_event(event)
    return event


def _jsonable(value: Any) -> Any:
    """Reduce a value to JSON's types so the hash is the same after a database round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)
