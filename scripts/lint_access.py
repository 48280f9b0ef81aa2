#!/usr/bin/env python
"""Fail when a view, API or export module reaches a protected model without ``threshold.access``.

Protected records may be fetched only through ``threshold.access.fetch``
(``access_*`` for one, ``visible_*`` for many). This check reads the source
(it imports nothing) and reports any use of ``<ProtectedModel>.objects``,
``get_object_or_404(<ProtectedModel>, ...)`` or ``get_list_or_404`` in the
modules that serve people: views, APIs, exports and template context.

Usage: ``python scripts/lint_access.py [PATH ...]`` (default: the ``threshold`` package).
Exits 1 and prints ``file:line: message`` for each problem.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PROTECTED_MODELS = frozenset(
    {
        "Person",
        "Concern",
        "Allegation",
        "Contact",
        "Case",
        "CaseShare",
        "Meeting",
        "MeetingShare",
        "Document",
        "AuditEvent",
        "ChronologyEntry",
    }
)
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
CHECKED_NAMES = ("views.py", "api.py", "exports.py", "context.py")
CHECKED_DIRS = ("views", "api", "exports")


def is_checked(path: Path) -> bool:
    """Views, APIs and exports are checked; the access module itself and migrations are not."""
    parts = path.parts
    if "access" in parts or "migrations" in parts:
        return False
    return path.name in CHECKED_NAMES or any(part in CHECKED_DIRS for part in parts[:-1])


def problems_in(path: Path) -> list[str]:
    """Every direct use of a protected model in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager", "_base_manager"}:
            target = node.value
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if name in PROTECTED_MODELS:
                found.append(
                    f"{path}:{node.lineno}: {name}.{node.attr} used directly; fetch it through threshold.access"
                )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHORTCUTS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id in PROTECTED_MODELS:
                found.append(f"{path}:{node.lineno}: {node.func.id}({first.id}) bypasses threshold.access")
    return found


def main(argv: list[str]) -> int:
    """Check the given paths (or the threshold package) and report."""
    roots = [Path(arg) for arg in argv] or [Path(__file__).resolve().parent.parent / "threshold"]
    files = [path for root in roots for path in ([root] if root.is_file() else sorted(root.rglob("*.py")))]
    problems = [problem for path in files if is_checked(path) for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    checked = sum(1 for path in files if is_checked(path))
    if problems:
        print(f"lint_access: {len(problems)} problem(s) in {checked} module(s).", file=sys.stderr)
        return 1
    print(f"lint_access: {checked} view, API and export modules fetch protected records only through access.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
