"""Check the audit trail: every event present, in order, linked to the one before, and unedited.

``verify_chain`` walks the events table once, in ``sequence`` order, holding only
the previous event's sequence and hash in memory, so it works the same for a
hundred events or ten million. It stops at the first bad event and says what is
wrong with it; everything before that event is known to be intact.

The chain alone cannot notice events removed from the end (the remaining
prefix is still a valid chain). A ``Checkpoint`` saved somewhere the database's
administrators cannot rewrite closes that gap: verifying against it proves the
trail still holds at least as many events as it did, ending in the same hash.
"""

from __future__ import annotations

# access-lint: allow-module a system job: the chain's verifier reads every event, for `audit verify`.
import datetime as dt
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from threshold.audit.chain import GENESIS_HASH, chain_key, compute_hash
from threshold.audit.index import check_index
from threshold.audit.models import AuditEvent

# Rows fetched per round trip: large enough to be quick, small enough that memory
# stays flat however long the trail grows.
BATCH_SIZE = 2000

# Every column compute_hash reads, plus the stored hash and the surrogate key
# (reported so an operator can find the row, but not covered by the hash).
_COLUMNS = (
    "id",
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "record_type",
    "record_id",
    "request_id",
    "source_ip",
    "changes",
    "excluded_fields",
    "details",
    "previous_hash",
    "content_hash",
)

_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")

# What a row with impossible stored values (for example a date SQLite cannot
# parse) raises while being read or hashed. Verification reports such a row as
# bad rather than crashing, so the operator still learns where the damage is.
_UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, KeyError)


@dataclass(frozen=True)
class Checkpoint:
    """The state of the trail at one moment, to be kept where the database cannot rewrite it."""

    count: int
    head_sequence: int
    head_hash: str
    created_at: str

    def to_json(self) -> str:
        """Serialise the checkpoint as one JSON object with sorted keys."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse a checkpoint written by ``to_json``; raise ``ValueError`` saying what is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON ({error.msg})") from error
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Build a checkpoint from parsed JSON, checking every field's type and form."""
        expected = {"count", "head_sequence", "head_hash", "created_at"}
        if set(data) != expected:
            raise ValueError(f"expected exactly the fields {', '.join(sorted(expected))}")
        count, head_sequence = data["count"], data["head_sequence"]
        head_hash, created_at = data["head_hash"], data["created_at"]
        for name, value in (("count", count), ("head_sequence", head_sequence)):
            # bool is an int in Python; "true" is not a count.
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more")
        if not isinstance(head_hash, str) or not _HASH_PATTERN.fullmatch(head_hash):
            raise ValueError("head_hash must be 64 lowercase hexadecimal characters")
        if not isinstance(created_at, str):
            raise ValueError("created_at must be an ISO 8601 date and time")
        try:
            dt.datetime.fromisoformat(created_at)
        except ValueError as error:
            raise ValueError("created_at must be an ISO 8601 date and time") from error
        if (count == 0) != (head_sequence == 0) or (head_sequence == 0 and head_hash != GENESIS_HASH):
            raise ValueError("an empty trail has count 0, head_sequence 0 and the genesis hash")
        return cls(count=count, head_sequence=head_sequence, head_hash=head_hash, created_at=created_at)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a verification.

    ``count`` is the number of events that verified: all of them when ``ok``,
    otherwise those before the first bad one. ``bad_sequence`` and ``bad_id``
    identify the first bad event (``bad_id`` is ``None`` when the event is
    missing altogether), and ``reason`` says what is wrong in plain words.
    """

    ok: bool
    count: int
    bad_sequence: int | None = None
    bad_id: int | None = None
    reason: str = ""

    def describe(self) -> str:
        """One line for a person: what was verified, or which event is bad and why."""
        if self.ok:
            return f"Verified {self.count} audit events."
        where = f"event {self.bad_sequence}" + (f" (row id {self.bad_id})" if self.bad_id is not None else "")
        return f"Audit trail verification FAILED at {where}: {self.reason}."


def checkpoint_current() -> Checkpoint:
    """Return a checkpoint of the trail as it stands now.

    The count and the head come from one aggregate query, so they describe the
    same moment even while other transactions append. The head's hash can be
    read separately because committed events never change.
    """
    totals = AuditEvent.objects.aggregate(count=Count("pk"), head=Max("sequence"))
    created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if totals["head"] is None:
        return Checkpoint(count=0, head_sequence=0, head_hash=GENESIS_HASH, created_at=created_at)
    head_hash = AuditEvent.objects.filter(sequence=totals["head"]).values_list("content_hash", flat=True).get()
    return Checkpoint(count=totals["count"], head_sequence=totals["head"], head_hash=head_hash, created_at=created_at)


def verify_chain(*, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Walk the whole trail in ``sequence`` order and return the first problem, if any.

    Each event must have the next sequence number (1 for the first), carry the
    previous event's hash (the genesis hash for the first) and hash to its
    stored ``content_hash`` under the chain key. With a ``checkpoint``, the
    event at the checkpoint's head must still have the recorded hash and the
    trail must hold at least as many events as the checkpoint counted; events
    appended since are fine.
    """
    walk = _Walk(key=chain_key(), checkpoint=checkpoint)
    while True:
        try:
            batch = _batch_after(walk.position)
        except _UNREADABLE:
            # The database driver converts a whole batch at once, so one bad
            # stored value spoils the batch without saying which row it was in.
            # Go over the batch a row at a time to name the event.
            batch_start = walk.position
            problem = _walk_row_by_row(walk)
            if problem is not None:
                return problem
            if walk.position == batch_start:  # no progress: give up rather than loop
                first = walk.previous_sequence + 1
                return walk.failure(first, None, f"events from event {first} on cannot be read")
            continue
        if not batch:
            result = walk.finish()
            if not result.ok:
                return result
            # The chain holds: now its record index must be exactly what the events name.
            mismatch = check_index()
            if mismatch is not None:
                sequence, reason = mismatch
                return VerifyResult(ok=False, count=walk.count, bad_sequence=sequence, reason=reason)
            return result
        for row in batch:
            problem = walk.step(row)
            if problem is not None:
                return problem


class _Walk:
    """The state of one pass along the chain: just the last good event, so memory stays flat."""

    def __init__(self, *, key: bytes, checkpoint: Checkpoint | None) -> None:
        self.key = key
        self.checkpoint = checkpoint
        self.count = 0
        self.previous_sequence = 0
        self.previous_hash = GENESIS_HASH
        # (sequence, id) of the last event checked: where to carry on from.
        self.position: tuple[int, int] | None = None

    def failure(self, sequence: int, row_id: int | None, reason: str) -> VerifyResult:
        """The result naming ``sequence`` as the first bad event."""
        return VerifyResult(ok=False, count=self.count, bad_sequence=sequence, bad_id=row_id, reason=reason)

    def step(self, row: dict[str, Any]) -> VerifyResult | None:
        """Check the next event; return a failure, or ``None`` and move on to it."""
        problem = _problem_with(row, self.previous_sequence, self.previous_hash, self.key)
        checkpoint = self.checkpoint
        if (
            problem is None
            and checkpoint is not None
            and row["sequence"] == checkpoint.head_sequence
            and row["content_hash"] != checkpoint.head_hash
        ):
            problem = (
                f"event {row['sequence']} no longer has the hash recorded by the checkpoint of "
                f"{checkpoint.created_at}: the trail has been rewritten since"
            )
        if problem is not None:
            return self.failure(row["sequence"], row["id"], problem)
        self.count += 1
        self.previous_sequence, self.previous_hash = row["sequence"], row["content_hash"]
        self.position = (row["sequence"], row["id"])
        return None

    def finish(self) -> VerifyResult:
        """After the last event: compare what was found with the checkpoint, if any."""
        checkpoint = self.checkpoint
        if checkpoint is not None and self.count < checkpoint.count:
            first = self.count + 1
            missing = f"event {first}" if first == checkpoint.count else f"events {first} to {checkpoint.count}"
            return self.failure(
                first,
                None,
                f"{missing} missing: the trail has {self.count} events but the checkpoint of "
                f"{checkpoint.created_at} recorded {checkpoint.count}, so events were removed from the end",
            )
        if checkpoint is not None and checkpoint.head_sequence > self.previous_sequence:
            # Only reachable with a checkpoint whose count and head disagree.
            return self.failure(
                checkpoint.head_sequence,
                None,
                f"event {checkpoint.head_sequence}, the head of the checkpoint of {checkpoint.created_at}, is missing",
            )
        return VerifyResult(ok=True, count=self.count)


def _after(position: tuple[int, int] | None) -> QuerySet[AuditEvent]:
    """Every event after ``position``, a (sequence, id) pair, or all of them for ``None``; in chain order.

    Keyset pagination: each batch is its own short query down the unique index
    on ``sequence``, so memory stays flat on both engines, no transaction or
    server-side cursor stays open while millions of events are hashed, and it
    works behind a transaction-pooling proxy. The (sequence, id) order means
    no row is skipped, not even a second event with the same number left by
    someone who dropped the unique constraint: it is checked and reported.
    """
    events = AuditEvent.objects.order_by("sequence", "id")
    if position is None:
        return events
    sequence, row_id = position
    # The plain ">=" lets the database walk the index; the OR drops what was already checked.
    return events.filter(sequence__gte=sequence).filter(Q(sequence__gt=sequence) | Q(id__gt=row_id))


def _batch_after(position: tuple[int, int] | None) -> list[dict[str, Any]]:
    """The columns of the next ``BATCH_SIZE`` events after ``position``."""
    return list(_after(position).values(*_COLUMNS)[:BATCH_SIZE])


def _walk_row_by_row(walk: _Walk) -> VerifyResult | None:
    """Check up to one batch of events one query each, naming the first that cannot even be read."""
    for row_id, sequence in _after(walk.position).values_list("id", "sequence")[:BATCH_SIZE]:
        try:
            row = AuditEvent.objects.filter(pk=row_id).values(*_COLUMNS).get()
        except _UNREADABLE as error:
            return walk.failure(sequence, row_id, _unreadable(sequence, error))
        problem = walk.step(row)
        if problem is not None:
            return problem
    return None


def _problem_with(row: dict[str, Any], previous_sequence: int, previous_hash: str, key: bytes) -> str | None:
    """Return what is wrong with one event given the one before it, or ``None`` if it verifies."""
    sequence = row["sequence"]
    if sequence != previous_sequence + 1:
        if previous_sequence == 0 and sequence < 1:
            return f"an event numbered {sequence} comes before event 1: inserted"
        if previous_sequence == 0:
            return f"the trail starts at event {sequence}, not event 1: events missing from the start"
        if sequence > previous_sequence + 1:
            return f"sequence jumps from {previous_sequence} to {sequence}: events missing or inserted"
        return f"sequence goes from {previous_sequence} back to {sequence}: events duplicated or reordered"
    if row["previous_hash"] != previous_hash:
        if previous_sequence == 0:
            return "event 1 does not start the chain: its previous hash is not the genesis hash"
        return f"event {sequence} does not link to event {previous_sequence}"
    try:
        expected = compute_hash(SimpleNamespace(**row), key)
    except _UNREADABLE as error:
        return _unreadable(sequence, error)
    # A constant-time comparison costs nothing here and saves arguing about
    # timing; bytes, because compare_digest refuses non-ASCII str and a forged
    # hash could contain anything.
    if not hmac.compare_digest(expected.encode("ascii"), str(row["content_hash"]).encode("utf-8")):
        return f"content of event {sequence} does not match its hash"
    return None


def _unreadable(sequence: int, error: Exception) -> str:
    """The reason given for an event whose stored values cannot be read or hashed."""
    return f"event {sequence} cannot be read ({type(error).__name__}): its stored values are damaged"
