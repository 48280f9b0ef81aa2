"""The hash chain: how an event's content is hashed and linked to the event before it.

The hash is an HMAC keyed with a secret that lives outside the database
(``AUDIT_CHAIN_KEY``, by default derived from ``SECRET_KEY``). Someone with
only database access who edits an event and re-hashes everything after it
still cannot produce hashes that verify (ADR 0005).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_content(fields: dict[str, Any]) -> str:
    """Serialise an event's fields the one way the hash is computed over."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=True)


def canonical_ip(value: object) -> str | None:
    """One spelling for a client address, whatever the database or Python version prints.

    An IPv4-mapped IPv6 address (``::ffff:10.0.0.7``) is the IPv4 client behind
    a dual-stack socket, so it becomes plain IPv4; any other IPv6 address is
    written compressed (``2001:db8::1``, ``::a00:7``). SQLite returns what was
    stored, but PostgreSQL's ``inet`` prints some IPv6 addresses its own way
    (``::10.0.0.7``), so the hash is computed over this form on writing and on
    verifying alike. Anything that is not an address is ``None``.
    """
    if value in (None, ""):
        return None
    try:
        parsed = ipaddress.ip_address(str(value).split("%", 1)[0].strip())
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return parsed.compressed
    return str(parsed)


def event_fields(event: Any) -> dict[str, Any]:
    """Return every column the hash covers, in a form that round-trips through the database."""
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "request_id": event.request_id,
        "source_ip": canonical_ip(event.source_ip),
        "changes": event.changes,
        "excluded_fields": event.excluded_fields,
        "details": event.details,
        "previous_hash": event.previous_hash,
    }


def chain_key() -> bytes:
    """Return the secret the chain's HMACs are keyed with."""
    from django.conf import settings

    configured = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if configured:
        return str(configured).encode("utf-8")
    return hashlib.sha256(b"threshold.audit.chain:" + settings.SECRET_KEY.encode("utf-8")).digest()


def compute_hash(event: Any, key: bytes | None = None) -> str:
    """Return the HMAC-SHA256 of an event's canonical content, which includes the previous hash."""
    message = canonical_content(event_fields(event)).encode("utf-8")
    return hmac.new(key or chain_key(), message, hashlib.sha256).hexdigest()


def checkpoint_signature(*, sequence: int, content_hash: str, count: int, verified_at: str, full: bool) -> str:
    """The HMAC that shows ``audit verify`` wrote a verification checkpoint, under the chain's key.

    A checkpoint lets the next run skip the events before it, so one written by someone with only database
    access could hide an edit made before it; without the key they cannot sign one.
    """
    fields = {
        "kind": "verify-checkpoint",
        "sequence": sequence,
        "content_hash": content_hash,
        "count": count,
        "verified_at": verified_at,
        "full": full,
    }
    return hmac.new(chain_key(), canonical_content(fields).encode("utf-8"), hashlib.sha256).hexdigest()
