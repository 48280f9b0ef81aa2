"""Jinja templates for the access lint: no reverse relation from an unprotected record into protected ones.

A template gets its records from the view, which fetched them through
``threshold.access``; ``organisation.concerns.all()`` in a template would list
records the view never checked. Used by ``scripts/lint_access.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"#\s*access-lint:\s*allow(?!-module)\b(?P<reason>.*)$")


def _allowed(lines: list[str], lineno: int) -> bool:
    """A marker with a reason on the line itself, or on a comment line just above it."""
    candidates = [lines[lineno - 1]] if 0 < lineno <= len(lines) else []
    if 1 < lineno <= len(lines) + 1 and lines[lineno - 2].strip().startswith("#"):
        candidates.append(lines[lineno - 2])
    for line in candidates:
        marker = MARKER.search(line)
        if marker and marker.group("reason").strip(" :-—"):
            return True
    return False


JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)  # expressions and statements, not comments or text


def template_problems(path: Path, lines: list[str], accessors: frozenset[str]) -> list[str]:
    """A Jinja template that follows a reverse relation into protected records (``org.concerns.all()``).

    A template gets its records from the view, which fetched them through
    ``threshold.access``; a reverse relation from an organisation or a user
    would list records the view never checked.
    """
    if not accessors:
        return []
    names = "|".join(re.escape(name) for name in sorted(accessors, key=len, reverse=True))
    pattern = re.compile(r"\.\s*(" + names + r")\s*\.\s*\w+")
    source = "\n".join(lines)
    problems = []
    for number, line in enumerate(lines, start=1):
        marker = MARKER.search(line.replace("#}", ""))
        if marker and not marker.group("reason").strip(" :-—"):
            problems.append(f"{path}:{number}: '# access-lint: allow' needs a reason")
    for code in JINJA_CODE.finditer(source):
        for found in pattern.finditer(code.group()):
            number = source.count("\n", 0, code.start() + found.start()) + 1
            if not _allowed([line.replace("#}", "") for line in lines], number):
                problems.append(f"{path}:{number}: .{found.group(1)}. in a template: a reverse relation into records")
    return problems
