"""Errors raised by the policy engine.

Every error carries a message a person can act on without reading the code: which
file, which key, which fact, and what is wrong with it. The command line prints the
message on one line, so messages never contain line breaks.
"""

from __future__ import annotations


class PolicyError(ValueError):
    """Base class for every error the policy engine raises on bad input."""


class PackError(PolicyError):
    """A policy pack file is malformed; the message names the file, the key and the problem."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        super().__init__(f"{file}: {key or '(top level)'}: {problem}")


class FactsError(PolicyError):
    """The facts given to the engine are invalid; the message names the fact."""

    def __init__(self, fact: str, problem: str) -> None:
        self.fact = fact
        self.problem = problem
        super().__init__(f"fact '{fact}': {problem}" if fact else problem)


class UnknownPackError(PolicyError):
    """No shipped pack has the requested id (or id and version)."""


def shorten(value: object, limit: int = 60) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, on one line.

    Error messages echo bad input back to the person who gave it; cutting it keeps a
    pasted document or a hostile payload from flooding a log line.
    """
    text = repr(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
