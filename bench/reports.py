"""Time the LADO report and the all-cases XLSX at a large authority, as ratios to a trivial signed-in page.

Issue 14's goals: "At a large authority (~18k contacts, ~6k cases) the annual report renders within 1 s on SQLite …;
XLSX of all cases within 10 s with constant memory (streamed)." Builds a throw-away SQLite database with the demo
world and the large authority (``bench/generate.py``), or with ``--database postgres --authorities 6`` the bench's
PostgreSQL database with six of them (Mo's report counts Northshire's; ``--reuse-postgres`` times the one an earlier
run built), then, signed in as Mo (the LADO manager)
through Django's test client: the accessibility statement (the trivial page), the report page for the current
financial year, its XLSX and its PDF. Prints p50 and the ratio to the trivial page, and the queries of the report
page. The all-cases XLSX is measured by ``bench/exports.py``. Asserts nothing: tests assert the query counts
(``tests/reports/test_lado_report.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import throwaway_demo_database
from bench.generate import POSTGRES_DATABASE, POSTGRES_SERVER, generate, postgres_url
from bench.pages import setup_reused


def main() -> None:
    """Build the data set, then time the report and the export."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="Of the large authority (bench/generate.py).")
    parser.add_argument("--contacts", type=int, help="Contacts instead of the scale's (18,000 at 1.0).")
    parser.add_argument("--cases", type=int, help="Cases instead of the scale's (6,000 at 1.0).")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--authorities", type=int, default=1, help="Large authorities; Mo reports on Northshire.")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reuse-postgres", action="store_true", help="Time the world already in threshold_bench.")
    options = parser.parse_args()

    # PostgreSQL: the bench's own database, recreated (bench/generate.py), never the configured one.
    if options.reuse_postgres:
        workdir = setup_reused(None, f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}")
    else:
        url = postgres_url() if options.database == "postgres" else None
        workdir = throwaway_demo_database(database_url=url)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from threshold.accounts.middleware import MFA_VERIFIED_KEY
    from threshold.accounts.models import User
    from threshold.demo import world

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not options.reuse_postgres:
        started = time.perf_counter()
        built = generate(options.authorities, options.scale, contacts=options.contacts, cases=options.cases)
        print(f"Built {built.contacts} contacts and {built.cases} cases in {time.perf_counter() - started:.1f} s")

    mo = User.objects.get(email=world.PERSONAS_BY_KEY["mo"].email)
    client = Client()
    client.force_login(mo, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(mo.pk)
    session.save()

    def fetch(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.getvalue()

    pages = {
        "accessibility statement (the trivial page)": reverse("accessibility"),
        "LADO report, this financial year": reverse("lado_report"),
        "LADO report as XLSX": reverse("lado_report_xlsx"),
        "LADO report as PDF": reverse("lado_report_pdf"),
    }
    for url in pages.values():
        fetch(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        fetch(pages["LADO report, this financial year"])
    report_queries = len(queries)

    timings: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(options.repeat):
        for label, url in pages.items():
            began = time.perf_counter()
            fetch(url)
            timings[label].append(time.perf_counter() - began)
    trivial = statistics.median(timings[next(iter(pages))])
    print(f"{'page':45s} {'p50 ms':>9s} {'× trivial':>10s}")
    for label in pages:
        median = statistics.median(timings[label])
        print(f"{label:45s} {median * 1000:9.1f} {median / trivial:10.1f}")
    print(f"LADO report page: {report_queries} queries")

    print(f"(workdir {workdir})")


if __name__ == "__main__":
    main()
