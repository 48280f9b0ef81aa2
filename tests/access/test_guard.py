"""The runtime guard: a protected queryset that did not come through threshold.access refuses to run in a view.

Each test plants code compiled as if it lived in a view module
(``threshold.concerns.views``) and shows that the bypass raises, while a
queryset scoped by ``threshold.access`` works from the same place.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from threshold.access import guard
from threshold.access.guard import GuardedQuerySet, UnscopedQueryError
from threshold.accounts.models import Organisation
from threshold.concerns.models import Concern
from threshold.core.names import record_keys
from threshold.demo import world
from threshold.people.models import Person, PersonKey

PLANTED = """
from jinja2 import Environment

from threshold.access.fetch import visible_concerns
from threshold.concerns.models import Concern

OPERATIONS = {
    "list": lambda qs: list(qs),
    "iterate": lambda qs: [row for row in qs],
    "get": lambda qs: qs.get(pk=1),
    "first": lambda qs: qs.first(),
    "count": lambda qs: qs.count(),
    "exists": lambda qs: qs.exists(),
    "bool": lambda qs: bool(qs),
    "len": lambda qs: len(qs),
    "index": lambda qs: qs[0],
    "values_list": lambda qs: list(qs.values_list("pk", flat=True)),
    "aggregate": lambda qs: qs.aggregate(n=__import__("django.db.models").db.models.Count("pk")),
    "iterator": lambda qs: list(qs.iterator()),
    "in_bulk": lambda qs: qs.in_bulk([1]),
    "latest": lambda qs: qs.latest("pk"),
    "update": lambda qs: qs.filter(pk=0).update(summary="x"),
    "delete": lambda qs: qs.filter(pk=0).delete(),
}


def run(operation):
    return OPERATIONS[operation](Concern.objects.all())


def organisation_concerns(organisation):
    return organisation.concerns.count()


def organisation_concern_list(organisation):
    return [concern.pk for concern in organisation.concerns.all()]


def in_a_template(organisation):
    return Environment().from_string("{{ organisation.concerns.count() }}").render(organisation=organisation)


def scoped(user, operation):
    return OPERATIONS[operation](visible_concerns(user).filter(pk__gt=0).order_by("pk"))


def widened(user):
    return list(visible_concerns(user) | Concern.objects.distinct())


def sub_records(user):
    concern = visible_concerns(user).order_by("pk").first()
    return [document.pk for document in concern.documents.all()], concern.chronology.count()
"""


def plant(module_name: str) -> types.ModuleType:
    """Compile the planted code as if it were the module ``module_name``."""
    module = types.ModuleType(module_name)
    module.__file__ = str(Path("threshold", *module_name.split(".")[1:]).with_suffix(".py"))
    exec(compile(PLANTED, module.__file__, "exec"), module.__dict__)  # noqa: S102 (the test plants the bypass)
    return module


@pytest.fixture
def view() -> types.ModuleType:
    return plant("threshold.concerns.views")


@pytest.mark.parametrize("operation", sorted(plant("threshold.concerns.views").OPERATIONS))
def test_an_unscoped_query_in_a_view_raises_naming_the_model_and_the_module(
    records: dict[str, int], view: Any, operation: str
) -> None:
    with pytest.raises(UnscopedQueryError, match=r"Concern queryset .* in threshold\.concerns\.views"):
        view.run(operation)


def test_a_reverse_relation_from_an_organisation_raises_in_a_view_and_in_its_template(
    records: dict[str, int], view: Any
) -> None:
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    with pytest.raises(UnscopedQueryError, match="Concern"):
        view.organisation_concerns(oakfield)
    with pytest.raises(UnscopedQueryError, match="Concern"):
        view.organisation_concern_list(oakfield)
    with pytest.raises(UnscopedQueryError, match="Concern"):
        view.in_a_template(oakfield)


@pytest.mark.parametrize(
    "operation", ["list", "iterate", "first", "count", "exists", "bool", "len", "values_list", "aggregate", "iterator"]
)
def test_a_queryset_from_threshold_access_is_chained_and_evaluated_in_the_same_view(
    records: dict[str, int], persona: Any, view: Any, operation: str
) -> None:
    view.scoped(persona("hana"), operation)


def test_a_union_with_an_unscoped_queryset_is_not_scoped(records: dict[str, int], persona: Any, view: Any) -> None:
    with pytest.raises(UnscopedQueryError):
        view.widened(persona("hana"))


def test_sub_records_of_a_record_fetched_through_access_may_be_read(
    records: dict[str, int], persona: Any, view: Any
) -> None:
    view.sub_records(persona("hana"))


@pytest.mark.parametrize(
    "module_name",
    ["threshold.concerns.services", "threshold.lado.services.planted", "threshold.access.planted"],
)
def test_services_and_the_access_module_may_query_directly(records: dict[str, int], module_name: str) -> None:
    service = plant(module_name)
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    assert service.run("count") >= service.organisation_concerns(oakfield) > 0


def test_a_test_may_query_directly_but_does_not_vouch_for_the_view_it_calls(records: dict[str, int], view: Any) -> None:
    assert Concern.objects.count() > 0  # the test itself is the innermost project code
    with pytest.raises(UnscopedQueryError):
        view.run("count")


def test_every_manager_of_every_protected_model_is_guarded() -> None:
    for label in guard.PROTECTED_APPS:
        for model in apps.get_app_config(label).get_models():
            for manager in model._meta.managers:
                assert isinstance(manager.all(), GuardedQuerySet), f"{model.__name__}.{manager.name} is not guarded"
    assert not isinstance(Organisation.objects.all(), GuardedQuerySet)


def test_the_guard_and_the_lint_protect_the_same_apps() -> None:
    scripts = str(Path(__file__).resolve().parents[2] / "scripts")
    sys.path.insert(0, scripts)
    try:
        import lint_access_index
    finally:
        sys.path.remove(scripts)
    assert lint_access_index.PROTECTED_APPS == guard.PROTECTED_APPS


def test_a_models_own_save_stays_trusted_when_its_code_object_is_replaced(
    demo_world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Person.save running as a copy of its code, as under the suite's coverage (SlipCover swaps each
    # function's code for an instrumented copy: ADR 0047)
    original = Person.save.__code__
    copy = original.replace()
    assert copy is not original
    monkeypatch.setattr(Person.save, "__code__", copy)
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    person = Person.objects.create(organisation=northshire, full_name="Someone Else")
    # When the person is renamed: their save removes their clearances and keys, guarded queries
    person.full_name = "Another Name"
    person.save()
    # Then the guard trusts the model's own save, as it does the original code, and the keys follow the name
    keys = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    assert keys == record_keys(name="Another Name", email=person.email)


def test_the_guard_survives_the_app_registrys_cache_being_cleared(records: dict[str, int], view: Any) -> None:
    # Django clears it when a model is registered late or the installed apps change (a test's available_apps or
    # override_settings): each model's managers are then copied afresh from the classes that declare them
    apps.clear_cache()
    for label in guard.PROTECTED_APPS:
        for model in apps.get_app_config(label).get_models():
            assert isinstance(model._default_manager.all(), GuardedQuerySet), f"{model.__name__} is not guarded"
    with pytest.raises(UnscopedQueryError):
        view.run("count")


def test_the_guard_survives_a_test_narrowing_the_installed_apps_and_putting_them_back(
    records: dict[str, int], view: Any
) -> None:
    # A transactional test's available_apps: Django keeps only these apps, then restores the others
    apps.set_available_apps(["django.contrib.contenttypes", "django.contrib.auth", "threshold.accounts"])
    try:
        assert "people" not in apps.app_configs
    finally:
        apps.unset_available_apps()
    assert isinstance(Person.objects.all(), GuardedQuerySet)
    with pytest.raises(UnscopedQueryError):
        view.run("count")
