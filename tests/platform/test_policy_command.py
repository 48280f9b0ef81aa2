"""``python manage.py policy``: the engine's command line through Django's manage.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "threshold.settings.test"}
    return subprocess.run(
        [sys.executable, "manage.py", "policy", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_policy_list_prints_every_version_of_the_three_shipped_packs() -> None:
    result = manage("list")
    assert result.returncode == 0, result.stderr
    versions = [(pack["id"], pack["version"]) for pack in json.loads(result.stdout)["packs"]]
    # Issue 13's corrections are new versions; the 1.0 packs stay, so stored decisions replay exactly.
    assert versions == [
        ("bedford-luton-lado", "1.0"),
        ("bedford-luton-lado", "1.1"),
        ("kcsie", "2025.1"),
        ("kcsie", "2025.2"),
        ("kcsie", "2025.3"),
        ("lead-academy-trust", "1.0"),
        ("lead-academy-trust", "1.1"),
        ("lead-academy-trust", "1.2"),
    ]


def test_policy_assess_reads_facts_from_stdin_and_counts_working_days_over_christmas() -> None:
    facts = {"harmed_or_may_have_harmed_child": True, "injury": "visible", "reported_on": "2026-12-24"}
    result = manage("assess", "bedford-luton-lado", "-", stdin=json.dumps(facts))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["level"] == "tier-1"
    assert answer["referrals"]["police"]["required"] is True
    # Christmas Day is a Friday and Boxing Day a Saturday, so Monday 28th is the substitute holiday.
    assert {d["id"]: d["due"] for d in answer["deadlines"]}["lado-initial-decision"] == "2026-12-29"


def test_policy_assess_refuses_an_unknown_pack_with_exit_code_2() -> None:
    result = manage("assess", "no-such-pack", "-", stdin="{}")
    assert result.returncode == 2
    assert "unknown policy pack 'no-such-pack'" in result.stderr
    assert result.stdout == ""


def test_policy_assess_refuses_an_unknown_fact_naming_it() -> None:
    result = manage("assess", "kcsie", "-", stdin='{"shoe_size": 9}')
    assert result.returncode == 2
    assert "shoe_size" in result.stderr


def test_policy_reference_says_an_unsubstantiated_allegation_is_never_mentioned(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"outcome": "unsubstantiated"}), encoding="utf-8")
    result = manage("reference", "lead-academy-trust", str(facts))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["may_mention"] is False
