"""Loading packs: the shipped packs are valid and quote their seeds; malformed packs fail clearly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from threshold.policy import (
    PACKS_DIRECTORY,
    Pack,
    PackError,
    UnknownPackError,
    describe_pack,
    get_pack,
    list_packs,
    load_pack,
    load_packs,
)

# Copies of the seed documents kept in the repository, so that CI (a fresh clone) checks them too.
SEEDS = Path(__file__).resolve().parent / "seeds"

MINIMAL = """
[pack]
id = "mini"
version = "1"
title = "Mini"
source = "Test"
non_recent_after_months = 12

[[levels]]
id = "low"
title = "Low"
description = "Low"
meets_harm_threshold = false
refer_to_lado = false
source = "Test"

[[levels]]
id = "high"
title = "High"
description = "High"
meets_harm_threshold = true
refer_to_lado = true
source = "Test"

[[levels.criteria]]
id = "harmed"
text = "Harmed"
when = "harmed_or_may_have_harmed_child"
source = "Test"

[referrals]
police = []
childrens_social_care = []
ofsted = []
dbs = []
tra = []

[suspension]
text = "None"
alternatives = []
source = "Test"

[[timescales]]
id = "inform-lado"
description = "Inform"
count = 1
unit = "working_days"
from = "reported_on"
when = { level_at_least = "high" }
source = "Test"

[retention.allegation]
text = "t"
keep_until_later_of = [{ from = "allegation_date", years = 10 }]
source = "Test"

[retention.low_level_concern]
text = "t"
keep_until_later_of = []
source = "Test"

[retention.consultation]
text = "t"
keep_until_later_of = []
source = "Test"

[references]
default_text = "none"

[low_level_concerns]
definition = "d"
examples = []
source = "Test"

[outcomes.substantiated]
text = "s"
source = "Test"

[outcomes.malicious]
text = "m"
source = "Test"

[outcomes.false]
text = "f"
source = "Test"

[outcomes.unsubstantiated]
text = "u"
source = "Test"

[outcomes.unfounded]
text = "u"
source = "Test"
"""

HARMED = 'when = "harmed_or_may_have_harmed_child"'


def _write(tmp_path: Path, text: str, name: str = "mini.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_minimal_pack_used_below_is_itself_valid(tmp_path: Path) -> None:
    pack = load_pack(_write(tmp_path, MINIMAL))
    assert (pack.ref, [level.id for level in pack.levels]) == ("mini@1", ["low", "high"])
    assert pack.digest.startswith("sha256:")


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('title = "Mini"', 'title = "Mini'), "(top level)", "is not valid TOML"),
        (('id = "mini"\n', ""), "pack.id", "is required but missing"),
        (('version = "1"', "version = 1"), "pack.version", "must be a string, not the number 1"),
        (
            ("non_recent_after_months = 12", 'non_recent_after_months = "12"'),
            "pack.non_recent_after_months",
            "whole number",
        ),
        (
            ('source = "Test"\nnon_recent', 'source = "Test"\neffective_from = "2025-09-01"\nnon_recent'),
            "pack.effective_from",
            "must be a date such as 2025-09-01 (unquoted)",
        ),
        ((HARMED, 'whne = "harmed_or_may_have_harmed_child"'), "levels[1].criteria[0].whne", "unknown key 'whne'"),
        ((HARMED, 'when = "harmed_child"'), "levels[1].criteria[0].when", "unknown fact 'harmed_child'"),
        (
            (HARMED, 'when = { fact = "injury", in = ["bruise"] }'),
            "levels[1].criteria[0].when.in",
            "'bruise' is not a value of 'injury'",
        ),
        (
            (HARMED, 'when = { fact = "injury", includes = ["visible"] }'),
            "levels[1].criteria[0].when.includes",
            "'includes' does not apply to fact 'injury'; use 'in'",
        ),
        ((HARMED, 'when = "injury"'), "levels[1].criteria[0].when", "fact 'injury' is not true/false"),
        ((HARMED, 'when = { fact = "injury" }'), "levels[1].criteria[0].when", "needs exactly one of is, in, includes"),
        (
            (HARMED, 'when = { level_at_least = "high" }'),
            "levels[1].criteria[0].when",
            "'level_at_least' conditions can only be used in suspension, timescales and guidance",
        ),
        ((HARMED, "when = { anything = true }"), "levels[1].criteria[0].when", "is not a condition"),
        ((HARMED, "when = { any = [] }"), "levels[1].criteria[0].when", "'any' needs at least one condition"),
        ((HARMED, 'when = { use = "nothing" }'), "levels[1].criteria[0].when", "no definition named 'nothing'"),
        (
            (
                "police = []",
                'police = [{ id = "p", text = "p", effect = "required", source = "s",'
                ' when = { referral = "dbs", at_least = "required" } }]',
            ),
            "referrals.police[0].when",
            "'referral' conditions can only be used in levels",
        ),
        (
            (
                "police = []",
                'police = [{ id = "p", text = "p", effect = "maybe", when = "pattern_emerging", source = "s" }]',
            ),
            "referrals.police[0].effect",
            "must be one of consider, required",
        ),
        (("tra = []", "tra = []\nsocial_services = []"), "referrals.social_services", "unknown key 'social_services'"),
        (
            ('when = { level_at_least = "high" }', 'when = { level_at_least = "highest" }'),
            "timescales[0].when.level_at_least",
            "must be one of low, high",
        ),
        (
            ('unit = "working_days"', 'unit = "weeks"'),
            "timescales[0].unit",
            "must be one of working_days, calendar_days, months",
        ),
        (('from = "reported_on"', 'from = "yesterday"'), "timescales[0].from", "must be one of subject_date_of_birth"),
        (
            ('from = "allegation_date"', 'from = "birthday"'),
            "retention.allegation.keep_until_later_of[0].from",
            "must be one of state_pension_date",
        ),
        (('id = "high"', 'id = "High Level"'), "levels[1].id", "lower-case letters and digits"),
        (
            ('id = "harmed"', 'id = "harmed"\ngate = true'),
            "levels[1].criteria[0]",
            "'gate' criteria belong to the lowest",
        ),
        (
            (
                'meets_harm_threshold = false\nrefer_to_lado = false\nsource = "Test"\n\n[[levels]]\nid = "high"\n'
                'title = "High"\ndescription = "High"\nmeets_harm_threshold = true',
                'meets_harm_threshold = true\nrefer_to_lado = false\nsource = "Test"\n\n[[levels]]\nid = "high"\n'
                'title = "High"\ndescription = "High"\nmeets_harm_threshold = false',
            ),
            "levels[1]",
            "'meets_harm_threshold' is true for 'low' so it must be true here too",
        ),
        (('[outcomes.unfounded]\ntext = "u"\nsource = "Test"', ""), "outcomes.unfounded", "is required but missing"),
        (
            (
                "[references]",
                '[references]\nrules = [{ id = "r", text = "r", may_mention = "no", '
                'when = "pattern_emerging", source = "s" }]',
            ),
            "references.rules[0].may_mention",
            "must be true or false",
        ),
        (
            ('[[levels.criteria]]\nid = "harmed"\ntext = "Harmed"\n' + HARMED + '\nsource = "Test"', ""),
            "levels[1]",
            "has no criteria, so it could never be chosen",
        ),
    ],
)
def test_a_malformed_pack_fails_with_a_message_naming_the_file_the_key_and_the_problem(
    tmp_path: Path, change: tuple[str, str], key: str, problem: str
) -> None:
    old, new = change
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new))
    with pytest.raises(PackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message, message
    assert "\n" not in message


def test_invalid_toml_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.replace('title = "Mini"', 'title = "Mini'))
    with pytest.raises(PackError, match=r"line \d+"):
        load_pack(path)


def test_a_definition_that_refers_to_itself_is_rejected(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace(HARMED, 'when = { use = "a" }')
        + '\n[definitions]\na = { use = "b" }\nb = { any = [{ use = "a" }] }\n'
    )
    with pytest.raises(PackError, match=r"definition 'a' refers to itself \(a -> b -> a\)"):
        load_pack(_write(tmp_path, text))


def test_a_definition_used_where_its_conditions_are_not_allowed_is_reported_at_the_place_of_use(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace(
            "police = []",
            'police = [{ id = "p", text = "p", effect = "consider", when = { use = "late" }, source = "s" }]',
        )
        + '\n[definitions]\nlate = { level_at_least = "high" }\n'
    )
    with pytest.raises(PackError) as caught:
        load_pack(_write(tmp_path, text))
    assert "referrals.police[0].when: in definition 'late'" in str(caught.value)


def test_a_criterion_id_used_twice_is_rejected(tmp_path: Path) -> None:
    criterion = '[[levels.criteria]]\nid = "harmed"\ntext = "Harmed"\n' + HARMED + '\nsource = "Test"\n'
    text = MINIMAL.replace("[referrals]", criterion + "\n[referrals]")
    with pytest.raises(PackError, match="criterion id 'harmed' is used twice"):
        load_pack(_write(tmp_path, text))


def test_a_pack_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("Mini", "Mïni").encode("latin-1"))
    with pytest.raises(PackError, match="is not UTF-8 text"):
        load_pack(path)


def test_a_missing_pack_file_is_reported_by_name(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"missing\.toml: \(top level\): cannot be read"):
        load_pack(tmp_path / "missing.toml")


def test_two_files_with_the_same_id_and_version_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL, "a.toml")
    _write(tmp_path, MINIMAL, "b.toml")
    with pytest.raises(PackError, match=r"b\.toml: pack\.version: mini@1 is also defined in .*a\.toml"):
        load_packs(tmp_path)


def test_two_versions_with_the_same_effective_date_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL, "a.toml")
    _write(tmp_path, MINIMAL.replace('version = "1"', 'version = "2"'), "b.toml")
    with pytest.raises(PackError, match="have the same effective_from"):
        load_packs(tmp_path)


def test_the_version_in_force_on_the_decision_date_is_chosen(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL.replace('version = "1"', 'version = "2024.1"\neffective_from = 2024-09-01'), "old.toml")
    _write(tmp_path, MINIMAL.replace('version = "1"', 'version = "2025.1"\neffective_from = 2025-09-01'), "new.toml")
    registry = load_packs(tmp_path)
    assert registry.get("mini").version == "2025.1"
    assert registry.get("mini", on=date(2025, 8, 31)).version == "2024.1"
    assert registry.get("mini", on=date(2025, 9, 1)).version == "2025.1"
    assert registry.get("mini@2024.1", on=date(2026, 1, 1)).version == "2024.1"  # a stored decision replays exactly
    with pytest.raises(
        UnknownPackError, match=re.escape("no version of policy pack 'mini' was in force on 2024-08-31")
    ):
        registry.get("mini", on=date(2024, 8, 31))
    with pytest.raises(UnknownPackError, match=re.escape("has no version '2023.1'; versions: 2024.1, 2025.1")):
        registry.get("mini@2023.1")


@pytest.mark.parametrize("ref", ["nope", "../kcsie", "kcsie@", "KCSIE", ""])
def test_an_unknown_pack_name_is_an_error_listing_the_known_packs(ref: str) -> None:
    with pytest.raises(UnknownPackError, match="known packs: bedford-luton-lado, kcsie, lead-academy-trust"):
        get_pack(ref)


def test_three_packs_ship_and_each_reads_back_in_readable_form() -> None:
    assert [p.ref for p in list_packs()] == [
        "bedford-luton-lado@1.0",
        "bedford-luton-lado@1.1",
        "kcsie@2025.1",
        "kcsie@2025.2",
        "kcsie@2025.3",
        "lead-academy-trust@1.0",
        "lead-academy-trust@1.1",
        "lead-academy-trust@1.2",
    ]
    assert {path.name for path in PACKS_DIRECTORY.glob("*.toml")} == {
        "bedford-luton-lado.toml",
        "bedford-luton-lado-1.1.toml",
        "kcsie.toml",
        "kcsie-2025.2.toml",
        "kcsie-2025.3.toml",
        "lead-academy-trust.toml",
        "lead-academy-trust-1.1.toml",
        "lead-academy-trust-1.2.toml",
    }
    shown: Any = describe_pack(get_pack("bedford-luton-lado"))
    assert shown["referrals"]["police"][0]["when"] == "injury is reported or visible"
    assert [level["id"] for level in shown["levels"]] == ["consultation", "tier-2", "tier-1"]


def test_the_level_ids_are_those_the_issue_names() -> None:
    assert [lv.id for lv in get_pack("kcsie").levels] == ["appropriate-conduct", "low-level-concern", "allegation"]
    assert [lv.id for lv in get_pack("bedford-luton-lado").levels] == ["consultation", "tier-2", "tier-1"]
    assert [lv.id for lv in get_pack("lead-academy-trust").levels] == ["tier-1", "tier-2", "tier-3", "tier-4"]


# ----------------------------------------------------------------------------- quotations


def _normalise(text: str) -> str:
    """Strip the seed's HTML, Markdown and bullets and collapse white space; keep every character of wording."""
    text = re.sub(r"<[^>]+>", " ", text).replace("**", "").replace("\\", "")
    text = re.sub(r"(?m)^\s*(#+|[-•·]|\d+\.)\s+", " ", text).replace("•", " ")
    return " ".join(text.split())


def _quoted_texts(pack: Pack, prefix: str) -> list[tuple[str, str]]:
    """Every text of the pack whose source says it is the seed's own words."""
    found: list[tuple[str, str]] = []

    def add(source: str, *texts: str | None) -> None:
        if source.startswith(prefix):
            found.extend((source, text) for text in texts if text)

    for level in pack.levels:
        add(level.source, level.description, level.action, *[e for v in level.examples.values() for e in v])
        for criterion in level.criteria:
            add(criterion.source, criterion.text, *criterion.examples)
    for rule in [r for rules in pack.referrals.values() for r in rules] + list(pack.suspension.rules):
        add(rule.source, rule.text)
    add(pack.suspension.source, pack.suspension.text, *pack.suspension.alternatives)
    for statement in (*pack.guidance, *pack.retention.holds, *pack.retention.personnel_file):
        add(statement.source, statement.text, *statement.items)
    for record in pack.retention.records.values():
        add(record.source, record.text)
    for reference in pack.references.rules:
        add(reference.source, reference.text)
    add(pack.low_level_concerns.source, pack.low_level_concerns.definition, *pack.low_level_concerns.examples)
    for definition in (*pack.outcomes.values(), *pack.spectrum.values()):
        add(definition.source, definition.text)
    if pack.response_matrix is not None:
        matrix = pack.response_matrix
        for row in matrix.rows.values():
            add(matrix.source, row.description, *row.actions)
        add(matrix.source, *matrix.notes)
    return found


@pytest.mark.parametrize(
    ("pack_id", "seed", "prefix"),
    [
        ("bedford-luton-lado@1.0", "000_225d90eadca72b0f.txt", "Protocol"),
        ("bedford-luton-lado@1.1", "000_225d90eadca72b0f.txt", "Protocol"),
        ("lead-academy-trust@1.0", "003_0785a01ade157731.txt", "Policy"),
        ("lead-academy-trust@1.1", "003_0785a01ade157731.txt", "Policy"),
        ("lead-academy-trust@1.2", "003_0785a01ade157731.txt", "Policy"),
    ],
)
def test_every_text_a_seed_pack_attributes_to_its_seed_is_the_seed_s_exact_words(
    pack_id: str, seed: str, prefix: str
) -> None:
    """Quote the seeds, don't paraphrase them: " … " separates quoted fragments."""
    document = _normalise((SEEDS / seed).read_text(encoding="utf-8"))
    quoted = _quoted_texts(get_pack(pack_id), prefix)
    assert len(quoted) > 50
    misquoted = [
        (source, fragment)
        for source, text in quoted
        for fragment in text.split(" … ")
        if _normalise(fragment) not in document
    ]
    assert misquoted == []


def test_every_pack_text_has_a_source() -> None:
    for pack in list_packs():
        for level in pack.levels:
            assert all(criterion.source for criterion in level.criteria)
        assert all(rule.source for rules in pack.referrals.values() for rule in rules)
        assert all(t.source for t in pack.timescales)


@pytest.mark.parametrize("seed", ["000_225d90eadca72b0f.txt", "003_0785a01ade157731.txt"])
def test_the_seed_documents_are_in_the_repository_so_the_quotation_test_never_skips(seed: str) -> None:
    """A missing seed must fail here, not silently skip the check that the packs quote it exactly."""
    assert (SEEDS / seed).is_file(), f"tests/policy/seeds/{seed} is missing"
    assert (SEEDS / seed).stat().st_size > 10_000
