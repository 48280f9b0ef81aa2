"""What the access lint protects: the protected models, and the reverse relations that lead into them.

Read from the protected apps' ``models`` modules (nothing is imported), so a new
sub-record model or relation is covered the day it is written. Used by
``scripts/lint_access.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "threshold"
# Apps whose every model holds or describes case data (or the trail of it); threshold.access.guard agrees.
PROTECTED_APPS = (
    "people",
    "concerns",
    "allegations",
    "lado",
    "documents",
    "chronology",
    "audit",
    "timescales",
    "notifications",
)
RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
# Abstract model bases the record apps share (core's ``Immutable``): read for their bases only, so that a
# protected model extending one is known as a model. Not protected themselves: they have no table.
SHARED_BASES = PACKAGE / "core" / "models.py"


def _model_files(app: str) -> list[Path]:
    """The ``models`` module of an app, or the modules of its ``models`` package."""
    single = PACKAGE / app / "models.py"
    package = PACKAGE / app / "models"
    return [single] if single.exists() else sorted(package.glob("*.py")) if package.is_dir() else []


def _base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else ""


def protected_models() -> frozenset[str]:
    """Every model class defined in the protected apps (a class whose bases lead to ``models.Model``)."""
    classes: dict[str, set[str]] = {}
    shared: set[str] = set()
    if SHARED_BASES.exists():
        for node in ast.walk(ast.parse(SHARED_BASES.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and "Model" in {_base_name(base) for base in node.bases}:
                shared.add(node.name)
    for app in PROTECTED_APPS:
        for path in _model_files(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    classes[node.name] = {_base_name(base) for base in node.bases}
    models = {name for name, bases in classes.items() if bases & ({"Model"} | shared)}
    grown = True
    while grown:  # subclasses of protected models (abstract bases, proxies)
        more = {name for name, bases in classes.items() if bases & models} - models
        models |= more
        grown = bool(more)
    return frozenset(models)


def _relation_target(call: ast.Call, owner: str) -> str:
    """The model class a relation field points at ("accounts.Organisation" -> "Organisation")."""
    target = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "to"), None)
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        return owner if target.value == "self" else target.value.rsplit(".", 1)[-1]
    return _base_name(target) if target is not None else ""


def reverse_relations(models: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Reverse accessors (``organisation.concerns``) and query names (``concerns__…``) into protected records.

    Only relations that start from an unprotected model (an organisation, a
    user): a protected record's own sub-records are reached through it once
    it has been fetched through ``threshold.access``.
    """
    accessors: set[str] = set()
    lookups: set[str] = set()
    for app in PROTECTED_APPS:
        for path in _model_files(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ClassDef) or node.name not in models:
                    continue
                for statement in node.body:
                    call = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
                    if not isinstance(call, ast.Call) or _base_name(call.func) not in RELATIONS:
                        continue
                    if _relation_target(call, node.name) in models:
                        continue
                    options = {k.arg: k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)}
                    related = options.get("related_name")
                    if isinstance(related, str) and related.endswith("+"):
                        continue  # no reverse relation at all
                    one = _base_name(call.func) == "OneToOneField"
                    accessors.add(str(related or node.name.lower() + ("" if one else "_set")))
                    lookups.add(str(options.get("related_query_name") or related or node.name.lower()))
    return frozenset(accessors), frozenset(lookups)


def _protected_module(module: str) -> bool:
    """``threshold.<protected app>.models`` (or a module inside a models package)."""
    parts = module.split(".")
    return len(parts) >= 3 and parts[0] == "threshold" and parts[1] in PROTECTED_APPS and parts[2] == "models"
