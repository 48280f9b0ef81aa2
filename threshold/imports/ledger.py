"""What a run remembers of every row and adult it has met, kept on disk so that its memory does not grow.

A run must know, at each row, whether an earlier row of the file had the same reference (a repeat, or a clash)
and which person an adult met in an earlier row became. Held in Python dictionaries that was one entry per
distinct row and per adult, about 0.4 KB a row: 3.4 MB of allocations at 5,000 rows, 10.4 MB at 20,000, and
on with the file (issue 16 asks for constant memory). A ``Ledger`` keeps them in a private temporary SQLite
database of the standard library's instead (ADR 0038): SQLite holds at most 512 KiB of its pages in
memory, writes the rest to a file it has already unlinked, and frees both when the ledger is closed or
collected.

The keys are stored as 16-byte BLAKE2 digests of their ``repr``, keyed with random bytes that live only in the
ledger's memory, never as they are: a key may hold an adult's name and date of birth, and without the key a
digest cannot be tested against a list of names, even from what the unlinked file leaves on the disk. Values
are JSON (row numbers, ids, digests). SQLite needs a writable temporary directory for the file
(``SQLITE_TMPDIR``, ``TMPDIR``, ``/var/tmp`` or ``/tmp``; the README's deployment section says so).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Hashable
from typing import Any


class Ledger:
    """Keys of one run and what each stands for, in named spaces ("rows", "adults"…), on disk."""

    def __init__(self) -> None:
        # "" is SQLite's private temporary database: on disk once it outgrows its cache, deleted on close.
        # The run that makes a ledger is the only thread that uses it.
        self._db = sqlite3.connect("", isolation_level=None)
        self._key = secrets.token_bytes(16)
        # Its page cache, in KiB: enough for a batch's look-ups, small beside the run's other allocations.
        self._db.execute("PRAGMA cache_size = -512")
        # Nothing here outlives the run: no journal, no waiting for the disk.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE entry (space TEXT NOT NULL, key BLOB NOT NULL, value TEXT NOT NULL,"
            " PRIMARY KEY (space, key)) WITHOUT ROWID"
        )

    def get(self, space: str, key: Hashable) -> Any:
        """What ``key`` stands for in ``space``; None when it was never put there."""
        found = self._db.execute(
            "SELECT value FROM entry WHERE space = ? AND key = ?", (space, self._digest(key))
        ).fetchone()
        return None if found is None else json.loads(found[0])

    def __contains__(self, entry: tuple[str, Hashable]) -> bool:
        space, key = entry
        found = self._db.execute("SELECT 1 FROM entry WHERE space = ? AND key = ?", (space, self._digest(key)))
        return found.fetchone() is not None

    def put(self, space: str, key: Hashable, value: Any = True) -> None:
        """Remember that ``key`` stands for ``value`` (JSON) in ``space``, replacing what it stood for."""
        self._db.execute(
            "INSERT OR REPLACE INTO entry (space, key, value) VALUES (?, ?, ?)",
            (space, self._digest(key), json.dumps(value)),
        )

    def close(self) -> None:
        """Forget everything now (the temporary file goes with the connection)."""
        self._db.close()

    def _digest(self, key: Hashable) -> bytes:
        """A fixed-size stand-in for ``key`` (its ``repr``: strings, dates, ints and tuples of them are exact)."""
        return hashlib.blake2b(repr(key).encode(), digest_size=16, key=self._key).digest()
