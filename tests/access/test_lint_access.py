"""The access lint: views, APIs and exports may not query protected models directly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
