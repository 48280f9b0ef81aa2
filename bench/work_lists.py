"""Time the work lists at a large authority's volume, as ratios to a trivial signed-in page (prints figures).

Issue 12's goal: "My work, My cases, the team view and home pages within 3× the p50 of a trivial signed-in
page, with query counts that do not grow with the data". This script builds a throw-away SQLite database with
the demo world plus a large authority's ten years in Northshire (default 18,000 contacts and 6,000 cases,
each with its stored deadlines as the services write them, spread over 20 LADOs with 200 cases for Lara),
then requests each page in-process through Django's test client, signed in, and prints the p50 of each as a
multiple of the p50 of the accessibility statement measured in the same run, with the page's query count on
the demo world and on the large one. It asserts nothing: tests assert the query counts
(``tests/timescales/test_query_counts.py``). ``PROFILE="My cases"`` prints a cProfile of that page instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database

LADOS = 20


def main() -> None:
    """Build the data set, then time the pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=18_000)
    parser.add_argument("--cases", type=int, default=6_000)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()

    workdir = throwaway_demo_database()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from threshold.accounts.middleware import MFA_VERIFIED_KEY
    from threshold.accounts.models import Membership, Organisation, User
    from threshold.accounts.roles import Role
    from threshold.demo import world
    from threshold.lado.models import Case, Contact, ContactStatus
    from threshold.people.models import Person
    from threshold.timescales.models import Deadline, DeadlineState

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)

    def client_for(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = client.session
        session[MFA_VERIFIED_KEY] = str(user.pk)
        session.save()
        return client

    pages = {
        "accessibility statement (the trivial page)": (lara, reverse("accessibility")),
        "home (Lara)": (lara, reverse("home")),
        "My work (Lara)": (lara, reverse("my_work")),
        "My cases (Lara)": (lara, reverse("case_list")),
        "All cases, overdue (Mo)": (mo, reverse("case_list_all") + "?overdue=1"),
        "team view (Mo)": (mo, reverse("lado_team")),
        "home (Mo)": (mo, reverse("home")),
    }

    def query_counts() -> dict[str, int]:
        counts = {}
        for label, (user, url) in pages.items():
            client = client_for(user)
            client.get(url)  # warm: sessions, caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            counts[label] = len(queries)
        return counts

    small = query_counts()

    started = time.perf_counter()
    lados = [lara] + [
        User.objects.create_user(email=f"bench.lado{n}@northshire.example", full_name=f"Bench Lado {n}")
        for n in range(1, LADOS)
    ]
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=northshire, role=Role.LADO) for user in lados[1:]]
    )
    people = Person.objects.bulk_create(
        [Person(organisation=northshire, full_name=f"Adult Number{n}") for n in range(options.contacts)],
        batch_size=2000,
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=3650)
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                local_authority=northshire, subject=person, adult_name=person.full_name,
                received_at=timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=n % 3650), dt.time(9))),
                summary="Synthetic contact for benchmarking.", status=ContactStatus.DECIDED,
                allocated_to=lados[n % LADOS],
            )
            for n, person in enumerate(people)
        ],
        batch_size=2000,
    )  # fmt: skip
    step = max(1, len(contacts) // options.cases)
    # Lara holds 200 of the cases; the rest are spread over the other LADOs.
    cases = Case.objects.bulk_create(
        [
            Case(
                local_authority=northshire, subject=contact.subject, contact=contact, adult_name=contact.adult_name,
                summary="Synthetic case.", tier=("tier-1", "tier-2")[n % 2],
                received_on=timezone.localdate(contact.received_at),
                lado=lara if n < 200 else lados[1 + n % (LADOS - 1)],
                status="open" if n % 10 == 0 or n < 200 else "concluded",
            )
            for n, contact in enumerate(contacts[::step][: options.cases])
        ],
        batch_size=2000,
    )  # fmt: skip
    rows = []
    for case in cases:
        for kind, days in (("lado-initial-decision", 1), ("evaluation-meeting", 7), ("resolve-target-one-month", 30)):
            rows.append(
                Deadline(
                    case=case, organisation=northshire, record_key=f"case:{case.pk}", kind=kind,
                    reference=case.reference, label=kind.replace("-", " ").capitalize(), owner=case.lado,
                    due_on=case.received_on + dt.timedelta(days=days),
                    state=DeadlineState.OPEN if case.status == "open" else DeadlineState.MET,
                )
            )  # fmt: skip
    for contact in contacts:
        rows.append(
            Deadline(
                contact=contact, organisation=northshire, record_key=f"contact:{contact.pk}",
                kind="lado-initial-decision", reference=contact.reference, label="Advice and initial decision",
                owner=contact.allocated_to, due_on=timezone.localdate(contact.received_at) + dt.timedelta(days=1),
                state=DeadlineState.MET,
            )
        )  # fmt: skip
    Deadline.objects.bulk_create(rows, batch_size=2000)
    print(
        f"Built {len(contacts)} contacts, {len(cases)} cases and {len(rows)} deadlines "
        f"in {time.perf_counter() - started:.1f} s"
    )

    large = query_counts()

    def p50(user: User, url: str) -> float:
        client = client_for(user)
        client.get(url)
        samples = []
        for _ in range(options.repeat):
            began = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - began)
        return statistics.median(samples)

    profiled = os.environ.get("PROFILE")
    if profiled:
        import cProfile

        user, url = next(value for label, value in pages.items() if profiled in label)
        client = client_for(user)
        client.get(url)
        cProfile.runctx("client.get(url)", globals(), {"client": client, "url": url}, sort="cumulative")
        return
    # Interleaved rounds, so that a noisy moment on a 2-core machine falls on every page alike.
    timings: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(3):
        for label, (user, url) in pages.items():
            timings[label].append(p50(user, url))
    trivial = statistics.median(timings[next(iter(pages))])
    print(f"{'page':45s} {'p50 ms':>8s} {'× trivial':>10s} {'queries demo':>13s} {'queries large':>14s}")
    for label in pages:
        median = statistics.median(timings[label])
        print(f"{label:45s} {median * 1000:8.1f} {median / trivial:10.1f} {small[label]:13d} {large[label]:14d}")
    print(f"(workdir {workdir})")


if __name__ == "__main__":
    main()
