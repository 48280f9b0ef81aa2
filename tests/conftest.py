"""Fixtures shared by every test: the demo world and its personas, signed in or not."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis.configuration import set_hypothesis_home_dir

from tests.audit.tampering import clear_audit_trail
from threshold.accounts.middleware import MFA_VERIFIED_KEY
from threshold.accounts.models import User
from threshold.core.demo import PERSONAS_BY_KEY, load_demo_world

# Hypothesis keeps its example database and caches in ``.hypothesis/`` in the
# working directory, the repository: every property test (policy, audit
# tampering) writes to a temporary directory instead.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="threshold-hypothesis-"))


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Start each database test with an empty cache, so a TOTP code used before can be used again.

    The cache lives in the database (so every server shares it), so tests
    without database access have nothing to clear.
    """
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    if "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_trail_cleared_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty the audit table at the end of a transactional test, before pytest-django flushes the database.

    The audit table's append-only triggers refuse a flush while it holds events
    and allow it once it is empty (docs/audit.md).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        # Set the database up first, so that its flush runs after this fixture's teardown.
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        clear_audit_trail()


@pytest.fixture
def demo_world(db: None) -> None:
    """The demo world's organisations and personas, with their demo authenticators."""
    load_demo_world()


@pytest.fixture
def persona(demo_world: None):
    """Look up a demo persona by key: ``persona("hana")``."""

    def lookup(key: str) -> User:
        return User.objects.get(email=PERSONAS_BY_KEY[key].email)

    return lookup


@pytest.fixture
def signed_in(persona, client: Client):
    """A test client signed in as a persona who has passed MFA: ``signed_in("lara")``."""

    def sign_in(key: str, http: Client | None = None) -> Client:
        http = http or Client()
        user = persona(key)
        http.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = http.session
        session[MFA_VERIFIED_KEY] = str(user.pk)
        session.save()
        return http

    return sign_in
