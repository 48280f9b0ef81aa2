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


def lint(tmp_path: Path, source: str, name: str = "selectors.py") -> subprocess.CompletedProcess[str]:
    """Run the lint on one module written into a throwaway package."""
    module = tmp_path / "threshold" / "somewhere" / name
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
    "RawSQL": ("from django.db.models.expressions import RawSQL\nx = RawSQL('1', [])\n", "RawSQL"),
    "a sub-record model": (
        "from threshold.concerns.models import LowLevelRecord\nrows = LowLevelRecord.objects.all()\n",
        "LowLevelRecord",
    ),
    "a star import": ("from threshold.allegations.models import *\n", "import *"),
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


@pytest.mark.parametrize("name", ["services.py", "tasks.py", "models.py", "demo_records.py", "receivers.py"])
def test_services_tasks_models_and_demo_loaders_may_query_directly(tmp_path: Path, name: str) -> None:
    assert lint(tmp_path, "from threshold.lado.models import Case\nrows = Case.objects.all()\n", name).returncode == 0


def test_every_model_of_the_protected_apps_is_protected() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import lint_access
    finally:
        sys.path.remove(str(SCRIPT.parent))
    models = lint_access.protected_models()
    assert {"Triage", "PatternReview", "PatternFinding", "Referral", "Decision", "CaseChild", "MeetingUpdate"} <= models
    assert {"User", "Organisation", "Membership"}.isdisjoint(models)


def test_unprotected_models_and_a_literal_health_check_pass(tmp_path: Path) -> None:
    source = (
        "from django.db import connection\nfrom threshold.accounts.models import User\n"
        "users = User.objects.all()\nwith connection.cursor() as c:\n    c.execute('SELECT 1')\n"
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
