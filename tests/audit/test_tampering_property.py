"""Whatever trail is written and whichever one tampering is done to it, verification catches it.

Hypothesis writes a short trail, takes a checkpoint (as the nightly job would),
applies one random tampering through raw SQL and checks that verification
fails and names the event a person would point to as the first bad one.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.audit import tampering
from tests.audit.tampering import append_only_triggers_lifted
from threshold.audit.chain import canonical_content
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record
from threshold.audit.verify import checkpoint_current, verify_chain

pytestmark = pytest.mark.django_db

# Printable text, including letters outside ASCII, but nothing PostgreSQL's
# jsonb refuses (NUL) and no lone surrogates.
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=12,
)
names = st.text(alphabet=string.ascii_lowercase + "._", min_size=1, max_size=20)
json_values = st.one_of(st.integers(-(10**9), 10**9), words, st.booleans(), st.none())
details = st.dictionaries(words, json_values, max_size=3)
events = st.lists(st.tuples(names, st.integers(0, 10**6), details), min_size=1, max_size=8)
hashes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


def write_trail(specs: list[tuple[str, int, dict[str, Any]]]) -> None:
    """Write one event per spec, as features do."""
    for action, record_id, detail in specs:
        audit_record(
            context=AuditContext.system("hypothesis"),
            action=action,
            record_type="lado.case",
            record_id=record_id,
            details=detail,
        )


def tamper_with_a_field(data: st.DataObject, length: int) -> int:
    """Give one column of one event a different value; that event is the first bad one."""
    target = data.draw(st.integers(1, length), label="event edited")
    event = AuditEvent.objects.get(sequence=target)
    column = data.draw(
        st.sampled_from(
            [
                "action",
                "actor_label",
                "record_id",
                "details",
                "occurred_at",
                "source_ip",
                "previous_hash",
                "content_hash",
            ]
        ),
        label="column",
    )
    value: Any
    if column in ("action", "actor_label", "record_id"):
        value = data.draw(names, label="value")
        assume(value != getattr(event, column))
    elif column == "details":
        value = data.draw(details, label="value")
        # Reordering keys is not a change: the hash is over canonical JSON.
        assume(canonical_content(value) != canonical_content(event.details))
    elif column == "occurred_at":
        shift = data.draw(st.integers(-(10**9), 10**9).filter(bool), label="microseconds moved")
        value = event.occurred_at + dt.timedelta(microseconds=shift)
    elif column == "source_ip":
        value = data.draw(st.ip_addresses(v=4).map(str), label="value")
    else:
        value = data.draw(hashes, label="value")
        assume(value != getattr(event, column))
    tampering.edit(target, column, value)
    return target


def tamper_by_deleting(data: st.DataObject, length: int) -> int:
    """Delete one event: the next one no longer follows on, or the checkpoint misses the last."""
    target = data.draw(st.integers(1, length), label="event deleted")
    tampering.delete(target)
    return target + 1 if target < length else length


def tamper_by_truncating(data: st.DataObject, length: int) -> int:
    """Cut the tail off: only the checkpoint can tell."""
    kept = data.draw(st.integers(0, length - 1), label="events kept")
    tampering.truncate_after(kept)
    return kept + 1


def tamper_by_inserting(data: st.DataObject, length: int) -> int:
    """Insert a forged copy of a real event anywhere, including at the end."""
    at = data.draw(st.integers(1, length + 1), label="position of forged event")
    copy_of = data.draw(st.integers(1, length), label="event copied")
    hasher = data.draw(st.sampled_from([tampering.plain_sha256, tampering.wrong_key_hmac]), label="hasher")
    tampering.insert_forged(at, copy_of=copy_of, hasher=hasher)
    return at


def tamper_by_reordering(data: st.DataObject, length: int) -> int:
    """Swap two events' places in the chain."""
    assume(length >= 2)
    first = data.draw(st.integers(1, length - 1), label="first swapped")
    second = data.draw(st.integers(first + 1, length), label="second swapped")
    tampering.swap(first, second)
    return first


def tamper_and_rehash(data: st.DataObject, length: int) -> int:
    """Edit one event, then relink and rehash it and everything after it without the key."""
    target = tamper_with_a_field(data, length)
    hasher = data.draw(st.sampled_from([tampering.plain_sha256, tampering.wrong_key_hmac]), label="hasher")
    tampering.rehash_from(target, hasher)
    return target


TAMPERINGS = [
    tamper_with_a_field,
    tamper_by_deleting,
    tamper_by_truncating,
    tamper_by_inserting,
    tamper_by_reordering,
    tamper_and_rehash,
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=events, data=st.data())
def test_verify_always_catches_one_random_tampering(db: None, specs: list[Any], data: st.DataObject) -> None:
    # Each example runs in its own savepoint, rolled back at the end, so the
    # examples do not see each other's trails.
    with transaction.atomic():
        write_trail(specs)
        checkpoint = checkpoint_current()
        assert verify_chain(checkpoint=checkpoint).ok
        tamper = data.draw(st.sampled_from(TAMPERINGS), label="tampering")
        with append_only_triggers_lifted():
            first_bad = tamper(data, len(specs))
        result = verify_chain(checkpoint=checkpoint)
        assert not result.ok, f"{tamper.__name__} went unnoticed"
        assert result.bad_sequence == first_bad, result.reason
        transaction.set_rollback(True)
