"""Time the access-scoped queries and the audit trail on a synthetic data set (prints figures, asserts nothing)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database, timed


def main() -> None:
    """Build the data set, then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concerns", type=int, default=20_000)
    parser.add_argument("--schools", type=int, default=200)
    options = parser.parse_args()

    workdir = throwaway_demo_database()

    from threshold.access import fetch
    from threshold.accounts.models import Organisation, User
    from threshold.audit.context import AuditContext
    from threshold.audit.services import audit_record
    from threshold.audit.verify import verify_chain
    from threshold.concerns.models import Concern
    from threshold.demo import world
    from threshold.people.models import Person

    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    started = time.perf_counter()
    schools = [
        Organisation(name=f"Bench School {n}", kind="school", trust=riverside if n % 4 == 0 else None,
                     local_authority=northshire, policy_pack="kcsie")
        for n in range(options.schools)
    ]  # fmt: skip
    Organisation.objects.bulk_create(schools)
    schools = list(Organisation.objects.filter(name__startswith="Bench School"))
    people = Person.objects.bulk_create(
        [Person(organisation=school, full_name=f"Adult {n}") for n, school in enumerate(schools * 5)]
    )
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    concerns = [
        Concern(
            organisation=people[n % len(people)].organisation if n % 10 else oakfield,
            subject=people[n % len(people)] if n % 10 else Person.objects.filter(organisation=oakfield).first(),
            summary="Synthetic concern for benchmarking.",
        )
        for n in range(options.concerns)
    ]
    Concern.objects.bulk_create(concerns, batch_size=2000)
    print(f"Built {options.concerns} concerns over {options.schools} schools in {time.perf_counter() - started:.1f} s")

    def persona(key: str) -> User:
        return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)

    for key, label in (("dev", "school DSL (two schools)"), ("priya", "trust director"), ("tom", "staff member")):
        user = persona(key)

        def count(user: User = user) -> int:
            return fetch.visible_concerns(user, "view_report").count()

        def first_page(user: User = user) -> list[Concern]:
            return list(fetch.visible_concerns(user)[:50])

        timed(f"visible_concerns count, {label}", count)
        timed(f"visible_concerns first page of 50, {label}", first_page)
    hana = persona("hana")
    one = fetch.visible_concerns(hana).first()
    assert one is not None
    timed("access_concern (one record, audited)", lambda: fetch.access_concern(hana, one.pk, "view"))
    timed(
        "audit_record append",
        lambda: audit_record(context=AuditContext.system("bench"), action="bench.append"),
        repeat=50,
    )
    timed("audit verify (whole trail)", verify_chain, repeat=3)
    print(f"(workdir {workdir})")


if __name__ == "__main__":
    main()
