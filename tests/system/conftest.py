"""Browser journeys: Debian's chromium driven by Playwright against gunicorn, checked with axe."""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.system.server import Server, start_server
from threshold.demo.records import load_demo_records
from threshold.demo.world import DEMO_PASSWORD, PERSONAS_BY_KEY, current_demo_code, load_demo_world

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls made by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# THRESHOLD_AXE_ALL=1 checks every page on every visit, as the suite did before the per-run cache below.
AXE_ALL = os.environ.get("THRESHOLD_AXE_ALL", "") not in ("", "0", "false")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every journey as a browser test.

    The journeys spread over the xdist workers like any test: each worker has
    its own test database, gunicorn (on a free port), document store and
    database cache, so nothing is shared between them.
    """
    for item in items:
        if "tests/system/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's chromium; Playwright cannot download its own browser here."""
    if not Path(CHROMIUM).exists():
        pytest.exit(
            f"The browser journeys need Debian's chromium at {CHROMIUM}. Install it with "
            "'sudo apt-get update && sudo apt-get install -y chromium', or set CHROMIUM to its path.",
            returncode=3,
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def demo_server(django_db_setup: None, django_db_blocker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This worker's gunicorn, serving its test database (tests/system/server.py), stopped at the end of the run.

    It depends on the test database, so it stops before the database is
    destroyed (PostgreSQL will not drop a database that has connections).
    """
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        database = str(connection.settings_dict["NAME"])  # the test database's name, set by its creation
    server = start_server(
        database=database,
        document_root=Path(settings.DOCUMENT_ROOT),
        folder=tmp_path_factory.mktemp("gunicorn"),
    )
    yield server
    server.stop()


@pytest.fixture
def live_demo(transactional_db: None, demo_server: Server) -> Iterator[str]:
    """The journeys' gunicorn, its database holding the demo world; yields its base URL."""
    load_demo_world()
    demo_server.clear_outbox()
    yield demo_server.url


@pytest.fixture
def demo_records(live_demo: str) -> dict[str, int]:
    """The demo records' ids, in the database the journeys' server serves."""
    return load_demo_records().ids


# A record's token (ADR 0017: eight letters and digits with at least one digit), a number, a reference.
_VARIABLE_SEGMENT = re.compile(r"^(?=.*[0-9])[0-9A-Za-z]{8}$|^[0-9]+$|^[A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{4}$|^.{20,}$")


def page_pattern(url: str) -> str:
    """The page a URL shows, without its ids and tokens: ``/concerns/{id}/?status``."""
    parts = urlsplit(url)
    path = "/".join("{id}" if _VARIABLE_SEGMENT.match(segment) else segment for segment in parts.path.split("/"))
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(names) if names else "")


class _SeenPages:
    """The pages axe has checked in this run, shared by the xdist workers through files.

    The files live in pytest's temporary folder for the run (which pytest
    prunes): the workers' folders share their parent.
    """

    def __init__(self, base: Path) -> None:
        self.folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "axe-checked-pages"
        self.folder.mkdir(exist_ok=True)

    def claim(self, key: str) -> bool:
        """True the first time any worker of this run asks about the key."""
        try:
            os.close(os.open(self.folder / hashlib.sha256(key.encode()).hexdigest(), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True


_seen_pages: _SeenPages | None = None


class Accessibility:
    """Runs axe on each distinct page the journeys visit, once per run, and remembers what it found.

    A page is its URL path with ids and tokens taken out, its query's names,
    whether it shows an error summary and whether someone is signed in: a journey that comes back to a
    case page, or another journey that visits it, does not check it again.
    ``THRESHOLD_AXE_ALL=1`` checks every visit.
    """

    def __init__(self, run_folder: Path) -> None:
        self.axe = Axe()
        self.run_folder = run_folder
        self.checked: list[str] = []
        self.skipped: list[str] = []

    def check(self, page: Page) -> None:
        """Fail the journey if axe reports any violation on the current page.

        A click on a link returns before the next page has loaded; axe run in
        between finds no document (CI once failed so). Wait for the page to
        load, and run again if a navigation still replaced the document.
        """
        global _seen_pages
        page.wait_for_load_state("load")
        if not AXE_ALL:
            errors = page.locator(".govuk-error-summary").count() > 0
            signed_in = page.get_by_role("button", name="Sign out").count() > 0  # "/" is two pages
            # A narrow screen (issue 17: 375 px) lays the page out anew: checked apart from the wide one.
            width = page.viewport_size["width"] if page.viewport_size else 0
            key = f"{page_pattern(page.url)} errors={errors} signed_in={signed_in} width={width}"
            _seen_pages = _seen_pages or _SeenPages(self.run_folder)
            if not _seen_pages.claim(key):
                self.checked.append(page.url)  # checked already in this run, by this journey or another
                self.skipped.append(page.url)
                return
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = self.axe.run(page)
                break
            except PlaywrightError as error:
                navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigating or attempt == 2:
                    raise
        self.checked.append(page.url)
        assert results.violations_count == 0, f"axe found problems on {page.url}:\n{results.generate_report()}"


@pytest.fixture
def axe(tmp_path_factory: pytest.TempPathFactory) -> Accessibility:
    """An axe checker for the journey."""
    return Accessibility(tmp_path_factory.getbasetemp())


def sign_in(page: Page, base_url: str, key: str, axe: Accessibility) -> None:
    """Given a persona, when they sign in with password and authenticator code."""
    page.goto(f"{base_url}/")
    axe.check(page)
    page.get_by_label("Email address").fill(PERSONAS_BY_KEY[key].email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    axe.check(page)
    # Not in the last seconds of a 30-second step: the code could expire in flight.
    while time.time() % 30 > 27:
        time.sleep(0.5)
    page.get_by_label("Security code").fill(current_demo_code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def sign_in_quickly(page: Page, base_url: str, key: str) -> None:
    """Given a persona already signed in (password and MFA done): a session cookie, no typing.

    The full sign-in is a journey of its own; other journeys start signed in.
    """
    from django.conf import settings
    from django.test import Client

    from threshold.accounts.middleware import MFA_VERIFIED_KEY
    from threshold.accounts.models import User

    user = User.objects.get(email=PERSONAS_BY_KEY[key].email)
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(user.pk)
    session.save()
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": str(session.session_key), "url": base_url}
    page.context.add_cookies([cookie])  # type: ignore[list-item]
