"""Time the work lists at a large authority's volume, as ratios to a trivial signed-in page (prints figures).

Issue 12's goal: "My work, My cases, the team view and home pages within 3× the p50 of a trivial signed-in
page, with query counts that do not grow with the data". This script builds a throw-away SQLite database with
the demo world plus a large authority's ten years in Northshire (``bench/generate.py``: default 18,000 contacts
and 6,000 cases, each with its stored deadlines as the services write them, spread over 20 LADOs with 200 open
cases for Lara),
then requests each page in-process through Django's test client, signed in, and prints the p50 of each as a
multiple of the p50 of the accessibility statement measured in the same run, with the page's query count on
the demo world and on the large one. It asserts nothing: tests assert the query counts
(``tests/timescales/test_query_counts.py``). ``PROFILE="My cases"`` prints a cProfile of that page instead.
``--keep PATH`` keeps the built world in a SQLite file, and ``--reuse PATH`` times that world again without
building it (a minute or two saved a run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_reused, throwaway_demo_database
from bench.generate import generate


def main() -> None:
    """Build the data set, then time the pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="Of the large authority (bench/generate.py).")
    parser.add_argument("--contacts", type=int, help="Contacts instead of the scale's (18,000 at 1.0).")
    parser.add_argument("--cases", type=int, help="Cases instead of the scale's (6,000 at 1.0).")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", metavar="PATH", help="Build the world into this SQLite file and keep it.")
    parser.add_argument("--reuse", metavar="PATH", help="Time a world an earlier --keep built (no demo counts).")
    options = parser.parse_args()

    workdir = setup_reused(options.reuse, None) if options.reuse else throwaway_demo_database(path=options.keep)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from threshold.accounts.middleware import MFA_VERIFIED_KEY
    from threshold.accounts.models import User
    from threshold.demo import world

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
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

    if options.reuse:
        large = query_counts()
        small = {label: -1 for label in pages}  # the demo world is not at hand: -1, not counted
    else:
        small = query_counts()
        started = time.perf_counter()
        built = generate(1, options.scale, contacts=options.contacts, cases=options.cases)
        print(
            f"Built {built.contacts} contacts, {built.cases} cases and {built.deadlines} deadlines "
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
