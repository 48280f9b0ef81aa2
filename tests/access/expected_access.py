"""The expected-access table: what each persona gets from each URL (GET, signed in with MFA).

200 allowed, 404 not found (also "not yours": the two are never distinguished),
403 forbidden (pages whose existence is no secret, such as administration),
302 redirect, 405 method not allowed (POST-only actions). Every URL pattern in the
project must have a row in one of the modules of ``tests/access/tables/``; a new
URL without one fails ``test_access_matrix``.

The records behind parameterised URLs are the demo records
(``threshold/demo/records.py``): the concern Tom raised about Chris Coach
at Oakfield, Chris's allegation and its document, Northshire's Tier 1 case about
Chris (its strategy meeting shared with Pat, the case shared with Cara), and
Chris's person records.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import tests.access.tables as tables


def _modules() -> list[Any]:
    return [importlib.import_module(f"{tables.__name__}.{info.name}") for info in pkgutil.iter_modules(tables.__path__)]


def expected() -> dict[str, dict[str, int]]:
    """Every table merged as {url name: {persona: status}}; a URL in two tables is an error."""
    merged: dict[str, dict[str, int]] = {}
    for module in _modules():
        lines = [line for line in module.TABLE.strip().splitlines() if line.strip()]
        personas = lines[0].split()[1:]
        for parts in (line.split() for line in lines[1:]):
            if parts[0] in merged:
                raise AssertionError(f"{parts[0]} has rows in two tables")
            merged[parts[0]] = dict(zip(personas, (int(code) for code in parts[1:]), strict=True))
    return merged


def url_args() -> dict[str, Callable[[dict[str, int]], list[Any]]]:
    """How to build each parameterised URL's arguments from the demo records."""
    merged: dict[str, Callable[[dict[str, int]], list[Any]]] = {}
    for module in _modules():
        merged.update(getattr(module, "ARGS", {}))
    return merged
