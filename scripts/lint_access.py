#!/usr/bin/env python
"""Fail when code that serves people reaches a protected model without ``threshold.access``.

Protected records may be fetched only through ``threshold.access`` (``access_*``
for one, ``visible_*`` for many). This check reads the source (it imports
nothing). The protected models are every model defined in the protected apps
(``PROTECTED_APPS``, the same list as ``threshold.access.guard``'s), read from
their ``models`` modules, so a new sub-record model is covered the day it is
written. Every module that serves people (views, selectors, forms, presenters,
panels, templates…) is checked in full (``check_level``); it reports:

- a manager of a protected model, however it is named: ``Concern.objects``,
  an imported alias (``Concern as C``; ``models as m`` then ``m.Concern``),
  ``_default_manager``, ``_base_manager``, ``_meta.default_manager``,
  ``getattr(Concern, "objects")``, and any manager reached through
  ``type(x)``, ``x.__class__`` or ``_meta.model`` (whose model cannot be told);
- ``get_object_or_404`` / ``get_list_or_404`` on a protected model;
- ``apps.get_model(...)`` naming a protected app or model;
- a class-based view or form naming a protected model (``model = Concern``);
- raw SQL: ``cursor.execute(...)`` (or ``executemany``) on a protected app's table or with SQL built at
  run time (a literal such as the health check's ``SELECT 1`` is fine),
  ``.raw(...)``, ``RawSQL(...)``, ``.extra(...)``;
- ``from <protected models> import *``;
- a model picked at run time: from a dict, list or local alias of protected
  models, by subscript or call (``MODELS[kind].objects``), or a manager on a
  name the lint cannot tell is a model (a parameter); ContentType's
  ``model_class()`` / ``get_object_for_this_type()``, ``get_models()`` and
  ``apps.get_model()`` with a name chosen at run time;
- a reverse relation from an unprotected model into protected records
  (``organisation.concerns.all()``, ``user.person_records.filter()``), and
  lookups, annotations and aggregates that traverse one
  (``Organisation.objects.annotate(Count("concerns"))``,
  ``.filter(concerns__status=…)``);
- a protected model registered with the Django admin; ``scoped()`` (the
  guard's mark) outside ``threshold.access``;
- in Jinja templates (``threshold/**/jinja2``), a reverse relation into
  protected records followed by anything (``organisation.concerns.all()``).

Service modules (``threshold/<app>/services.py`` or ``services/``), signal
receivers, model definitions, app configs and the two demo loaders
(``DEMO_LOADERS``) are system code and may query protected models directly,
but they are still checked for the evasions above that no system job needs
(models picked at run time, content types, raw SQL, star imports). Only
``threshold.access`` itself, migrations and management commands are not read.
At run time ``threshold.access.guard`` enforces the same rule on every query.

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

from lint_access_index import (
    PACKAGE,
    PROTECTED_APPS,
    _protected_module,
    protected_models,
    reverse_relations,
)
from lint_access_templates import MARKER, _allowed, template_problems

__all__ = ["PROTECTED_APPS", "check_level", "is_checked", "main", "problems_in", "protected_models"]

# The demo loaders write the synthetic world; any other module named demo* is checked like the rest.
DEMO_LOADERS = (("demo", "world.py"), ("demo", "records.py"))
# Modules that are system code, not pages: they may query directly but not evade the lint.
SYSTEM_FILES = frozenset({"services.py", "receivers.py", "tasks.py", "models.py", "apps.py"})
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager", "default_manager", "base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# What a related manager offers: a reverse relation followed by one of these reads (or writes) records.
QUERYSET_METHODS = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "all filter exclude get count exists first last values values_list aggregate annotate alias order_by "
        "distinct select_related prefetch_related iterator in_bulk latest earliest only defer create get_or_create "
        "update_or_create update delete bulk_create bulk_update union none using add remove set clear"
    ).split()
)
# Calls whose field names or lookups can traverse a relation: filter(concerns__x=…), Count("concerns")…
LOOKUP_CALLS = frozenset(
    (  # noqa: SIM905
        "filter exclude get get_or_create update_or_create annotate alias aggregate values values_list order_by "
        "distinct select_related prefetch_related only defer Q F Count Sum Avg Max Min StdDev Variance Exists "
        "OuterRef Prefetch FilteredRelation ArrayAgg StringAgg JSONBAgg"
    ).split()
)
# Picking a model at run time: content types and the app registry.
DYNAMIC_MODEL_CALLS = frozenset({"model_class", "get_object_for_this_type", "get_all_objects_for_this_type"})
TEMPLATE_SUFFIXES = frozenset({".html", ".txt", ".jinja"})
# A table of a protected app, as Django names it: "<app>_<model>".
PROTECTED_TABLE = re.compile(r"\b(?:" + "|".join(PROTECTED_APPS) + r")_\w+", re.IGNORECASE)
MODULE_MARKER = re.compile(r"^#\s*access-lint:\s*allow-module\b(?P<reason>.*)$")


def check_level(path: Path) -> str | None:
    """``"full"`` for code that serves people, ``"system"`` for system code, ``None`` for what is not read.

    Paths are judged by their place in the package (``threshold/<app>/…``), not
    by a word anywhere in them: a ``views/services.py`` or a ``demo_views.py``
    serves people and is checked in full.
    """
    parts = path.parts
    if path.suffix in TEMPLATE_SUFFIXES:
        return "full" if "jinja2" in parts else None
    if path.suffix != ".py" or "migrations" in parts:
        return None
    app = parts.index("threshold") if "threshold" in parts else -1
    inside = parts[app + 1 : -1] if app >= 0 else ()  # the folders between threshold/ and the file
    if inside[:1] == ("access",) or inside[1:3] == ("management", "commands"):
        return None  # the door itself; commands are system jobs an operator runs
    # Services change state on an event; receivers run inside one; models define; apps configure.
    if len(inside) == 1 and path.name in SYSTEM_FILES:
        return "system"
    if len(inside) == 2 and inside[1] in ("services", "models"):
        return "system"
    if len(inside) == 1 and (inside[0], path.name) in DEMO_LOADERS:
        return "system"
    return "full"


def is_checked(path: Path) -> bool:
    """Whether the lint reads this file at all."""
    return check_level(path) is not None


class _Checker(ast.NodeVisitor):
    """Finds the uses of protected models in one module."""

    def __init__(
        self,
        path: Path,
        models: frozenset[str],
        relations: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
        full: bool = True,
    ) -> None:
        self.path = path
        self.models = models
        self.reverse, self.lookups = relations
        self.full = full  # False for system code: direct queries are fine, evasions are not
        self.aliases: dict[str, str] = {}  # local name -> protected model it stands for
        self.containers: set[str] = set()  # local names bound to a dict/list/tuple holding protected models
        self.model_modules: set[str] = set()  # local names bound to a protected models module
        self.known: set[str] = {"get_user_model"}  # imported names and classes defined here
        self.found: list[tuple[int, str]] = []

    # What names mean -----------------------------------------------------------------
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            local = alias.asname or alias.name
            self.known.add(local)
            if module == "threshold.access.guard" and alias.name == "scoped":
                self._report(
                    node, "scoped() marks a queryset as checked by the access rules; only threshold.access may"
                )
            if _protected_module(module):
                if alias.name == "*":
                    self._report(node, f"'from {module} import *' hides which protected models are used", True)
                elif alias.name in self.models:
                    self.aliases[local] = alias.name
            elif _protected_module(f"{module}.{alias.name}"):
                self.model_modules.add(local)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.known.add((alias.asname or alias.name).split(".")[0])
            if _protected_module(alias.name):
                # "import threshold.concerns.models as cm" binds cm; without "as" the chain is spelled out.
                self.model_modules.add(alias.asname or alias.name)
        self.generic_visit(node)

    def _model_named(self, node: ast.expr) -> str | None:
        """The protected model an expression names, if it names one (directly, by alias or from a container)."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id) or (node.id if node.id in self.models else None)
        if isinstance(node, ast.Attribute) and node.attr in self.models:
            return node.attr  # m.Concern, threshold.concerns.models.Concern
        picked = node.value if isinstance(node, ast.Subscript) else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            picked = node.func.value  # MODELS.get(kind)
        if isinstance(picked, ast.Name) and picked.id in self.containers:
            return f"{picked.id}[...]"
        return None

    def _holds_models(self, node: ast.expr) -> str | None:
        """The first protected model inside a dict, list, tuple or set literal."""
        if isinstance(node, ast.Dict):
            elements = [value for value in node.values if value is not None]
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            elements = list(node.elts)
        else:
            return None
        return next((model for element in elements if (model := self._model_named(element))), None)

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        """Remember a local alias (``M = Concern``) or container (``MODELS = {"c": Concern}``)."""
        if not isinstance(target, ast.Name):
            return
        if (model := self._model_named(value)) is not None:
            self.aliases[target.id] = model
        elif self._holds_models(value) is not None:
            self.containers.add(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)
        self.generic_visit(node)

    def _bind_loop(self, target: ast.expr, iterable: ast.expr) -> None:
        # for model in (Concern, Case) / in MODELS / in MODELS.values(): each model in turn.
        source = (
            iterable.func.value
            if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
            else iterable
        )
        model = self._holds_models(source)
        if model is None and isinstance(source, ast.Name) and source.id in self.containers:
            model = f"{source.id}[...]"
        names = [target] if isinstance(target, ast.Name) else getattr(target, "elts", [])
        for name in names:
            if model is not None and isinstance(name, ast.Name):
                self.aliases[name.id] = model

    def visit_For(self, node: ast.For) -> None:
        self._bind_loop(node.target, node.iter)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind_loop(node.target, node.iter)
        self.generic_visit(node)

    def _picked_at_run_time(self, node: ast.expr) -> str | None:
        """A manager's owner that is no class the lint can name: a subscript, a call, a parameter."""
        if isinstance(node, ast.Subscript):
            return "a model picked by subscript"
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in self.known):
            return "a model returned by a call"
        if isinstance(node, ast.Name) and node.id not in self.known and node.id not in self.aliases:
            return f"{node.id!r}, a model the lint cannot tell"
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
            if name is not None and "[" in name:
                self._report(node, f"{name}.{node.attr}: a model picked at run time; use threshold.access", True)
            elif name is not None:
                self._report(node, f"{name}.{node.attr} used directly; fetch it through threshold.access")
            elif (unknown := self._unknown_model(base)) is not None and node.attr != "default_manager":
                self._report(node, f"{unknown}.{node.attr}: a manager of an unknown model; use threshold.access", True)
            elif (unknown := self._unknown_model(base)) is not None:
                self._report(node, f"{unknown}._meta.default_manager: a manager of an unknown model", True)
            elif (picked := self._picked_at_run_time(base)) is not None:
                self._report(node, f".{node.attr} of {picked}: use threshold.access", True)
        elif (
            node.attr in QUERYSET_METHODS and isinstance(node.value, ast.Attribute) and node.value.attr in self.reverse
        ):
            self._report(
                node,
                f"....{node.value.attr}.{node.attr}(): a reverse relation into protected records; use threshold.access",
            )
        elif node.attr == "scoped" and isinstance(node.value, ast.Name) and node.value.id == "guard":
            self._report(
                node, "guard.scoped() marks a queryset as checked by the access rules; only threshold.access may"
            )
        self.generic_visit(node)

    def _traverses(self, node: ast.Call, name: str) -> str | None:
        """A lookup, annotation or aggregate in this call that follows a reverse relation into protected records."""
        if name not in LOOKUP_CALLS or not self.lookups:
            return None
        words = [keyword.arg for keyword in node.keywords if keyword.arg]
        words += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        return next((word for word in words if word.split("__")[0] in self.lookups), None)

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
            self._report(node, "apps.get_model() of a protected model bypasses threshold.access", True)
        elif name == "get_model" and not all(isinstance(arg, ast.Constant) for arg in node.args):
            self._report(node, "apps.get_model() with a name chosen at run time; use threshold.access", True)
        elif name in DYNAMIC_MODEL_CALLS or (name == "get_models" and isinstance(func, ast.Attribute)):
            self._report(node, f"{name}() picks a model at run time (content types, the app registry)", True)
        elif name == "register" and first is not None and (model := self._model_named(first)) is not None:
            self._report(node, f"registering {model} (the Django admin) shows it without threshold.access")
        elif (lookup := self._traverses(node, name)) is not None:
            self._report(node, f"{name}({lookup!r}) traverses a reverse relation into protected records")
        elif name in {"execute", "executemany"} and isinstance(func, ast.Attribute) and first is not None:
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                self._report(node, "raw SQL built at run time (cursor.execute); its tables cannot be checked", True)
            elif PROTECTED_TABLE.search(first.value):
                self._report(node, "raw SQL on a protected table (cursor.execute) bypasses threshold.access", True)
        elif name in {"raw", "RawSQL", "extra"} and (name != "extra" or isinstance(func, ast.Attribute)):
            self._report(node, f"raw SQL ({name}()) bypasses threshold.access", True)
        self.generic_visit(node)

    def _names_protected(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            return False
        words = set(re.split(r"[.\s]", node.value.lower()))
        return bool(words & set(PROTECTED_APPS)) or bool(words & {model.lower() for model in self.models})

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.known.add(node.name)
        for statement in node.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "model" for target in statement.targets
            ):
                model = self._model_named(statement.value)
                if model is not None:
                    self._report(statement, f"a class naming model = {model} queries it without threshold.access")
        self.generic_visit(node)

    def _report(self, node: ast.AST, message: str, evasion: bool = False) -> None:
        # System code may query protected models directly; nobody may evade the lint.
        if self.full or evasion:
            self.found.append((getattr(node, "lineno", 0), message))


def problems_in(
    path: Path,
    models: frozenset[str] | None = None,
    relations: tuple[frozenset[str], frozenset[str]] | None = None,
) -> list[str]:
    """Every direct use of a protected model in one module (or template), less the lines marked as allowed."""
    models = models if models is not None else protected_models()
    relations = relations if relations is not None else reverse_relations(models)
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    if path.suffix in TEMPLATE_SUFFIXES:
        return template_problems(path, lines, relations[0])
    checker = _Checker(path, models, relations, full=check_level(path) != "system")
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


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    templates = (path for path in root.rglob("*") if path.suffix in TEMPLATE_SUFFIXES and "jinja2" in path.parts)
    return sorted([*root.rglob("*.py"), *templates])


def main(argv: list[str]) -> int:
    """Check the given paths (or the threshold package) and report."""
    roots = [Path(arg) for arg in argv] or [PACKAGE]
    files = [path for root in roots for path in _files(root)]
    models = protected_models()
    relations = reverse_relations(models)
    checked = [path for path in files if is_checked(path)]
    problems = [problem for path in checked for problem in problems_in(path, models, relations)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"lint_access: {len(problems)} problem(s) in {len(checked)} module(s).", file=sys.stderr)
        return 1
    print(f"lint_access: {len(checked)} modules fetch the {len(models)} protected models only through access.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
