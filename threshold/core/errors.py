"""Errors services raise that views turn into pages."""

from __future__ import annotations

from typing import Any


class ConflictError(Exception):
    """Someone else changed the record since the form was loaded (optimistic locking).

    ``current`` is the record as it is now, for the conflict page to show what
    changed; views answer with HTTP 409 and save nothing.
    """

    def __init__(self, current: Any) -> None:
        super().__init__("The record has changed since you loaded it.")
        self.current = current
