"""Browser journeys: Debian's chromium driven by Playwright against a live server, checked with axe."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from threshold.core.demo import DEMO_PASSWORD, PERSONAS_BY_KEY, current_demo_code, load_demo_world
from threshold.core.demo_records import load_demo_records

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls made by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every journey as a browser test and keep them on one xdist worker."""
    for item in items:
        if "tests/system/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


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


@pytest.fixture
def live_demo(transactional_db: None, live_server) -> Iterator[str]:
    """A live server holding the demo world; yields its base URL."""
    load_demo_world()
    yield live_server.url


@pytest.fixture
def demo_records(live_demo: str) -> dict[str, int]:
    """The demo records' ids, in the live server's database."""
    return load_demo_records().ids


class Accessibility:
    """Runs axe on every page a journey visits and remembers what it found."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, page: Page) -> None:
        """Fail the journey if axe reports any violation on the current page.

        A click on a link returns before the next page has loaded; axe run in
        between finds no document (CI once failed so). Wait for the page to
        load, and run again if a navigation still replaced the document.
        """
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
def axe() -> Accessibility:
    """An axe checker for the journey."""
    return Accessibility()


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
