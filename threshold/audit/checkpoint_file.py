"""A checkpoint file: the trail's count and head hash at one moment, kept where the database cannot rewrite it.

``manage.py audit checkpoint`` writes one (``threshold.audit.verify.checkpoint_current``); ``audit verify
--checkpoint FILE`` checks the trail against it, which catches events removed from the end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from threshold.audit.chain import GENESIS_HASH

_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")


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
