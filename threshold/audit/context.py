"""Who did something and from where: the audit context every service is called with (ADR 0022).

A view builds it once from the request (``AuditContext.from_request``); a
management command, an import or a background task builds it for a named
person (``AuditContext.for_user``) or a named job (``AuditContext.system``).
Services take it as ``audit_context`` and hand it to ``audit_record``, which
reads the actor from it and from nowhere else, so a service can be called
without an ``HttpRequest``.
"""

from __future__ import annotations

import getpass
import ipaddress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.conf import settings

from threshold.audit.chain import canonical_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

    from threshold.accounts.models import Organisation, User


@dataclass(frozen=True)
class Actor:
    """Who did something: a signed-in user, a named system job, or an anonymous visitor."""

    user: User | None
    label: str

    @classmethod
    def for_user(cls, user: User) -> Actor:
        """The actor for a signed-in (or identified) user; refuses a user who is not signed in."""
        if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
            # An AnonymousUser from request.user: say who it was (Actor.anonymous()), never "nobody".
            raise ValueError("An audit event's user must be signed in; use Actor.anonymous() or Actor.system(job).")
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


@dataclass(frozen=True)
class AuditContext:
    """The actor of an audit event, the organisation they act through, and where the request came from.

    ``organisation`` is the acting organisation (ADR 0013): an event names it
    unless the service names the record's own. ``request_id`` and
    ``client_address`` are empty for a command or a task.
    """

    actor: Actor
    organisation: Organisation | None = None
    request_id: str = ""
    client_address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, *, user: User | None = None) -> AuditContext:
        """The context of a web request: its signed-in user (or anonymous), acting organisation, id and address.

        ``user`` names the person a request acts for before it is signed in
        as them (a sign-in in progress, a password reset by emailed link, a
        session that just timed out); otherwise the actor is ``request.user``.
        """
        person = user if user is not None else getattr(request, "user", None)
        if person is not None and getattr(person, "is_authenticated", False):
            actor = Actor.for_user(person)
        else:
            actor = Actor.anonymous()
        membership = getattr(request, "membership", None)
        return cls(
            actor=actor,
            organisation=membership.organisation if membership is not None else None,
            request_id=getattr(request, "request_id", "") or "",
            client_address=client_ip(request),
        )

    @classmethod
    def for_user(cls, user: User, organisation: Organisation | None = None) -> AuditContext:
        """A command, an import or a shell acting as a named person, with no request behind it."""
        return cls(actor=Actor.for_user(user), organisation=organisation)

    @classmethod
    def system(cls, job: str, organisation: Organisation | None = None) -> AuditContext:
        """A background job or command acting as itself (``system:<job>`` in the trail)."""
        return cls(actor=Actor.system(job), organisation=organisation)


def operating_account() -> str:
    """The operating-system account running a command, for its audit event ("unknown" if it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def context_for(user: User, audit_context: AuditContext | None) -> AuditContext:
    """The context a service audits ``user``'s change with: the caller's, or one naming ``user`` alone.

    A service checks rights with its ``actor`` and records the event with the
    context's actor, so the two must be the same person: a context that names
    someone else (another user, a system job, an anonymous visitor) is refused
    rather than recorded as the wrong actor.
    """
    if audit_context is None:
        return AuditContext.for_user(user)
    if audit_context.actor.user is None or audit_context.actor.user.pk != user.pk:
        raise ValueError(
            f"The audit context's actor ({audit_context.actor.label}) is not the service's actor (user:{user.pk})."
        )
    return audit_context


def context_identifying(user: User, audit_context: AuditContext | None) -> AuditContext:
    """The context of a change made by someone who proves who they are in it, such as accepting an invitation.

    The request is not signed in as ``user`` yet (the service is what makes
    or finds their account), so an anonymous context is taken to be theirs;
    one that names someone else is refused, as in ``context_for``.
    """
    if audit_context is not None and audit_context.actor.label == Actor.anonymous().label:
        return replace(audit_context, actor=Actor.for_user(user))
    return context_for(user, audit_context)


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
