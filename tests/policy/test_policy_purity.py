"""The policy engine is pure Python: the standard library and ``holidays``, never Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import threshold.policy

PACKAGE = Path(threshold.policy.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"holidays"}


def test_no_policy_module_imports_anything_but_the_standard_library_and_holidays() -> None:
    imported: dict[str, set[str]] = {}
    for module in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = {node.module.split(".")[0]}
            else:
                continue
            imported.setdefault(module.name, set()).update(names - ALLOWED)
    assert {name: bad for name, bad in imported.items() if bad} == {}


def test_importing_the_policy_engine_loads_no_django() -> None:
    code = (
        "import sys, threshold.policy as p; p.assess(p.get_pack('kcsie'), {'injury': 'visible'});"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'threshold'} and"
        " not m.startswith('threshold.policy') and m != 'threshold'); print(loaded); sys.exit(bool(loaded))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=PACKAGE.parents[1]
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_public_function_and_module_has_a_docstring() -> None:
    for module in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), module.name
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                assert ast.get_docstring(node), f"{module.name}: {node.name}"
