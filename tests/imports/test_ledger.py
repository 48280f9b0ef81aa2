"""A run's ledger (``threshold.imports.ledger``): what it remembers of every row and adult, kept off the heap."""

from __future__ import annotations

import datetime as dt

from threshold.imports.ledger import Ledger


def test_a_ledger_remembers_what_each_key_stands_for_in_its_own_space() -> None:
    ledger = Ledger()
    ledger.put("adults", ("alex smith", dt.date(1980, 5, 1)), 41)
    ledger.put("rows", "LADO-2019-0001", (3, "digest"))

    assert ledger.get("adults", ("alex smith", dt.date(1980, 5, 1))) == 41
    assert ledger.get("rows", "LADO-2019-0001") == [3, "digest"]
    assert ledger.get("rows", ("alex smith", dt.date(1980, 5, 1))) is None
    assert ("adults", ("alex smith", dt.date(1980, 5, 1))) in ledger
    assert ("counted", ("alex smith", dt.date(1980, 5, 1))) not in ledger


def test_an_adult_born_on_another_day_or_without_a_date_is_another_key() -> None:
    ledger = Ledger()
    ledger.put("adults", ("alex smith", dt.date(1980, 5, 1)), 41)

    assert ledger.get("adults", ("alex smith", dt.date(1980, 5, 2))) is None
    assert ledger.get("adults", ("alex smith", None)) is None


def test_putting_a_key_again_replaces_what_it_stood_for() -> None:
    ledger = Ledger()
    ledger.put("adults", ("alex smith", None), 41)
    ledger.put("adults", ("alex smith", None), 42)

    assert ledger.get("adults", ("alex smith", None)) == 42


def test_names_never_reach_the_temporary_file_only_digests_keyed_by_the_ledger_do() -> None:
    ledger, another = Ledger(), Ledger()
    ledger.put("adults", ("alex smith", dt.date(1980, 5, 1)), 41)
    another.put("adults", ("alex smith", dt.date(1980, 5, 1)), 41)

    stored = "\n".join(ledger._db.iterdump())
    assert "alex" not in stored.casefold()
    assert "1980" not in stored
    # Keyed by bytes that live only in the ledger's memory: a list of names cannot be tried against the file.
    assert stored != "\n".join(another._db.iterdump())


def test_far_more_entries_than_its_cache_holds_are_all_found_again() -> None:
    ledger = Ledger()
    for number in range(30_000):
        ledger.put("rows", f"LADO-{number:06d}", (number, f"{number:064x}"))

    assert ledger.get("rows", "LADO-000000") == [0, f"{0:064x}"]
    assert ledger.get("rows", "LADO-029999") == [29_999, f"{29_999:064x}"]
    assert ledger.get("rows", "LADO-030000") is None
    page_size = ledger._db.execute("PRAGMA page_size").fetchone()[0]
    pages = ledger._db.execute("PRAGMA page_count").fetchone()[0]
    assert pages * page_size > 1024 * 512, "the entries are more than the 512 KiB its cache may hold"
