"""The ``policy`` command line: JSON on stdout with exit 0, one clear line on stderr with exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from threshold.policy.cli import MAX_FACTS_BYTES, main


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), io.StringIO(stdin), out, err)
    return status, out.getvalue(), err.getvalue()


def ok(*argv: str, stdin: str = "") -> Any:
    status, out, err = run(*argv, stdin=stdin)
    assert (status, err) == (0, "")
    return json.loads(out)


def fails(*argv: str, stdin: str = "") -> str:
    status, out, err = run(*argv, stdin=stdin)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, "one line on stderr"
    assert err.endswith("\n")
    return err


def test_list_prints_every_pack_with_id_version_and_title() -> None:
    packs = ok("list")["packs"]
    assert [(p["id"], p["version"]) for p in packs] == [
        ("bedford-luton-lado", "1.0"),
        ("bedford-luton-lado", "1.1"),
        ("kcsie", "2025.1"),
        ("kcsie", "2025.2"),
        ("kcsie", "2025.3"),
        ("lead-academy-trust", "1.0"),
        ("lead-academy-trust", "1.1"),
        ("lead-academy-trust", "1.2"),
    ]
    assert all(p["title"] for p in packs)


def test_show_prints_the_pack_s_rules_in_readable_form() -> None:
    shown = ok("show", "lead-academy-trust")
    assert [level["id"] for level in shown["levels"]] == ["tier-1", "tier-2", "tier-3", "tier-4"]
    assert shown["retention"]["low_level_concern"]["keep_until_later_of"] == ["7 years from left_employment_on"]
    assert ok("show", "kcsie@2025.1")["version"] == "2025.1"


def test_assess_reads_facts_from_a_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"injury": "visible", "reported_on": "2025-12-24"}), encoding="utf-8")
    result = ok("assess", "bedford-luton-lado", str(facts))
    assert (result["pack"], result["version"], result["level"]) == ("bedford-luton-lado", "1.1", "tier-1")
    assert result["referrals"]["police"]["required"] is True
    assert {"id": "inform-lado", "due": "2025-12-29"}.items() <= result["deadlines"][0].items()


def test_assess_reads_facts_from_standard_input_when_given_a_dash() -> None:
    result = ok("assess", "kcsie", "-", stdin='{"inconsistent_with_code_of_conduct": true}')
    assert result["level"] == "low-level-concern"


def test_retention_and_reference_answer_for_a_record() -> None:
    retention = ok(
        "retention",
        "lead-academy-trust",
        "-",
        stdin='{"record_type": "low_level_concern", "left_employment_on": "2024-07-31"}',
    )
    assert retention["keep_until"] == "2031-07-31"
    reference = ok("reference", "kcsie", "-", stdin='{"outcome": "malicious"}')
    assert reference["may_mention"] is False


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("assess", "nope", "-"), "{}", "unknown policy pack 'nope'; known packs: bedford-luton-lado, kcsie"),
        (("show", "kcsie@1999.1"), "", "policy pack 'kcsie' has no version '1999.1'"),
        (("assess", "kcsie", "/no/such/facts.json"), "", "cannot read facts file '/no/such/facts.json': No such file"),
        (("assess", "kcsie", "-"), "{not json", "invalid JSON in standard input: Expecting property name"),
        (("assess", "kcsie", "-"), "", "invalid JSON in standard input: Expecting value at line 1, column 1"),
        (("assess", "kcsie", "-"), '{"injury": "visible", "injury": "none"}', "key 'injury' appears twice"),
        (("assess", "kcsie", "-"), '{"possible_criminal_offence": NaN}', "NaN is not allowed"),
        (("assess", "kcsie", "-"), "[1, 2]", "invalid facts: facts must be a JSON object, not list"),
        (("assess", "kcsie", "-"), '{"harmed_child": true}', "invalid facts: fact 'harmed_child': unknown fact"),
        (("assess", "kcsie", "-"), '{"injury": "red"}', "invalid facts: fact 'injury': must be one of none, reported"),
        (("retention", "kcsie", "-"), "{}", "invalid facts: fact 'record_type': is required for retention"),
        (("assess", "kcsie", "-"), "[" * 60_000, "invalid JSON in standard input: nested too deeply"),
        (("assess", "kcsie", "-"), "[" * (MAX_FACTS_BYTES + 1), "facts on standard input are larger than"),
        (("assess", "kcsie"), "", "'assess' takes PACK FACTS; got 1 argument(s)"),
        (("list", "extra"), "", "'list' takes no arguments"),
        (("delete", "kcsie"), "", "unknown command 'delete'; commands: list, show, assess, retention, reference"),
    ],
)
def test_a_bad_request_is_one_clear_line_on_stderr_with_exit_status_2(
    argv: tuple[str, ...], stdin: str, message: str
) -> None:
    error = fails(*argv, stdin=stdin)
    assert error.startswith("policy: ")
    assert message in error, error


def test_a_directory_or_an_undecodable_file_is_refused(tmp_path: Path) -> None:
    assert "cannot read facts file" in fails("assess", "kcsie", str(tmp_path))
    binary = tmp_path / "facts.json"
    binary.write_bytes(b'{"injury": "\xff"}')
    assert "is not UTF-8 text" in fails("assess", "kcsie", str(binary))


def test_facts_larger_than_the_limit_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"injury": "' + "x" * MAX_FACTS_BYTES + '"}', encoding="utf-8")
    assert f"larger than {MAX_FACTS_BYTES} bytes" in fails("assess", "kcsie", str(big))


def test_help_prints_the_usage_on_stdout() -> None:
    status, out, err = run("--help")
    assert (status, err) == (0, "")
    assert "policy assess PACK FACTS" in out


def test_the_module_runs_as_a_program() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "threshold.policy.cli", "list"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["packs"]


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone away, as ``policy show kcsie | head`` leaves it."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    err = io.StringIO()
    assert main(["show", "kcsie"], io.StringIO(), _ClosedPipe(), err) == 0
    assert err.getvalue() == ""


def test_policy_show_piped_into_a_reader_that_closes_at_once_prints_no_traceback() -> None:
    """``policy show … | head``: the reader closes the pipe before the answer is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "threshold.policy.cli", "show", "lead-academy-trust"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "BrokenPipeError" not in error
    assert "Traceback" not in error
