"""A strict reader over parsed TOML that reports errors by file and key path.

A pack is written by a person, often not a programmer. When it is wrong, the message
must say where (``levels[2].criteria[0].when``) and what (``unknown key 'whne'``), so
every access goes through ``Node`` and ``Table`` rather than plain dict lookups.
Unknown keys are errors: a misspelt key silently ignored is a rule silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .errors import PackError, shorten


class Node:
    """A value read from a pack, with the file and key path it came from."""

    def __init__(self, value: object, file: str, path: str) -> None:
        self.value = value
        self.file = file
        self.path = path

    def error(self, problem: str) -> PackError:
        """Return a ``PackError`` for this node."""
        return PackError(self.file, self.path, problem)

    def child(self, value: object, suffix: str) -> Node:
        """Return a node for a value inside this one (``suffix`` is ``.key`` or ``[i]``)."""
        return Node(value, self.file, f"{self.path}{suffix}" if self.path else suffix.lstrip("."))

    def table(self, allowed: Iterable[str] | None = None) -> Table:
        """Read this node as a table; with ``allowed``, reject any other key."""
        if not isinstance(self.value, dict):
            raise self.error(f"must be a table, not {_kind(self.value)}")
        table = Table(self)
        if allowed is not None:
            table.only(allowed)
        return table

    def items(self) -> list[Node]:
        """Read this node as an array and return a node per item."""
        if not isinstance(self.value, list):
            raise self.error(f"must be an array, not {_kind(self.value)}")
        return [self.child(item, f"[{i}]") for i, item in enumerate(self.value)]

    def text(self) -> str:
        """Read a non-blank string."""
        if not isinstance(self.value, str):
            raise self.error(f"must be a string, not {_kind(self.value)}")
        if not self.value.strip():
            raise self.error("must not be blank")
        return self.value.strip()

    def texts(self) -> tuple[str, ...]:
        """Read an array of non-blank strings."""
        return tuple(item.text() for item in self.items())

    def flag(self) -> bool:
        """Read a boolean."""
        if not isinstance(self.value, bool):
            raise self.error(f"must be true or false, not {_kind(self.value)}")
        return self.value

    def whole(self, minimum: int = 0, maximum: int = 10_000) -> int:
        """Read an integer within ``minimum``..``maximum``."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error(f"must be a whole number, not {_kind(self.value)}")
        if not minimum <= self.value <= maximum:
            raise self.error(f"must be between {minimum} and {maximum}, not {self.value}")
        return self.value

    def day(self) -> date:
        """Read a TOML local date (``2025-09-01``, unquoted)."""
        if isinstance(self.value, datetime) or not isinstance(self.value, date):
            raise self.error(f"must be a date such as 2025-09-01 (unquoted), not {_kind(self.value)}")
        return self.value

    def word(self, choices: Iterable[str]) -> str:
        """Read a string that must be one of ``choices``."""
        options = tuple(choices)
        value = self.text()
        if value not in options:
            raise self.error(f"must be one of {', '.join(options)}, not {shorten(value)}")
        return value


class Table:
    """A TOML table being read; remembers its node for error messages."""

    def __init__(self, node: Node) -> None:
        assert isinstance(node.value, dict)
        self.node = node
        self.data: dict[str, object] = node.value

    def only(self, allowed: Iterable[str]) -> None:
        """Reject keys outside ``allowed`` (catches misspelt keys)."""
        permitted = set(allowed)
        for key in self.data:
            if key not in permitted:
                raise self.node.child(None, f".{key}").error(
                    f"unknown key '{key}'; expected one of {', '.join(sorted(permitted))}"
                )

    def has(self, key: str) -> bool:
        """Return whether ``key`` is present."""
        return key in self.data

    def req(self, key: str) -> Node:
        """Return the node for a required key."""
        if key not in self.data:
            raise self.node.child(None, f".{key}").error("is required but missing")
        return self.node.child(self.data[key], f".{key}")

    def opt(self, key: str) -> Node | None:
        """Return the node for an optional key, or None."""
        if key not in self.data:
            return None
        return self.node.child(self.data[key], f".{key}")

    def keys(self) -> list[str]:
        """Return the keys in file order."""
        return list(self.data)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the string {shorten(value, 40)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__
