"""The import contracts in pyproject.toml hold for the project, and a planted violation of each breaks `make lint`.

`make lint` runs `lint-imports`, which reads `[tool.importlinter]` in pyproject.toml (docs/architecture.md,
"The layers"). These tests run the same command: on the repository as it is, where every contract is kept, and
on a copy of the `threshold` package with one bad import planted in it, where the contract it breaks is named
and the command fails. The copy keeps the real package untouched, and a fresh process keeps the copy from being
confused with the `threshold` this test run has already imported.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

LAYERS = "layers: policy → core → accounts → access/audit → record apps → reports → demo"
POLICY = "policy is pure Python: no Django and no other part of Threshold"
CYCLES = "no import cycles inside an app"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run `lint-imports` as `make lint` does, in ``project`` (which holds pyproject.toml and the package)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def not_python(directory: str, names: list[str]) -> list[str]:
    """What the copy leaves behind: only Python is read by the contracts (no templates, static files or packs)."""
    return [
        name
        for name in names
        if name in {"static", "jinja2", "__pycache__"}
        or (not name.endswith(".py") and not (Path(directory) / name).is_dir())
    ]


def copy_of_project(destination: Path) -> Path:
    """The package's Python modules and pyproject.toml, copied under ``destination``."""
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(ROOT / "threshold", destination / "threshold", ignore=not_python)
    return destination


def plant(project: Path, module: str, line: str) -> None:
    """Add ``line`` (an import) to the end of ``module`` (a path under the copied package)."""
    path = project / module
    text = path.read_text() if path.exists() else '"""A planted module."""\n'
    path.write_text(f"{text}\n{line}  # planted by the test\n")


def test_the_project_keeps_every_contract() -> None:
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (LAYERS, POLICY, CYCLES):
        assert f"{contract} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # A lower layer reaching up: core reading a record app's selectors.
        ("threshold/core/planted.py", "from threshold.concerns import selectors", LAYERS),
        # The cycle issue 11 named, put back: the access door importing the concerns selectors.
        ("threshold/access/reviews.py", "from threshold.concerns import selectors", LAYERS),
        # The policy engine taking on Django.
        ("threshold/policy/planted.py", "import django", POLICY),
        # The other cycle issue 11 named, put back: the case rules importing the decision service.
        ("threshold/lado/services/case_rules.py", "from threshold.lado.services import decisions", CYCLES),
        # A cycle between a record app's reads and its writes: services import the selectors, never the reverse.
        ("threshold/lado/selectors.py", "from threshold.lado.services import common", CYCLES),
        # A cycle inside core: the form helpers import the name helpers, which would import them back.
        ("threshold/core/names.py", "from threshold.core import forms", CYCLES),
        # The demo world is on top: neither core nor a record app may load it.
        ("threshold/core/planted.py", "from threshold.demo import world", LAYERS),
        ("threshold/lado/planted.py", "from threshold.demo.records import load_demo_records", LAYERS),
    ],
)
def test_a_planted_violation_fails(tmp_path: Path, module: str, line: str, broken: str) -> None:
    project = copy_of_project(tmp_path)
    assert lint_imports(project).returncode == 0, "the untouched copy should pass"

    plant(project, module, line)
    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout
