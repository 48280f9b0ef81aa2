"""Time "previous contacts about this adult" and the LADO search at a local authority's volume (prints figures).

Matching reads the authority's contacts and cases through ``threshold.access``
and scores names in Python (rapidfuzz). This script builds a throw-away SQLite
database with the demo world plus N synthetic contacts and cases in Northshire
(default 3,000 contacts a year for three years: a large county's volume), then
times ``previous_about`` and ``search_records`` as Lara. It asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database, timed

FIRST = ["Alex", "Sam", "Jo", "Chris", "Robin", "Pat", "Morgan", "Casey", "Jamie", "Taylor", "Jordan", "Avery"]
LAST = ["Coach", "Teacher", "Driver", "Helper", "Leader", "Carer", "Minder", "Tutor", "Warden", "Keeper", "Player"]


def main() -> None:
    """Build the data set, then time matching and search."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=9_000)
    options = parser.parse_args()

    workdir = throwaway_demo_database()

    from threshold.accounts.models import Organisation, User
    from threshold.demo import world
    from threshold.lado.models import Case, Contact, ContactStatus
    from threshold.people.matching import previous_about, search_records
    from threshold.people.models import Person

    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    started = time.perf_counter()
    names = [
        f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}{n // 132 or ''}"
        for n in range(options.contacts)
    ]
    people = Person.objects.bulk_create(
        [Person(organisation=northshire, full_name=name) for name in names], batch_size=2000
    )
    born = dt.date(1980, 1, 1)
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                local_authority=northshire, subject=person, adult_name=person.full_name,
                adult_date_of_birth=born + dt.timedelta(days=n % 5000), employer_name=f"Employer {n % 400}",
                summary="Synthetic contact for benchmarking.", status=ContactStatus.DECIDED,
            )
            for n, person in enumerate(people)
        ],
        batch_size=2000,
    )  # fmt: skip
    Case.objects.bulk_create(
        [
            Case(
                local_authority=northshire, subject=contact.subject, contact=contact, adult_name=contact.adult_name,
                employer_name=contact.employer_name, summary="Synthetic case.", tier="tier-2",
            )
            for contact in contacts[::3]
        ],
        batch_size=2000,
    )  # fmt: skip
    print(f"Built {len(contacts)} contacts and {len(contacts[::3])} cases in {time.perf_counter() - started:.1f} s")

    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)

    def previous() -> object:
        return previous_about(
            lara, local_authority=northshire, name="Chriss Coach", date_of_birth=born, employer_name="Employer 7"
        )

    if os.environ.get("PROFILE"):
        import cProfile

        cProfile.runctx("previous()", globals(), locals(), sort="cumulative")
        return
    timed("previous_about, one contact page (Lara)", previous)
    timed("search_records by name (Lara)", lambda: search_records(lara, name="Robin Leeder"))
    timed("search_records by employer (Lara)", lambda: search_records(lara, employer_name="Employer 12"))
    print(f"(workdir {workdir})")


if __name__ == "__main__":
    main()
