"""Connection settings worked out from ``DATABASE_URL`` (kept apart from ``base`` so that tests can call them)."""

from __future__ import annotations

JIT_OFF = "-c jit=off"


def with_jit_off(options: str) -> str:
    """PostgreSQL's startup ``options`` from the URL with JIT compilation turned off (ADR 0032), kept in addition.

    A ``statement_timeout`` or ``search_path`` given in the URL (``?options=-c%20statement_timeout%3D5000``) must
    survive; a ``jit`` given there wins, so an operator can turn it back on.
    """
    options = options.strip()
    if "jit=" in options.replace(" ", ""):
        return options
    return f"{options} {JIT_OFF}".strip()
