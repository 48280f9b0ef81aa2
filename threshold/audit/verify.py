"""Check the audit trail: every event present, in order, linked to the one before, and unedited.

``verify_chain`` walks the events table once, in ``sequence`` order, holding only
the previous event's sequence and hash in memory, so it works the same for a
hundred events or ten million. It stops at the first bad event and says what is
wrong with it; everything before that event is known to be intact.

The chain alone cannot notice events removed from the end (the remaining
prefix is still a valid chain). A ``Checkpoint`` saved somewhere the database's
administrators cannot rewrite closes that gap: verifying against it proves the
trail still holds at least as many events as it did, ending in the same hash.

``verify_trail`` is ``manage.py audit verify``: it starts from the newest
``VerifyCheckpoint`` (how far an earlier run verified, signed with the chain's
key), so a nightly run costs the day's events, and records a new one when the
trail verifies; ``full=True`` starts from the first event.
"""

from __future__ import annotations

# access-lint: allow-module a system job: the chain's verifier reads every event, for `audit verify`.
import datetime as dt
import hmac
import logging
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from threshold.audit.chain import GENESIS_HASH, chain_key, checkpoint_signature, compute_hash
from threshold.audit.checkpoint_file import Checkpoint as Checkpoint
from threshold.audit.index import check_index, scope_organisation
from threshold.audit.models import AuditEvent, VerifyCheckpoint

logger = logging.getLogger(__name__)

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
    # Not hashed, but derived from what is: checked against ``details``.
    "record_organisation",
)

# What a row with impossible stored values (for example a date SQLite cannot
# parse) raises while being read or hashed. Verification reports such a row as
# bad rather than crashing, so the operator still learns where the damage is.
_UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, KeyError)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a verification.

    ``count`` is the number of events that verified: all of them when ``ok``,
    otherwise those before the first bad one. ``bad_sequence`` and ``bad_id``
    identify the first bad event (``bad_id`` is ``None`` when the event is
    missing altogether), and ``reason`` says what is wrong in plain words.
    A run that started from a verification checkpoint counts the events before
    it as verified; ``since`` names that checkpoint and ``checked`` how many
    events this run checked. ``head`` is the last event checked and its hash.
    """

    ok: bool
    count: int
    bad_sequence: int | None = None
    bad_id: int | None = None
    reason: str = ""
    since: str = ""
    checked: int | None = None
    head: tuple[int, str] | None = None

    def describe(self) -> str:
        """One line for a person: what was verified, or which event is bad and why."""
        if self.ok and self.since:
            return f"Verified {self.checked} audit events since the checkpoint of {self.since} ({self.count} in all)."
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


def verify_trail(*, full: bool = False, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """``audit verify``: verify from the newest verification checkpoint, and record a new one if all is well.

    ``full`` starts from the first event. A saved ``checkpoint`` file is compared with the whole trail, so it
    starts from the first event too.
    """
    start = None
    if not full and checkpoint is None:
        start = VerifyCheckpoint.objects.order_by("-sequence", "-pk").first()
    if start is not None and not hmac.compare_digest(
        start.signature.encode("utf-8"), _signature(start).encode("ascii")
    ):
        reason = (
            f"the verification checkpoint at event {start.sequence} does not carry audit verify's signature, "
            "so it was not written by audit verify: run audit verify --full"
        )
        return VerifyResult(ok=False, count=0, bad_sequence=start.sequence, reason=reason)
    result = verify_chain(checkpoint=checkpoint, start=start)
    if result.ok and result.head is not None and (start is None or result.head[0] > start.sequence or full):
        saved = VerifyCheckpoint(
            sequence=result.head[0],
            content_hash=result.head[1],
            count=result.count,
            verified_at=timezone.now(),
            full=start is None,
        )
        saved.signature = _signature(saved)
        try:
            with transaction.atomic():
                saved.save()
        except DatabaseError as error:
            # A read replica cannot take it: the trail still verified, and the next run starts further back.
            logger.warning("Could not save the verification checkpoint (%s).", type(error).__name__)
    return result


def _signature(saved: VerifyCheckpoint) -> str:
    return checkpoint_signature(
        sequence=saved.sequence,
        content_hash=saved.content_hash,
        count=saved.count,
        # The form the chain hashes times in, the same before and after a database round trip.
        verified_at=saved.verified_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        full=saved.full,
    )


def verify_chain(*, checkpoint: Checkpoint | None = None, start: VerifyCheckpoint | None = None) -> VerifyResult:
    """Walk the trail in ``sequence`` order and return the first problem, if any.

    Each event must have the next sequence number (1 for the first), carry the
    previous event's hash (the genesis hash for the first) and hash to its
    stored ``content_hash`` under the chain key. With a ``checkpoint``, the
    event at the checkpoint's head must still have the recorded hash and the
    trail must hold at least as many events as the checkpoint counted; events
    appended since are fine. With a verification checkpoint ``start``, the walk
    begins at its event, which must still be there with the hash recorded then
    and still hash to it, and the events before it count as verified.
    """
    walk = _Walk(key=chain_key(), checkpoint=checkpoint)
    if start is not None:
        problem = walk.resume(start)
        if problem is not None:
            return problem
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
            mismatch = check_index(after=start.sequence - 1 if start is not None else 0)
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
        # The verification checkpoint this walk resumed from, and how many events it had then.
        self.since: VerifyCheckpoint | None = None
        self.counted_before = 0

    def resume(self, start: VerifyCheckpoint) -> VerifyResult | None:
        """Start at a verification checkpoint's event: still there, with the recorded hash, and still hashing to it."""
        when = start.verified_at.isoformat(timespec="seconds")
        row = _after(None).filter(sequence=start.sequence).values(*_COLUMNS).first()
        if row is None:
            reason = f"event {start.sequence}, verified on {when}, is missing: events were removed"
            return self.failure(start.sequence, None, reason)
        if row["content_hash"] != start.content_hash:
            reason = (
                f"event {start.sequence} no longer has the hash it had when it was verified on {when}: "
                "the trail has been rewritten since"
            )
            return self.failure(start.sequence, row["id"], reason)
        problem = _problem_with(row, start.sequence - 1, row["previous_hash"], self.key)
        if problem is not None:
            return self.failure(start.sequence, row["id"], problem)
        self.since, self.counted_before = start, start.count
        self.count = start.count
        self.previous_sequence, self.previous_hash = start.sequence, start.content_hash
        self.position = (start.sequence, row["id"])
        return None

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
        head = (self.previous_sequence, self.previous_hash) if self.position is not None else None
        if self.since is None:
            return VerifyResult(ok=True, count=self.count, head=head)
        return VerifyResult(
            ok=True,
            count=self.count,
            since=self.since.verified_at.isoformat(timespec="seconds"),
            checked=self.count - self.counted_before,
            head=head,
        )


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
    if row["record_organisation"] != scope_organisation(row["organisation_id"], row["details"]):
        return f"the record organisation of event {sequence} does not match its details"
    return None


def _unreadable(sequence: int, error: Exception) -> str:
    """The reason given for an event whose stored values cannot be read or hashed."""
    return f"event {sequence} cannot be read ({type(error).__name__}): its stored values are damaged"
