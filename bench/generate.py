"""Build the benchmark world: the demo world plus N large local authorities, with valid data (issue 15).

Authority 1 is the demo world's Northshire (Lara, Mo and their colleagues); authorities 2 to N are new. At
``--scale 1.0`` each has 20 LADOs, ten years of 18,000 contacts (about a third opening a case: 6,000 cases with
the recording data set, investigations, risk measures, meetings, body referrals, reviews of delay and
conclusions), 30,000 concerns in thirty schools (3,000 of them allegations, each referred to the LADO), the
stored deadlines the services would have written, and the audit trail of all of it: a valid hash chain with its
record index, checked at the end with the project's own verification (``audit verify``).

    .venv/bin/python bench/generate.py --authorities 1                      # SQLite, thrown away afterwards
    .venv/bin/python bench/generate.py --authorities 1 --keep /tmp/big.sqlite3
    .venv/bin/python bench/generate.py --authorities 6 --database postgres  # recreates threshold_bench

The other benches call ``generate()`` after ``bench.common.throwaway_demo_database()``. Prints the seconds of
each phase and the rows of each table. ``--check N`` also compares N records of each kind with the
services' own deadline specs.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "threshold_bench"
# The large authority of issue 15 at scale 1.0; every figure is multiplied by ``scale``.
PER_AUTHORITY = {"contacts": 18_000, "cases": 6_000, "concerns": 30_000, "allegations": 3_000}
LADOS = 20
SCHOOLS = 30
LARA_OPEN_CASES = 200
Result = TypeVar("Result")


@dataclass
class World:
    """What ``generate`` built: the authorities, the rows of each table, the seconds of each phase."""

    authorities: list[Any]
    rows: dict[str, int]
    seconds: dict[str, float]
    verification: str
    verified: bool
    events: int = 0
    built: dict[str, int] = field(default_factory=dict)

    @property
    def authority(self) -> Any:
        """Northshire, the demo world's local authority (authority 1)."""
        return self.authorities[0].organisation

    @property
    def lados(self) -> list[Any]:
        """Northshire's LADOs, Lara first."""
        return list(self.authorities[0].lados)

    @property
    def contacts(self) -> int:
        """Contacts generated, all authorities together."""
        return self.built.get("contacts", 0)

    @property
    def cases(self) -> int:
        """Cases generated, all authorities together."""
        return self.built.get("cases", 0)

    @property
    def deadlines(self) -> int:
        """Deadline rows written for the generated records."""
        return self.built.get("deadlines", 0)


def scaled(value: int, scale: float, *, least: int = 1) -> int:
    """``value`` at ``scale``, never below ``least``."""
    return max(least, round(value * scale))


def generate(
    authorities: int = 1,
    scale: float = 1.0,
    *,
    seed: int = 15,
    contacts: int | None = None,
    cases: int | None = None,
    verbose: bool = False,
) -> World:
    """Generate ``authorities`` large authorities at ``scale`` in the database Django is set up on.

    The demo world must be loaded (``load_demo_world`` and ``load_demo_records``: authority 1 is its
    Northshire). ``contacts`` and ``cases`` override the per-authority figures the scale gives. Returns the
    ``World``, with the audit trail verified.
    """
    from django.core.management import call_command
    from django.db import connection, transaction

    from threshold.audit.index import index_pending_lists
    from threshold.audit.verify import verify_chain

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A page cache big enough for the indexes of a million rows (the default is 2 MB).
            cursor.execute("PRAGMA cache_size = -262144")
    run = _Run(seed=seed, scale=scale, verbose=verbose)
    if contacts is not None:
        run.per["contacts"] = contacts
    if cases is not None:
        run.per["cases"] = cases
    run.per["allegations"] = min(run.per["allegations"], run.per["concerns"], run.per["cases"])
    made = []
    for index in range(authorities):
        with transaction.atomic():
            made.append(run.authority(index))
    events, refs = run.phase("audit trail (hashed, indexed)", run.trail.write_events)
    run.count("audit events", events)
    run.count("audit index rows", refs)
    # The trail was indexed as it was written, list events included; the mark says so (ADR 0031), or every
    # record's audit page would read all the list events after mark 0 from the trail.
    run.phase("audit index mark", index_pending_lists)
    run.count("adult match keys", run.phase("adult match keys", _adult_keys))
    # The planner's statistics, as a deployment's nightly ``manage.py analyze`` leaves them (README): SQLite has
    # none until it runs, and PostgreSQL's autovacuum would gather them minutes after a bulk load.
    run.phase("analyze", lambda: call_command("analyze", stdout=io.StringIO()))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Autovacuum would also have vacuumed the bulk-loaded tables, setting their visibility maps; without them
        # PostgreSQL will not answer a count from a covering index alone (all cases by category read every case).
        # Not inside a transaction (a test's), where PostgreSQL refuses VACUUM.
        run.phase("vacuum", _vacuum)
    result = run.phase("audit verify", verify_chain)
    return World(
        authorities=made,
        rows=table_rows(),
        seconds=run.seconds,
        verification=result.describe(),
        verified=result.ok,
        events=events,
        built=run.built,
    )


class _Run:
    """One generation: the shared random source, trail and references, and the seconds of each phase."""

    def __init__(self, *, seed: int, scale: float, verbose: bool) -> None:
        from django.utils import timezone

        from bench.synthetic.common import Build, References
        from bench.synthetic.organisations import Staffing
        from bench.synthetic.trail import Trail
        from threshold.allegations.models import Allegation
        from threshold.concerns.models import Concern
        from threshold.lado.models import Case, Contact

        rng = random.Random(seed)
        taken = {
            reference
            for model in (Contact, Case, Concern, Allegation)
            for reference in model.objects.values_list("reference", flat=True)
        }
        self.build = Build(rng=rng, today=timezone.localdate(), references=References(rng, taken))
        self.trail = Trail(rng)
        self.staffing = Staffing(self.build)
        self.scale = scale
        self.verbose = verbose
        self.per = {name: scaled(value, scale) for name, value in PER_AUTHORITY.items()}
        self.seconds: dict[str, float] = {}
        self.built: dict[str, int] = {}

    def phase(self, name: str, work: Callable[[], Result]) -> Result:
        """Run ``work``, adding its seconds to ``name``'s (and printing them with the CPU seconds if verbose)."""
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        elapsed = time.perf_counter() - started
        self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
        if self.verbose:
            print(f"  {name:30s} {elapsed:7.1f} s  (CPU {time.process_time() - cpu:5.1f} s)", flush=True)
        return result

    def count(self, name: str, value: int) -> None:
        """Add ``value`` rows to what was built of ``name``."""
        self.built[name] = self.built.get(name, 0) + value

    def authority(self, index: int) -> Any:
        """Build authority ``index`` (0 is Northshire) and everything in it but the audit trail's events."""
        from bench.synthetic import allegations, case_events, case_records, concerns, deadlines, lado, lado_events

        build, trail, per, scale = self.build, self.trail, self.per, self.scale
        authority = self.phase(
            "organisations and people",
            lambda: self.staffing.authority(
                index, lados=scaled(LADOS, min(scale, 1.0), least=2), schools=scaled(SCHOOLS, scale, least=2)
            ),
        )
        triages = self.phase(
            "concerns",
            lambda: concerns.build_concerns(
                build, trail, authority, concerns=per["concerns"], allegations=per["allegations"]
            ),
        )
        managed = self.phase(
            "allegations", lambda: allegations.build_allegations(build, trail, authority, triages.allegations)
        )
        self.phase("triage", lambda: concerns.write_triage(trail, triages))
        lara_open = scaled(LARA_OPEN_CASES, scale) if index == 0 else 0
        rows = self.phase(
            "contacts",
            lambda: lado.build_contacts(
                build, authority, contacts=per["contacts"], cases=per["cases"], managed=managed, lara_open=lara_open
            ),
        )
        lives = self.phase(
            "cases planned", lambda: [(row, case_records.plan_case(build, row)) for row in rows if row.case]
        )
        made_cases, _decisions = self.phase(
            "decisions and cases", lambda: lado_events.write_decisions(trail, authority, rows)
        )
        self.phase("case records", lambda: case_events.write_case_records(trail, lives))

        def deadline_rows() -> int:
            stored = deadlines.Rows(authority, build.today)
            stored.contacts(rows)
            stored.cases(lives)
            stored.allegations(managed)
            stored.concerns()
            return stored.write()

        self.count("deadlines", self.phase("deadlines", deadline_rows))
        self.phase("chronology", trail.write_chronology)
        self.count("concerns", per["concerns"])
        self.count("allegations", len(managed))
        self.count("contacts", len(rows))
        self.count("cases", made_cases)
        return authority


def _vacuum() -> None:
    """``VACUUM`` every table, as autovacuum would soon after a load (outside any transaction: autocommit)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM")


def _adult_keys() -> int:
    """The match keys of every contact and case made without ``save`` (``people.services.adult_keys_fill``).

    Previous records and the LADO search choose their candidates by these keys: without them the bench would
    time pages that find nothing. The demo world's records, saved through the services, have theirs already.
    """
    from threshold.lado.models import Case, Contact
    from threshold.people.services import adult_keys_fill

    # access-lint: allow the bench indexes the rows it generated, as a loader does
    contacts = Contact.objects.filter(adult_keys__isnull=True).select_related("subject").iterator(chunk_size=2000)
    # access-lint: allow the bench indexes the rows it generated, as a loader does
    cases = Case.objects.filter(adult_keys__isnull=True).select_related("subject").iterator(chunk_size=2000)
    return adult_keys_fill(contacts=contacts, cases=cases)


def table_rows() -> dict[str, int]:
    """Rows in each of the project's tables (the demo world's included)."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()  # access-lint: allow counting rows for the bench's report
        for config in apps.get_app_configs()
        if config.name.startswith("threshold.")
        for model in config.get_models()
    }


def postgres_url() -> str:
    """Drop and recreate the bench's PostgreSQL database (never the configured one); return its URL."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def main() -> None:
    """Set up the database, generate, verify, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--authorities", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep", metavar="PATH", help="SQLite: write the database to this file (replaced).")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--check", type=int, default=0, metavar="N", help="Compare N records of each kind's deadlines.")
    options = parser.parse_args()

    started = time.perf_counter()
    url = postgres_url() if options.database == "postgres" else None
    workdir = throwaway_demo_database(path=options.keep, database_url=url)
    setup = time.perf_counter() - started
    print(f"Migrated and loaded the demo world in {setup:.1f} s ({options.database}).", flush=True)
    started = time.perf_counter()
    world = generate(options.authorities, options.scale, seed=options.seed, verbose=True)
    total = time.perf_counter() - started
    print(f"Generated {options.authorities} authorities at scale {options.scale} in {total:.1f} s.")
    for name, value in world.built.items():
        print(f"  {name:28s} {value:>10,}")
    print("Rows in each table:")
    for label, value in sorted(world.rows.items(), key=lambda item: -item[1]):
        if value:
            print(f"  {label:40s} {value:>10,}")
    print(f"  {'total':40s} {sum(world.rows.values()):>10,}")
    print(world.verification)
    if options.check:
        from bench.synthetic.check import check_deadlines

        for line in check_deadlines(options.check, seed=options.seed):
            print(line)
    where = options.keep or (f"{url}" if url else f"{workdir}/bench.sqlite3 (temporary)")
    print(f"Database: {where}")
    if not world.verified:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
