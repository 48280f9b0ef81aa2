"""The journeys run against the production WSGI server, gunicorn, serving the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import sign_in_quickly
from tests.system.server import Server

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_journeys_are_served_by_gunicorn_with_the_repositorys_configuration(demo_server: Server) -> None:
    command = Path(f"/proc/{demo_server.process.pid}/cmdline").read_bytes().split(b"\0")
    # gunicorn itself, or (when the run measures coverage) gunicorn's own entry point run by the launcher that
    # measures its workers (tests/system/covered_server.py)
    assert command[1:3] in ([b"-m", b"gunicorn"], [b"-m", b"tests.system.covered_server"])
    assert command[command.index(b"--config") + 1].endswith(b"gunicorn.conf.py")
    assert b"threshold.wsgi" in command
    assert demo_server.process.poll() is None, "gunicorn has stopped"


@pytest.mark.pg_journey  # CI's PostgreSQL pass checks the server on PostgreSQL too
def test_gunicorn_answers_the_browser_and_sees_what_the_test_committed(page: Page, live_demo: str) -> None:
    # Given Lara's session, saved by the test process in the test database
    sign_in_quickly(page, live_demo, "lara")
    # When her browser asks for the home page
    response = page.goto(f"{live_demo}/")
    # Then gunicorn answers (Django's development server says "WSGIServer/0.2"), and she is signed in
    assert response is not None
    assert response.headers["server"] == "gunicorn"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
