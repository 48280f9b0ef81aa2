"""The access lint: views, APIs and exports may not query protected models directly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "lint_access.py"


def run(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_the_project_passes_the_access_lint() -> None:
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_view_that_queries_a_protected_model_directly_fails_the_lint(tmp_path: Path) -> None:
    views = tmp_path / "views.py"
    views.write_text(
        "from threshold.lado.models import Case\n"
        "from django.shortcuts import get_object_or_404\n"
        "def case(request, pk):\n"
        "    return Case.objects.get(pk=pk)\n"
        "def other(request, pk):\n"
        "    return get_object_or_404(Case, pk=pk)\n",
        encoding="utf-8",
    )
    result = run(views)
    assert result.returncode == 1
    assert "views.py:4: Case.objects used directly" in result.stdout
    assert "views.py:6: get_object_or_404(Case) bypasses threshold.access" in result.stdout


def test_an_export_module_is_checked_too(tmp_path: Path) -> None:
    exports = tmp_path / "exports.py"
    exports.write_text(
        "from threshold.concerns.models import Concern\nrows = Concern.objects.all()\n", encoding="utf-8"
    )
    assert run(exports).returncode == 1


def lint(
    tmp_path: Path, source: str, name: str = "selectors.py", folder: str = "somewhere"
) -> subprocess.CompletedProcess[str]:
    """Run the lint on one module written into a throwaway package."""
    module = tmp_path / "threshold" / folder / name
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(source, encoding="utf-8")
    return run(module)


EVASIONS = {
    "an imported alias": ("from threshold.concerns.models import Concern as C\nrows = C.objects.all()\n", "Concern"),
    "a models module alias": ("from threshold.lado import models as m\nrows = m.Case.objects.all()\n", "Case"),
    "apps.get_model": (
        "from django.apps import apps\nrows = apps.get_model('concerns', 'Concern')\n",
        "apps.get_model",
    ),
    "_meta.default_manager": (
        "from threshold.lado.models import Case\nrows = Case._meta.default_manager.all()\n",
        "Case.default_manager",
    ),
    "_default_manager": ("from threshold.lado.models import Case\nrows = Case._default_manager.all()\n", "Case"),
    "getattr(Model, 'objects')": (
        "from threshold.lado.models import Case\nrows = getattr(Case, 'objects').all()\n",
        "getattr(Case, 'objects')",
    ),
    "type(x).objects": ("def rows(record):\n    return type(record).objects.all()\n", "type(...).objects"),
    "x.__class__._default_manager": (
        "def rows(record):\n    return record.__class__._default_manager.all()\n",
        "__class__",
    ),
    "a class-based view naming its model": (
        "from django.views.generic import ListView\nfrom threshold.concerns.models import Concern\n"
        "class Concerns(ListView):\n    model = Concern\n",
        "model = Concern",
    ),
    "a model form naming its model": (
        "from django import forms\nfrom threshold.lado.models import Meeting\n"
        "class MeetingForm(forms.ModelForm):\n    class Meta:\n        model = Meeting\n        fields = '__all__'\n",
        "model = Meeting",
    ),
    "a ModelChoiceField over a protected model": (
        "from django import forms\nfrom threshold.lado.models import Case\n"
        "class PickCase(forms.Form):\n    case = forms.ModelChoiceField(queryset=Case.objects.all())\n",
        "Case.objects",
    ),
    "raw SQL on a protected table": (
        "from django.db import connection\nwith connection.cursor() as c:\n"
        "    c.execute('SELECT * FROM concerns_concern')\n",
        "raw SQL on a protected table",
    ),
    "raw SQL built at run time": (
        "from django.db import connection\ndef rows(table):\n    with connection.cursor() as c:\n"
        "        c.execute(f'SELECT * FROM {table}')\n",
        "raw SQL built at run time",
    ),
    "raw SQL run for many rows, built at run time": (
        "from django.db import connection\ndef rows(table, values):\n    with connection.cursor() as c:\n"
        "        c.executemany(f'INSERT INTO {table} VALUES (%s)', values)\n",
        "raw SQL built at run time",
    ),
    "RawSQL": ("from django.db.models.expressions import RawSQL\nx = RawSQL('1', [])\n", "RawSQL"),
    "a sub-record model": (
        "from threshold.concerns.models import LowLevelRecord\nrows = LowLevelRecord.objects.all()\n",
        "LowLevelRecord",
    ),
    "a star import": ("from threshold.allegations.models import *\n", "import *"),
    "a model picked from a dict": (
        "from threshold.concerns.models import Concern\nfrom threshold.lado.models import Case\n"
        "MODELS = {'concern': Concern, 'case': Case}\ndef rows(kind):\n    return MODELS[kind].objects.all()\n",
        "a model picked at run time",
    ),
    "a model picked with dict.get": (
        "from threshold.lado.models import Case\nMODELS = {'case': Case}\nrows = MODELS.get('case').objects.all()\n",
        "a model picked at run time",
    ),
    "a local alias": ("from threshold.lado.models import Case\nM = Case\nrows = M.objects.all()\n", "Case.objects"),
    "a loop over protected models": (
        "from threshold.concerns.models import Concern\nfrom threshold.lado.models import Case\n"
        "total = 0\nfor model in (Concern, Case):\n    total += model.objects.count()\n",
        "Concern.objects",
    ),
    "a manager of a parameter": ("def rows(model):\n    return model.objects.all()\n", "a model the lint cannot tell"),
    "a reverse relation from an organisation": (
        "def rows(organisation):\n    return organisation.concerns.all()\n",
        ".concerns.all(): a reverse relation",
    ),
    "a reverse relation from a user": (
        "def rows(user):\n    return user.person_records.count()\n",
        ".person_records.count(): a reverse relation",
    ),
    "people of an organisation": ("def rows(org):\n    return org.people.filter(kind='staff')\n", ".people.filter"),
    "an aggregate joining into protected records": (
        "from django.db.models import Count\nfrom threshold.accounts.models import Organisation\n"
        "rows = Organisation.objects.annotate(n=Count('concerns'))\n",
        "Count('concerns') traverses",
    ),
    "a filter joining into protected records": (
        "from threshold.accounts.models import Organisation\n"
        "rows = Organisation.objects.filter(lado_cases__subject__full_name='x')\n",
        "filter('lado_cases__subject__full_name') traverses",
    ),
    "values through a reverse relation": (
        "from threshold.accounts.models import User\nrows = User.objects.values('concerns_reported__summary')\n",
        "values('concerns_reported__summary')",
    ),
    "ContentType.model_class": (
        "from django.contrib.contenttypes.models import ContentType\n"
        "def rows(ct_id):\n    return ContentType.objects.get(pk=ct_id).model_class()\n",
        "model_class() picks a model",
    ),
    "ContentType.get_object_for_this_type": (
        "def row(ct, pk):\n    return ct.get_object_for_this_type(pk=pk)\n",
        "get_object_for_this_type() picks a model",
    ),
    "apps.get_model with a name chosen at run time": (
        "from django.apps import apps\ndef rows(app, name):\n    return apps.get_model(app, name)\n",
        "a name chosen at run time",
    ),
    "the Django admin": (
        "from django.contrib import admin\nfrom threshold.concerns.models import Concern\n"
        "admin.site.register(Concern)\n",
        "registering Concern",
    ),
    "the guard's scoped mark": (
        "from threshold.access.guard import scoped\nfrom threshold.lado.models import Case\n"
        "rows = scoped(Case.objects.all())\n",
        "scoped() marks a queryset",
    ),
}


@pytest.mark.parametrize("evasion", sorted(EVASIONS))
def test_each_way_round_the_access_module_is_caught(tmp_path: Path, evasion: str) -> None:
    source, expected_words = EVASIONS[evasion]
    result = lint(tmp_path, source)
    assert result.returncode == 1, f"{evasion} was not caught"
    assert expected_words in result.stdout


@pytest.mark.parametrize(
    "name", ["selectors.py", "home.py", "partner_home.py", "panels.py", "presenters.py", "forms.py", "matching.py"]
)
def test_every_module_that_serves_people_is_checked_not_only_views(tmp_path: Path, name: str) -> None:
    assert lint(tmp_path, "from threshold.lado.models import Case\nrows = Case.objects.all()\n", name).returncode == 1


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("somewhere", "services.py"),
        ("somewhere/services", "share.py"),
        ("somewhere", "tasks.py"),
        ("somewhere", "models.py"),
        ("somewhere", "receivers.py"),
        ("demo", "world.py"),
        ("demo", "records.py"),
    ],
)
def test_services_tasks_models_and_demo_loaders_may_query_directly(tmp_path: Path, folder: str, name: str) -> None:
    source = "from threshold.lado.models import Case\nrows = Case.objects.all()\norg_rows = org.lado_cases.all()\n"
    assert lint(tmp_path, source, name, folder).returncode == 0


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("somewhere", "demo_views.py"),  # named demo*, but not one of the demo loaders
        ("somewhere", "demographics.py"),
        ("somewhere/views", "services.py"),  # a views package's "services" serves people
        ("somewhere/services/pages", "views.py"),
    ],
)
def test_only_the_real_service_modules_and_demo_loaders_are_system_code(tmp_path: Path, folder: str, name: str) -> None:
    result = lint(tmp_path, "from threshold.lado.models import Case\nrows = Case.objects.all()\n", name, folder)
    assert result.returncode == 1
    assert "Case.objects used directly" in result.stdout


@pytest.mark.parametrize(
    ("evasion", "source"),
    [
        ("a model picked from a dict", "from threshold.lado.models import Case\nM = {'c': Case}\nx = M['c'].objects\n"),
        ("content types", "def row(ct, pk):\n    return ct.get_object_for_this_type(pk=pk)\n"),
        ("raw SQL", "from django.db import connection\nconnection.cursor().execute('SELECT * FROM lado_case')\n"),
        ("a star import", "from threshold.allegations.models import *\n"),
    ],
)
@pytest.mark.parametrize(("folder", "name"), [("somewhere", "services.py"), ("demo", "records.py")])
def test_system_code_may_query_directly_but_not_evade_the_lint(
    tmp_path: Path, evasion: str, source: str, folder: str, name: str
) -> None:
    assert lint(tmp_path, source, name, folder).returncode == 1, f"{evasion} in {name} was not caught"


def template(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """Run the lint on one Jinja template written into a throwaway app."""
    page = tmp_path / "threshold" / "somewhere" / "jinja2" / "somewhere" / "page.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return run(page)


@pytest.mark.parametrize(
    "text",
    [
        "{% for concern in organisation.concerns.all() %}{{ concern.summary }}{% endfor %}",
        "<p>{{ request.membership.organisation.people.count() }}</p>",
        "{% set cases = user.lado_cases_allocated\n    .filter(status='open') %}",
    ],
)
def test_a_template_that_follows_a_reverse_relation_into_protected_records_fails(tmp_path: Path, text: str) -> None:
    result = template(tmp_path, text)
    assert result.returncode == 1
    assert "in a template: a reverse relation" in result.stdout


def test_a_template_listing_what_the_view_passed_and_a_comment_naming_a_module_pass(tmp_path: Path) -> None:
    text = (
        "{#- Home page panel (threshold.concerns.home.panel). -#}\n"
        "{% for concern in row.concerns %}{{ concern.subject.full_name }}{% endfor %}\n"
        "{{ case.meetings.all()|length }}\n"
        "{{ org.documents.count() }} {# access-lint: allow a count the view has already checked #}\n"
    )
    result = template(tmp_path, text)
    assert result.returncode == 0, result.stdout


def test_every_model_of_the_protected_apps_is_protected() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import lint_access
    finally:
        sys.path.remove(str(SCRIPT.parent))
    models = lint_access.protected_models()
    assert {"Triage", "PatternReview", "PatternFinding", "Referral", "Decision", "CaseChild", "MeetingUpdate"} <= models
    assert {"User", "Organisation", "Membership"}.isdisjoint(models)
    accessors, lookups = lint_access.reverse_relations(models)
    # From an organisation or a user into protected records; a case's own meetings are not among them.
    assert {"concerns", "people", "lado_cases", "person_records", "concerns_reported"} <= accessors
    assert "meetings" not in accessors
    # Nor a history row's own sub-records: a referral's children, an assessment's rows (their models extend
    # core's shared Immutable base, which the lint reads for its bases).
    assert {"children", "rows"}.isdisjoint(accessors)
    assert "concerns" in lookups


def test_unprotected_models_and_a_literal_health_check_pass(tmp_path: Path) -> None:
    source = (
        "from django.db import connection\nfrom django.db.models import Count\n"
        "from threshold.accounts.models import Organisation, User\n"
        "users = User.objects.all()\nwith connection.cursor() as c:\n    c.execute('SELECT 1')\n"
        "orgs = Organisation.objects.annotate(n=Count('memberships')).filter(memberships__user__in=users)\n"
        "def sub_records(case):\n    return case.meetings.all()\n"
    )
    assert lint(tmp_path, source).returncode == 0


def test_a_marked_line_with_a_reason_is_allowed_and_one_without_a_reason_is_not(tmp_path: Path) -> None:
    allowed = (
        "from threshold.lado.models import Case\n"
        "# access-lint: allow counts only, for the service's health page\n"
        "total = Case.objects.count()\n"
        "more = Case.objects.count()  # access-lint: allow the same count\n"
    )
    assert lint(tmp_path, allowed).returncode == 0
    bare = "from threshold.lado.models import Case\ntotal = Case.objects.count()  # access-lint: allow\n"
    result = lint(tmp_path, bare)
    assert result.returncode == 1
    assert "needs a reason" in result.stdout


def test_a_module_marked_as_a_system_job_is_allowed_only_with_a_reason(tmp_path: Path) -> None:
    source = "from threshold.lado.models import Case\nrows = Case.objects.all()\n"
    assert lint(tmp_path, "# access-lint: allow-module the nightly check\n" + source).returncode == 0
    assert lint(tmp_path, "# access-lint: allow-module\n" + source).returncode == 1
