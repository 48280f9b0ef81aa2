"""``make bench``: the pages people use most, served by gunicorn over the benchmark world, in one run (issue 15).

Builds the world (``bench/generate.py``: the demo world plus N large authorities; SQLite by default, or
``--database postgres``), or reuses a SQLite file an earlier run kept (``--keep PATH`` then ``--reuse PATH``).
Serves it with the production server (gunicorn, 2 sync workers, ``bench/settings.py``: the demo's settings, as
``make demo`` serves them, and a plain ``ListView`` over the contacts added at ``bench/plain-contacts/``). Signs
the personas in (a session saved in the database, MFA passed), then prints for each page:

- its queries, counted in-process with Django's test client (the same view, the same data);
- p50 and p95 of ``--requests`` sequential requests over HTTP;
- requests a second with ``--clients`` concurrent clients for ``--seconds``;
- p50 as a multiple of the trivial page's (the accessibility statement, asked just before each of the page's
  requests, so both are timed over the same seconds) and of the plain ``ListView``'s.

Every figure comes from the same run, so the ratios compare like with like on a noisy machine. Asserts
nothing: the tests assert that query counts do not grow with the data (``tests/*/test_list_query_counts.py``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_reused, throwaway_demo_database  # noqa: E402
from bench.generate import POSTGRES_DATABASE, POSTGRES_SERVER, generate, postgres_url  # noqa: E402

TRIVIAL = "trivial page (accessibility statement)"
PLAIN = "plain ListView over contacts"


@dataclass
class Target:
    """A page to measure: who asks, how, and what it costs."""

    label: str
    persona: str
    path: str
    post: dict[str, str] | None = None
    # Shown only when the page is empty (no previous records, no results, no events): the page must not show it.
    empty: bytes = b""
    # The status the page answers with: a request that counts, then redirects to what it counted, is a 303.
    status: int = 200
    queries: int = 0
    times: list[float] = field(default_factory=list)
    # The trivial page's times, each asked just before one of this page's: the same moments of a noisy machine.
    beside: list[float] = field(default_factory=list)
    per_second: float = 0.0


def _targets() -> list[Target]:
    """The pages, with real records of the generated world in their addresses."""
    from django.db.models import Count
    from django.urls import reverse

    from threshold.accounts.models import Organisation, User
    from threshold.allegations.models import Allegation
    from threshold.demo import world
    from threshold.lado.models import Case, CaseStatus, Contact, Meeting

    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    hana = User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email)
    # access-lint: allow the bench picks records of its own generated world to put in addresses
    contacts = Contact._default_manager.filter(local_authority=northshire)
    # An adult named on several contacts: the newest of them has "previous records" to show.
    repeated = (
        contacts.exclude(adult_name="").values("adult_name").annotate(n=Count("pk")).filter(n__gt=2).order_by("-n")
    )
    name = repeated[0]["adult_name"]
    contact = contacts.filter(adult_name=name).latest("received_at")
    # access-lint: allow the bench picks records of its own generated world to put in addresses
    case = Case._default_manager.filter(lado=lara, status=CaseStatus.OPEN).latest("opened_at")
    # access-lint: allow the bench picks records of its own generated world to put in addresses
    meeting = Meeting._default_manager.filter(case__local_authority=northshire).latest("pk")
    # access-lint: allow the bench picks records of its own generated world to put in addresses
    allegation = Allegation._default_manager.filter(case_manager=hana).latest("pk")
    return [
        Target(TRIVIAL, "lara", reverse("accessibility")),
        Target(PLAIN, "lara", reverse("bench_plain_contacts")),
        Target("LADO home (Lara)", "lara", reverse("home")),
        Target("inbox (Lara)", "lara", reverse("lado_inbox")),
        Target(
            "contact page with previous records",
            "lara",
            reverse("contact_detail", args=[contact.pk]),
            empty=b'<p class="govuk-body">None found.</p>',
        ),
        Target("LADO search by name", "lara", reverse("lado_search"), post={"name": name}, empty=b">0 records found<"),
        Target("My cases (Lara)", "lara", reverse("case_list")),
        Target("My work (Lara)", "lara", reverse("my_work")),
        Target("all cases (Mo)", "mo", reverse("case_list_all")),
        Target("all cases ?category=sexual", "mo", reverse("case_list_all") + "?category=sexual"),
        Target("all cases ?overdue=on", "mo", reverse("case_list_all") + "?overdue=on"),
        Target("team view (Mo)", "mo", reverse("lado_team")),
        Target("case page", "lara", reverse("case_detail", args=[case.pk])),
        Target("meeting page", "lara", reverse("meeting_detail", args=[meeting.pk])),
        # The report shows the figures Mo counted in the last quarter of an hour (ADR 0045); counting them afresh,
        # as the first view of a period does, is "Count the figures again" (a POST; its 303 to the report is the
        # count).
        Target("LADO report (Mo)", "mo", reverse("lado_report")),
        Target("LADO report counted again (Mo)", "mo", reverse("lado_report"), post={}, status=303),
        Target("audit trail page 1 (Ada)", "ada", reverse("audit_events")),
        Target("audit trail page 50 (Ada)", "ada", reverse("audit_events") + "?page=50", empty=b">No events.<"),
        Target("employer home (Hana)", "hana", reverse("home")),
        # The other home pages issue 12 holds to 3×: a DSL of two schools, a trust's director, the LADO manager.
        Target("DSL home (Dev)", "dev", reverse("home")),
        Target("trust home (Priya)", "priya", reverse("home")),
        Target("LADO manager home (Mo)", "mo", reverse("home")),
        Target("concern list (Hana)", "hana", reverse("concern_list")),
        # The employers' reports (issue 14): the trust's picture and a school's own.
        Target("trust dashboard (Priya)", "priya", reverse("employer_trust_dashboard")),
        Target("school dashboard (Hana)", "hana", reverse("employer_school_dashboard")),
        Target("allegation page (Hana)", "hana", reverse("allegation_detail", args=[allegation.pk])),
    ]


def _sessions(personas: set[str]) -> dict[str, Any]:
    """A signed-in test client per persona (MFA passed); its session is in the database gunicorn reads."""
    from django.test import Client

    from threshold.accounts.middleware import MFA_VERIFIED_KEY
    from threshold.accounts.models import User
    from threshold.demo import world

    clients = {}
    for key in sorted(personas):
        user = User.objects.get(email=world.PERSONAS_BY_KEY[key].email)
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = client.session
        session[MFA_VERIFIED_KEY] = str(user.pk)
        session.save()
        clients[key] = client
    return clients


def _count_queries(targets: list[Target], clients: dict[str, Any]) -> None:
    """Each page's queries, in-process, after one request to warm the session and caches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for target in targets:
        client = clients[target.persona]

        def ask(client: Any = client, target: Target = target) -> Any:
            return client.post(target.path, target.post) if target.post is not None else client.get(target.path)

        _check(target, ask())
        with CaptureQueriesContext(connection) as queries:
            response = ask()
        _check(target, response)
        target.queries = len(queries)


def _check(target: Target, response: Any) -> None:
    """Refuse anything but the signed-in page itself: a 200 showing the layout's "Sign out" (the sign-in and MFA
    pages have none; a redirect to them is a 302), or the plain list's heading; or the other status a target
    names (the report's "count again", a 303 to the figures it counted)."""
    content = response.content
    if response.status_code != target.status:
        raise SystemExit(f"{target.label}: HTTP {response.status_code} from {target.path}")
    if target.status != 200:
        return
    marker = b"<h1>Contacts</h1>" if target.label == PLAIN else b">Sign out</button>"
    if marker not in content:
        raise SystemExit(f"{target.label}: {target.path} is not the signed-in page")
    if target.empty and target.empty in content:
        raise SystemExit(f"{target.label}: {target.path} shows nothing to measure ({target.empty.decode()})")


class _Server:
    """gunicorn with 2 workers on a free local port, over the bench's database, stopped on exit."""

    def __init__(self, workdir: str, database: str, secret_key: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "THRESHOLD_DATA_DIR": workdir,
            "DATABASE_URL": database,
            # The in-process key: the sessions signed in here, and the audit chain's key derived from it.
            "SECRET_KEY": secret_key,
        }
        command = [str(ROOT / ".venv/bin/gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--workers", "2"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--access-logfile", os.devnull, "threshold.wsgi"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603  # our own gunicorn
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start within a minute.")

    def stop(self) -> None:
        """Stop gunicorn and wait for it."""
        self.process.terminate()
        self.process.wait(timeout=30)


@dataclass
class _Response:
    """What ``_check`` reads of an HTTP response."""

    status_code: int
    content: bytes


class _Http:
    """Requests to the server as one persona: their session cookie, and a CSRF token for a POST."""

    def __init__(self, port: int, session_cookie: str) -> None:
        self.port, self.cookies = port, {"threshold_session": session_cookie}
        self.csrf = ""

    def _send(self, method: str, path: str, body: str = "") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body:
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            }
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content

    def ask(self, target: Target) -> None:
        """One request for the page; refuses anything but the page itself (a redirect to sign in is a 302)."""
        if target.post is not None:
            if not self.csrf:
                _status, form = self._send("GET", target.path)
                found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form)
                assert found, f"no CSRF token on {target.path}'s form"
                self.csrf = found.group(1).decode()
            from urllib.parse import urlencode

            body = urlencode({**target.post, "csrfmiddlewaretoken": self.csrf})
            status, content = self._send("POST", target.path, body)
        else:
            status, content = self._send("GET", target.path)
        _check(target, _Response(status, content))


def _measure(
    target: Target,
    port: int,
    cookie: str,
    *,
    requests: int,
    clients: int,
    seconds: float,
    trivial: tuple[Target, str] | None = None,
) -> None:
    """``requests`` sequential requests (p50, p95), then ``clients`` threads for ``seconds`` (requests a second).

    With ``trivial`` (the trivial page and its persona's cookie), each request is paired with one for the trivial
    page just before it, so that the page's ratio compares the two over the same seconds: on these machines the
    trivial page's p50 was seen at 4.5 ms in one run and 8.2 ms in another an hour later, the pages' less so.
    """
    http_client = _Http(port, cookie)
    trivial_client = _Http(port, trivial[1]) if trivial else None
    # Warm both workers (templates compiled, connections open): two at once, so each worker takes one.
    warmers = [threading.Thread(target=_Http(port, cookie).ask, args=(target,)) for _ in range(4)]
    for warmer in warmers:
        warmer.start()
    for warmer in warmers:
        warmer.join()
    http_client.ask(target)
    for _ in range(requests):
        if trivial and trivial_client:
            began = time.perf_counter()
            trivial_client.ask(trivial[0])
            target.beside.append(time.perf_counter() - began)
        began = time.perf_counter()
        http_client.ask(target)
        target.times.append(time.perf_counter() - began)
    done = [0] * clients
    failures: list[str] = []
    stop_at = time.perf_counter() + seconds

    def hammer(index: int) -> None:
        own = _Http(port, cookie)
        try:
            while time.perf_counter() < stop_at:
                own.ask(target)
                done[index] += 1
        except (SystemExit, OSError) as failure:  # a thread's SystemExit ends only the thread: report it
            failures.append(str(failure))

    threads = [threading.Thread(target=hammer, args=(index,)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    target.per_second = sum(done) / (time.perf_counter() - started)
    if failures:
        raise SystemExit(f"{target.label}, {clients} concurrent clients: {failures[0]}")


def _report(targets: list[Target]) -> None:
    p50 = {target.label: statistics.median(target.times) for target in targets}
    plain = p50[PLAIN]
    print(
        f"{'page':40s} {'queries':>7s} {'p50 ms':>8s} {'p95 ms':>8s} {'req/s':>7s} {'trivial':>8s} {'× trivial':>9s} "
        f"{'× plain':>8s}"
    )
    for target in targets:
        p95 = statistics.quantiles(target.times, n=20)[-1] if len(target.times) > 1 else target.times[0]
        # The trivial page's p50 over the same seconds as this page's (``Target.beside``).
        beside = statistics.median(target.beside) if target.beside else p50[TRIVIAL]
        print(
            f"{target.label:40s} {target.queries:7d} {p50[target.label] * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{target.per_second:7.1f} {beside * 1000:8.1f} {p50[target.label] / beside:9.1f} "
            f"{p50[target.label] / plain:8.1f}"
        )


def main() -> None:
    """Build or reuse the world, serve it, measure every page, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--authorities", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep", metavar="PATH", help="SQLite: build the world into this file and keep it.")
    parser.add_argument("--reuse", metavar="PATH", help="SQLite: serve a world an earlier --keep built.")
    parser.add_argument("--reuse-postgres", action="store_true", help="Serve the world already in threshold_bench.")
    parser.add_argument("--requests", type=int, default=20, help="Sequential requests per page (p50, p95).")
    parser.add_argument("--clients", type=int, default=10, help="Concurrent clients for requests a second.")
    parser.add_argument("--seconds", type=float, default=3.0, help="How long the concurrent clients run.")
    options = parser.parse_args()

    if options.reuse_postgres:
        url: str | None = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        workdir = setup_reused(None, url)
    elif options.reuse:
        url = None
        workdir = setup_reused(options.reuse, None)
    else:
        url = postgres_url() if options.database == "postgres" else None
        workdir = throwaway_demo_database(path=options.keep, database_url=url)
        started = time.perf_counter()
        world = generate(options.authorities, options.scale)
        print(
            f"Built {options.authorities} authorities at scale {options.scale} in {time.perf_counter() - started:.0f} s"
        )
        if not world.verified:
            raise SystemExit(world.verification)
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()
    database = url or f"sqlite:///{settings.DATABASES['default']['NAME']}"
    targets = _targets()
    clients = _sessions({target.persona for target in targets})
    _count_queries(targets, clients)
    server = _Server(workdir, database, settings.SECRET_KEY)
    trivial = next(target for target in targets if target.label == TRIVIAL)
    trivial_cookie = clients[trivial.persona].cookies["threshold_session"].value
    try:
        for target in targets:
            cookie = clients[target.persona].cookies["threshold_session"].value
            _measure(
                target,
                server.port,
                cookie,
                requests=options.requests,
                clients=options.clients,
                seconds=options.seconds,
                trivial=None if target is trivial else (trivial, trivial_cookie),
            )
    finally:
        server.stop()
        from django.db import connections

        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)  # with no --keep, the SQLite database is in it
    engine = "postgres" if url else "sqlite"
    print(f"Served by gunicorn (2 workers) over {engine}; every figure from this run.")
    _report(targets)


if __name__ == "__main__":
    main()
