#!/usr/bin/env python
"""Fail when code that serves people reaches a protected model without ``threshold.access``.

Protected records may be fetched only through ``threshold.access`` (``access_*``
for one, ``visible_*`` for many). This check reads the source (it imports
nothing). The protected models are every model defined in the protected apps
(``PROTECTED_APPS``), read from their ``models`` modules, so a new sub-record
model is covered the day it is written. In every module except those that are
allowed to query directly (``is_checked``: the access module itself, services
and signal receivers, migrations, model definitions, demo loaders, management
commands and tasks, which are system jobs), it reports:

- a manager of a protected model, however it is named: ``Concern.objects``,
  an imported alias (``Concern as C``; ``models as m`` then ``m.Concern``),
  ``_default_manager``, ``_base_manager``, ``_meta.default_manager``,
  ``getattr(Concern, "objects")``, and any manager reached through
  ``type(x)``, ``x.__class__`` or ``_meta.model`` (whose model cannot be told);
- ``get_object_or_404`` / ``get_list_or_404`` on a protected model;
- ``apps.get_model(...)`` naming a protected app or model;
- a class-based view or form naming a protected model (``model = Concern``);
- raw SQL: ``cursor.execute(...)`` on a protected app's table or with SQL built at
  run time (a literal such as the health check's ``SELECT 1`` is fine),
  ``.raw(...)``, ``RawSQL(...)``, ``.extra(...)``;
- ``from <protected models> import *``.

A line that must do one of these for a reason the rules allow (a system
check, a query that reveals nothing) carries ``# access-lint: allow <reason>``
(on the line, or on a comment line just above it); a module that is itself a
system job (the chain's verifier) or the audit trail's own scoped reads says
``# access-lint: allow-module <reason>`` on a line of its own. A marker without
a reason is itself a problem.

Usage: ``python scripts/lint_access.py [PATH ...]`` (default: the ``threshold`` package).
Exits 1 and prints ``file:line: message`` for each problem.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "threshold"
# Apps whose every model holds or describes case data (or the trail of it).
PROTECTED_APPS = ("people", "concerns", "allegations", "lado", "documents", "chronology", "audit")
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager", "default_manager", "base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# A table of a protected app, as Django names it: "<app>_<model>".
PROTECTED_TABLE = re.compile(r"\b(?:" + "|".join(PROTECTED_APPS) + r")_\w+", re.IGNORECASE)
MARKER = re.compile(r"#\s*access-lint:\s*allow(?!-module)\b(?P<reason>.*)$")
MODULE_MARKER = re.compile(r"^#\s*access-lint:\s*allow-module\b(?P<reason>.*)$")


def _model_files(app: str) -> list[Path]:
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
    for app in PROTECTED_APPS:
        for path in _model_files(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    classes[node.name] = {_base_name(base) for base in node.bases}
    models = {name for name, bases in classes.items() if "Model" in bases}
    grown = True
    while grown:  # subclasses of protected models (abstract bases, proxies)
        more = {name for name, bases in classes.items() if bases & models} - models
        models |= more
        grown = bool(more)
    return frozenset(models)


def _protected_module(module: str) -> bool:
    """``threshold.<protected app>.models`` (or a module inside a models package)."""
    parts = module.split(".")
    return len(parts) >= 3 and parts[0] == "threshold" and parts[1] in PROTECTED_APPS and parts[2] == "models"


def is_checked(path: Path) -> bool:
    """Everything that serves people is checked; the few places allowed to query directly are not."""
    parts = path.parts
    if path.suffix != ".py" or "access" in parts or "migrations" in parts or "management" in parts:
        return False
    # Services, signal receivers and tasks change state on an event, as services do; models define.
    system = {"services.py", "receivers.py", "models.py", "tasks.py", "apps.py", "admin.py"}
    if "services" in parts[:-1] or path.name in system:
        return False
    return not ("models" in parts[:-1] or path.name.startswith("demo"))


class _Checker(ast.NodeVisitor):
    """Finds the uses of protected models in one module."""

    def __init__(self, path: Path, models: frozenset[str]) -> None:
        self.path = path
        self.models = models
        self.aliases: dict[str, str] = {}  # local name -> protected model it stands for
        self.model_modules: set[str] = set()  # local names bound to a protected models module
        self.found: list[tuple[int, str]] = []

    # What names mean -----------------------------------------------------------------
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            local = alias.asname or alias.name
            if _protected_module(module):
                if alias.name == "*":
                    self._report(node, f"'from {module} import *' hides which protected models are used")
                elif alias.name in self.models:
                    self.aliases[local] = alias.name
            elif _protected_module(f"{module}.{alias.name}"):
                self.model_modules.add(local)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _protected_module(alias.name):
                # "import threshold.concerns.models as cm" binds cm; without "as" the chain is spelled out.
                self.model_modules.add(alias.asname or alias.name)
        self.generic_visit(node)

    def _model_named(self, node: ast.expr) -> str | None:
        """The protected model an expression names, if it names one."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id) or (node.id if node.id in self.models else None)
        if isinstance(node, ast.Attribute) and node.attr in self.models:
            return node.attr  # m.Concern, threshold.concerns.models.Concern
        return None

    @staticmethod
    def _unknown_model(node: ast.expr) -> str | None:
        """An expression whose model cannot be told from the source: type(x), x.__class__, x._meta.model."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type":
            return "type(...)"
        if isinstance(node, ast.Attribute) and node.attr == "__class__":
            return "....__class__"
        if isinstance(node, ast.Attribute) and node.attr == "model":
            return "....model"
        return None

    # What is flagged -----------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS:
            base = node.value
            if isinstance(base, ast.Attribute) and base.attr == "_meta":
                base = base.value  # Concern._meta.default_manager
            name = self._model_named(base)
            if name is not None:
                self._report(node, f"{name}.{node.attr} used directly; fetch it through threshold.access")
            elif (unknown := self._unknown_model(base)) is not None and node.attr != "default_manager":
                self._report(node, f"{unknown}.{node.attr}: a manager of an unknown model; use threshold.access")
            elif (unknown := self._unknown_model(base)) is not None:
                self._report(node, f"{unknown}._meta.default_manager: a manager of an unknown model")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        first = node.args[0] if node.args else None
        if name in SHORTCUTS and first is not None and (model := self._model_named(first)) is not None:
            self._report(node, f"{name}({model}) bypasses threshold.access")
        elif name == "getattr" and len(node.args) >= 2 and first is not None:
            attribute = node.args[1]
            if isinstance(attribute, ast.Constant) and attribute.value in MANAGERS:
                model = self._model_named(first) or self._unknown_model(first)
                if model is not None:
                    self._report(node, f"getattr({model}, {attribute.value!r}) reaches a manager; use threshold.access")
        elif name == "get_model" and any(self._names_protected(arg) for arg in node.args):
            self._report(node, "apps.get_model() of a protected model bypasses threshold.access")
        elif name == "execute" and isinstance(func, ast.Attribute) and first is not None:
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                self._report(node, "raw SQL built at run time (cursor.execute); its tables cannot be checked")
            elif PROTECTED_TABLE.search(first.value):
                self._report(node, "raw SQL on a protected table (cursor.execute) bypasses threshold.access")
        elif name in {"raw", "RawSQL", "extra"} and (name != "extra" or isinstance(func, ast.Attribute)):
            self._report(node, f"raw SQL ({name}()) bypasses threshold.access")
        self.generic_visit(node)

    def _names_protected(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            return False
        words = set(re.split(r"[.\s]", node.value.lower()))
        return bool(words & set(PROTECTED_APPS)) or bool(words & {model.lower() for model in self.models})

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "model" for target in statement.targets
            ):
                model = self._model_named(statement.value)
                if model is not None:
                    self._report(statement, f"a class naming model = {model} queries it without threshold.access")
        self.generic_visit(node)

    def _report(self, node: ast.AST, message: str) -> None:
        self.found.append((getattr(node, "lineno", 0), message))


def problems_in(path: Path, models: frozenset[str] | None = None) -> list[str]:
    """Every direct use of a protected model in one module, less the lines marked as allowed."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    checker = _Checker(path, models if models is not None else protected_models())
    checker.visit(ast.parse(source, filename=str(path)))
    problems: list[str] = []
    module_markers = [MODULE_MARKER.search(line.strip()) for line in lines]
    for number, marker in enumerate(module_markers, start=1):
        if marker and not marker.group("reason").strip(" :-—"):
            problems.append(f"{path}:{number}: '# access-lint: allow-module' needs a reason")
        elif marker:
            return problems
    for number, line in enumerate(lines, start=1):
        marker = MARKER.search(line)
        if marker and not marker.group("reason").strip(" :-—"):
            problems.append(f"{path}:{number}: '# access-lint: allow' needs a reason")
    for lineno, message in sorted(set(checker.found)):
        if not _allowed(lines, lineno):
            problems.append(f"{path}:{lineno}: {message}")
    return problems


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


def main(argv: list[str]) -> int:
    """Check the given paths (or the threshold package) and report."""
    roots = [Path(arg) for arg in argv] or [PACKAGE]
    files = [path for root in roots for path in ([root] if root.is_file() else sorted(root.rglob("*.py")))]
    models = protected_models()
    checked = [path for path in files if is_checked(path)]
    problems = [problem for path in checked for problem in problems_in(path, models)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"lint_access: {len(problems)} problem(s) in {len(checked)} module(s).", file=sys.stderr)
        return 1
    print(f"lint_access: {len(checked)} modules fetch the {len(models)} protected models only through access.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
