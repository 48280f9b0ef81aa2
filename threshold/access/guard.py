"""The runtime half of the access rule: a protected queryset runs only if ``threshold.access`` scoped it.

Why this exists: ``scripts/lint_access.py`` reads source, so it cannot see a
model picked at run time, a reverse relation from an unprotected record
(``organisation.concerns.all()``) evaluated in a template, or a way round it
that nobody has thought of yet. A leak here is a safeguarding data breach, so
the rule is also enforced where it cannot be missed: when the query runs.

Every manager of every model of the protected apps (``PROTECTED_APPS``, the
same list as the lint's) is switched, when the app registry is ready (and
again whenever Django remakes them), to one that hands out a
``GuardedQuerySet``. Django builds reverse related managers
(``organisation.concerns``) from a model's default manager, so they are guarded
too. Evaluating a guarded queryset (fetching, iterating, ``get``, ``count``,
``exists``, ``aggregate``, ``iterator``, ``in_bulk``, ``update``, ``delete``…)
is allowed when:

1. the queryset is *scoped*: ``threshold.access`` built it (``scoped()``), or it
   is a related manager of a saved protected record: a sub-record reached
   through its concern, allegation, case or meeting, which the caller fetched
   through ``access_*``. The mark survives chaining (``filter``, ``order_by``…)
   but not a union with an unscoped queryset; or
2. the code running it is trusted. Walking outward from the query, the first
   trusted project frame wins: ``threshold.access``, service modules
   (``threshold.<app>.services``), signal receivers, migrations, the demo
   loaders, management commands (system jobs run by an operator), the audit
   trail's own modules listed in ``TRUSTED_MODULES``, and a protected model's
   own ``save``/``delete`` (keeping derived rows in step, such as a person's
   match keys). Test and bench code
   may query directly, but only when it is the innermost project code: a test
   that drives a view does not vouch for the view.

Otherwise ``UnscopedQueryError`` names the model, the operation and the module
to blame, in tests and production alike. A stack with no project code on it
at all (Django's own machinery, an operator's shell) is not judged.

The cost is a short frame walk, only for unscoped queries, with each frame's
verdict cached by its code object. Django's own saves, forward relations and
deletion cascades use the plain ``_base_manager`` and are not affected.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, TypeVar

from django.apps import apps
from django.db.models import Manager, Model, QuerySet

# Apps whose every model holds or describes case data (or the trail of it); the lint uses the same list.
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

# Modules allowed to query protected models directly although they are not services. Keep this short.
TRUSTED_MODULES = frozenset(
    {
        # Optimistic locking moves on the version of the one record a service was given, and re-reads it.
        "threshold.core.locking",
        # The audit trail's own reads and its chain: scoped by fetch.audit_scope, or system jobs.
        "threshold.audit.selectors",
        "threshold.audit.verify",
        "threshold.audit.index",
        # Subject exclusion's match keys and clearances (ADR 0018): keys reveal nothing readable, and the
        # person rows it reads are those a service or an access rule already holds.
        "threshold.people.subjects",
        # The demo loaders write the synthetic demo world (refused in production by settings).
        "threshold.demo.world",
        "threshold.demo.records",
    }
)

_PACKAGE = str(Path(__file__).resolve().parent.parent) + "/"
_TRUSTED, _TEST, _SERVING, _OTHER = "trusted", "test", "serving", "other"
# Keyed by the code object's identity: equal code in two modules (a one-line helper) is not the same code.
# The entry holds the code object, so its id cannot be reused while cached.
_verdicts: dict[int, tuple[CodeType, tuple[str, str]]] = {}
_WRITES = ("save", "delete")  # a protected model's own save() and delete() keep its derived rows in step
# Those methods, by where their source is (file, qualified name, first line), not by code object: a function's
# code object can be replaced while it runs (the test suite's coverage, SlipCover, swaps in instrumented code
# and back, ADR 0047), and the method stays the method it was.
_trusted_writes: dict[tuple[str, str, int], str] = {}

Q = TypeVar("Q", bound=QuerySet[Any])


class UnscopedQueryError(RuntimeError):
    """A protected queryset was evaluated outside ``threshold.access`` and outside a trusted module."""


def _classify(frame: FrameType) -> tuple[str, str]:
    """Whether a frame's code is trusted, a test, code that serves people, or neither (Django, libraries)."""
    code = frame.f_code
    cached = _verdicts.get(id(code))
    if cached is not None and cached[0] is code:
        return cached[1]
    written = _trusted_writes.get((code.co_filename, code.co_qualname, code.co_firstlineno))
    verdict = (_TRUSTED, written) if written else _verdict(frame.f_globals.get("__name__"), code.co_filename)
    _verdicts[id(code)] = (code, verdict)
    return verdict


def _verdict(module: object, filename: str) -> tuple[str, str]:
    if not isinstance(module, str):
        # A Jinja template's compiled code has no module name; one of ours serves people.
        serving = filename.startswith(_PACKAGE) and not filename.endswith(".py")
        return (_SERVING, filename[len(_PACKAGE) - len("threshold/") :]) if serving else (_OTHER, "")
    parts = module.split(".")
    if parts[0] in ("tests", "bench"):
        return _TEST, module
    if parts[0] != "threshold" or module == __name__:
        return _OTHER, ""
    trusted = (
        parts[1:2] == ["access"]
        # Services change state on an event; signal receivers run inside one (accounts.receivers relinks
        # the person records of a changed email address); migrations move data.
        or parts[2:3] in (["services"], ["receivers"], ["migrations"])
        or parts[2:4] == ["management", "commands"]
        or module in TRUSTED_MODULES
    )
    return (_TRUSTED, module) if trusted else (_SERVING, module)


def _blamed_module() -> str | None:
    """The module that may not run this query, or ``None`` when the code running it is trusted."""
    frame: FrameType | None = sys._getframe(2)
    blamed: str | None = None
    while frame is not None:
        kind, module = _classify(frame)
        if kind == _TRUSTED:
            return None
        if kind == _TEST:
            return blamed  # a test may query directly; a view the test drives may not
        if kind == _SERVING and blamed is None:
            blamed = module
        frame = frame.f_back
    return blamed


class GuardedQuerySet(QuerySet[Any]):
    """A queryset of a protected model that refuses to run unless scoped or run by trusted code."""

    _access_scoped = False

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]
        clone._access_scoped = self._access_scoped
        return clone

    def _guard(self, operation: str) -> None:
        if self._access_scoped:
            return
        module = _blamed_module()
        if module is not None:
            raise UnscopedQueryError(
                f"{self.model.__name__} queryset ({operation}) evaluated in {module} without threshold.access: "
                "fetch it through access_*/visible_* or do it in a service (docs/access.md)."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._guard("fetch")
        super()._fetch_all()

    def _iterator(self, use_chunked_fetch: bool, chunk_size: int | None) -> Iterator[Any]:
        self._guard("iterator")
        return super()._iterator(use_chunked_fetch, chunk_size)  # type: ignore[misc]

    async def aiterator(self, chunk_size: int = 2000) -> AsyncIterator[Any]:
        """Iterate asynchronously, if allowed."""
        self._guard("aiterator")
        async for row in super().aiterator(chunk_size):
            yield row

    def count(self) -> int:
        """Count, if allowed (a count reveals as much as a list)."""
        if self._result_cache is None:
            self._guard("count")
        return super().count()

    def exists(self) -> bool:
        """Whether any row exists, if allowed."""
        if self._result_cache is None:
            self._guard("exists")
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Aggregate, if allowed."""
        self._guard("aggregate")
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        """Update, if allowed."""
        self._guard("update")
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:
        self._guard("update")
        return super()._update(values)  # type: ignore[misc]

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete, if allowed."""
        self._guard("delete")
        return super().delete()

    def _raw_delete(self, using: Any) -> int:
        self._guard("delete")
        return super()._raw_delete(using)

    def explain(self, *, format: Any = None, **options: Any) -> str:
        """Explain, if allowed (the plan can reveal row counts)."""
        self._guard("explain")
        return super().explain(format=format, **options)

    # Combining: a union with an unscoped queryset would widen a scoped one, so it is scoped only if all are.
    def __or__(self, other: Any) -> Any:
        combined = super().__or__(other)
        combined._access_scoped = self._access_scoped and getattr(other, "_access_scoped", False)
        return combined

    def __xor__(self, other: Any) -> Any:
        combined = super().__xor__(other)  # type: ignore[misc]
        combined._access_scoped = self._access_scoped and getattr(other, "_access_scoped", False)
        return combined

    def __and__(self, other: Any) -> Any:
        combined = super().__and__(other)  # an intersection only narrows
        combined._access_scoped = self._access_scoped or getattr(other, "_access_scoped", False)
        return combined

    def union(self, *other_qs: Any, all: bool = False) -> Any:
        """Union: scoped only when every part is."""
        combined = super().union(*other_qs, all=all)
        combined._access_scoped = self._access_scoped and all_scoped(other_qs)
        return combined


def all_scoped(querysets: Iterable[Any]) -> bool:
    """Whether every queryset given was scoped by ``threshold.access``."""
    return all(getattr(queryset, "_access_scoped", False) for queryset in querysets)


def _scoping_get_queryset(original: type[Manager[Any]]) -> Any:
    """A manager's ``get_queryset`` that marks a related manager of a saved protected record as scoped."""

    def get_queryset(self: Manager[Any]) -> Any:
        queryset = original.get_queryset(self)
        instance = getattr(self, "instance", None)
        if instance is not None and is_protected(type(instance)) and not instance._state.adding:
            # A sub-record reached through its concern, allegation, case or meeting.
            queryset._access_scoped = True  # type: ignore[attr-defined]
        return queryset

    return get_queryset


def scoped(queryset: Q) -> Q:
    """Mark a queryset as scoped by the access rules, so code that serves people may evaluate it.

    Only ``threshold.access`` calls this, and the audit trail's own reads
    (``threshold.audit.selectors``), which are scoped by ``fetch.audit_scope`` or
    by a record fetched through ``access_*``; the lint refuses it anywhere else.
    """
    marked = queryset._chain()  # type: ignore[attr-defined]
    marked._access_scoped = True
    return marked


def is_protected(model: type[Model]) -> bool:
    """Whether a model belongs to a protected app (and so has guarded managers)."""
    return model._meta.app_label in PROTECTED_APPS


_manager_classes: dict[type[Manager[Any]], type[Manager[Any]]] = {}


def _guarded_manager_class(original: type[Manager[Any]]) -> type[Manager[Any]]:
    guarded = _manager_classes.get(original)
    if guarded is None:
        queryset_class: type[QuerySet[Any]] = original._queryset_class  # type: ignore[attr-defined]
        if not issubclass(queryset_class, GuardedQuerySet):
            queryset_class = type(f"Guarded{queryset_class.__name__}", (GuardedQuerySet, queryset_class), {})
        name = f"Guarded{original.__name__}"
        attributes = {
            "_queryset_class": queryset_class,
            "get_queryset": _scoping_get_queryset(original),
            "_threshold_guarded": True,
        }
        guarded = type(name, (original,), attributes)
        # Named as the manager it guards, and its only base: django-stubs' mypy plugin starts Django and looks
        # managers up by their class's (or first base's) module and name; a class made here would be unknown to it.
        guarded.__module__, guarded.__qualname__ = original.__module__, original.__qualname__
        _manager_classes[original] = guarded
    return guarded


def install() -> None:
    """Guard every manager of every protected model (from ``AccessConfig.ready``), and again when they are remade.

    Each model's managers (``_meta.managers``) are copies Django makes from the classes that declare them, and
    it makes them again whenever the app registry's cache is cleared (a model registered late, the installed
    apps changed by a test's ``available_apps`` or ``override_settings``): the new copies would be plain
    managers, every protected model unguarded. So clearing the cache guards them again at once.
    """
    if "mypy_django_plugin" in sys.modules:
        # django-stubs' mypy plugin starts Django in its own process to read the models, and cannot type a
        # manager generated here (``as_manager()`` ones above all). Type checking runs no queries.
        return
    _guard_managers()
    if not getattr(apps.clear_cache, "_threshold_guards", False):
        clear_cache = apps.clear_cache

        def clear_cache_and_guard() -> None:
            clear_cache()
            if apps.ready:
                _guard_managers()

        clear_cache_and_guard._threshold_guards = True  # type: ignore[attr-defined]
        apps.clear_cache = clear_cache_and_guard  # type: ignore[method-assign]


def _guard_managers() -> None:
    """Trust the protected models' own save and delete, and switch each of their managers to a guarded one.

    Only the installed apps: a test narrowing them (``available_apps``, ``override_settings``) has Django remake
    the managers of those it keeps, and of the others when it puts them back.
    """
    for label in PROTECTED_APPS:
        if label not in apps.app_configs:
            continue
        for model in apps.get_app_config(label).get_models():
            for cls in model.__mro__:
                for name in _WRITES:
                    method = vars(cls).get(name) if cls.__module__.startswith("threshold.") else None
                    if method is not None and hasattr(method, "__code__"):
                        code = method.__code__
                        where = (code.co_filename, code.co_qualname, code.co_firstlineno)
                        _trusted_writes[where] = f"{cls.__module__}.{cls.__name__}.{name}"
            for manager in model._meta.managers:
                if not getattr(manager, "_threshold_guarded", False):
                    manager.__class__ = _guarded_manager_class(type(manager))
