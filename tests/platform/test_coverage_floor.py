"""``make test``'s coverage report and floor (scripts/coverage_floor.py, ADR 0047), on data shaped as SlipCover's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def measured(covered_lines: int, missing_lines: int, covered_branches: int, missing_branches: int) -> dict:
    """A SlipCover summary of these counts."""
    total = covered_lines + missing_lines + covered_branches + missing_branches
    return {
        "covered_lines": covered_lines,
        "missing_lines": missing_lines,
        "covered_branches": covered_branches,
        "missing_branches": missing_branches,
        "percent_covered": 100.0 * (covered_lines + covered_branches) / total,
    }


def report(tmp_path: Path, floor: str) -> subprocess.CompletedProcess[str]:
    """Run the floor script, as ``make test`` does, over a run that measured two files."""
    data = tmp_path / "coverage.json"
    files = {
        "threshold/lado/views.py": {"summary": measured(90, 6, 8, 4)},
        "threshold/policy/engine.py": {"summary": measured(100, 0, 10, 0)},
    }
    data.write_text(json.dumps({"files": files, "summary": measured(190, 6, 18, 4)}))
    command = [sys.executable, str(ROOT / "scripts" / "coverage_floor.py"), str(data), "--floor", floor]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_run_over_the_floor_passes_and_says_its_total_and_where_most_is_left(tmp_path: Path) -> None:
    result = report(tmp_path, "90")
    assert result.returncode == 0, result.stderr
    assert "Total: 95.41% (208 of 218 lines and branches). The floor is 90%." in result.stdout
    lines = result.stdout.splitlines()
    assert "10 unrun  threshold/lado/views.py" in lines[1]  # the file with most left unrun comes first
    assert "0 unrun  threshold/policy/engine.py" in lines[2]


def test_a_run_under_the_floor_fails_and_says_so(tmp_path: Path) -> None:
    result = report(tmp_path, "96")
    assert result.returncode == 2
    assert "FAIL: coverage 95.41% is under the floor of 96%." in result.stderr


def test_a_run_that_measured_nothing_fails(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    command = [sys.executable, str(ROOT / "scripts" / "coverage_floor.py"), str(missing), "--floor", "90"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "did not measure coverage" in result.stderr
