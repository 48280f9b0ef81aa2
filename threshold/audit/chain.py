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
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_content(fields: dict[str, Any]) -> str:
    """Serialise an event's fields the one way the hash is computed over."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=True)


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
        "source_ip": event.source_ip,
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
