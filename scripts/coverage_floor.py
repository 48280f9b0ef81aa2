"""Say what ``make test`` measured, and fail under the coverage floor: ``coverage_floor.py DATA --floor N``.

DATA is the JSON SlipCover wrote for the run (``make test``, ADR 0047): every xdist worker's and the journeys'
gunicorn workers' lines and branches of ``threshold/``, merged. This prints the total, the files with the most
left unrun (where a test would add most), and exits 2 when the total is under the floor, 1 when there is no data
(the run did not measure, or wrote nothing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

LEAST_COVERED = 12


def unrun(summary: dict[str, float]) -> int:
    """Lines and branches a file (or the run) never ran."""
    return int(summary["missing_lines"] + summary.get("missing_branches", 0))


def main(argv: list[str] | None = None) -> int:
    """Print the report and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--floor", type=float, required=True, help="the least total percentage that passes")
    arguments = parser.parse_args(argv)
    if not arguments.data.is_file():
        print(f"No coverage data at {arguments.data}: the run did not measure coverage.", file=sys.stderr)
        return 1
    data = json.loads(arguments.data.read_text())
    files, total = data["files"], data["summary"]
    root = Path.cwd()
    worst = sorted(files.items(), key=lambda item: unrun(item[1]["summary"]), reverse=True)[:LEAST_COVERED]
    print(f"Coverage of threshold/, lines and branches (SlipCover): most left unrun in {len(files)} files measured")
    for name, measured in worst:
        path = Path(name)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"  {measured['summary']['percent_covered']:6.2f}%  {unrun(measured['summary']):5d} unrun  {shown}")
    percent = float(total["percent_covered"])
    covered = total["covered_lines"] + total.get("covered_branches", 0)
    measured_total = covered + unrun(total)
    print(f"Total: {percent:.2f}% ({covered:,} of {measured_total:,} lines and branches).", end=" ")
    print(f"The floor is {arguments.floor:g}%.")
    if percent < arguments.floor:
        print(f"FAIL: coverage {percent:.2f}% is under the floor of {arguments.floor:g}%.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
