"""The access matrix: every URL, every persona, against the expected-access table."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.access.expected_access import expected
from tests.access.routes import PERSONAS, is_download, path_for, routes
from threshold.audit.models import AuditEvent
from threshold.core.record_ids import decode

pytestmark = pytest.mark.django_db

EXPECTED = expected()
ROUTES = routes()


def test_every_url_has_a_row_in_the_expected_access_table() -> None:
    missing = sorted(route.name for route in ROUTES if route.name not in EXPECTED)
    assert not missing, f"Add these URLs to tests/access/expected_access.py: {missing}"
    stale = sorted(set(EXPECTED) - {route.name for route in ROUTES})
    assert not stale, f"These rows name URLs that no longer exist: {stale}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_each_persona_gets_what_the_table_says(route, records, signed_in) -> None:
    path = path_for(route, records)
    row = EXPECTED[route.name]
    actual = {}
    for key in PERSONAS:
        client: Client = signed_in(key)
        response = client.get(path)
        actual[key] = response.status_code
        if response.status_code == 200:
            # A download by its name is a file to save, never a page (tests/access/routes.py, is_download).
            attachment = response.get("Content-Disposition", "").startswith("attachment")
            assert attachment == is_download(route), f"{route.name}: attachment {attachment} for {key}"
    mismatches = {key: (row[key], actual[key]) for key in PERSONAS if row[key] != actual[key]}
    assert not mismatches, f"{route.name} at {path}: persona -> (expected, actual): {mismatches}"


READ_PAGES = {
    "concern_detail": "concern",
    "allegation_detail": "allegation",
    "person_detail": "person",
    "contact_detail": "contact",
    "case_detail": "case",
    "meeting_detail": "meeting",
    "document_download": "document",
}


@pytest.mark.parametrize("name", sorted(READ_PAGES))
def test_every_read_of_a_protected_page_writes_exactly_one_access_event(name, records, signed_in, persona) -> None:
    route = next(route for route in ROUTES if route.name == name)
    path = path_for(route, records)
    reader = next(key for key in PERSONAS if EXPECTED[name][key] == 200)
    client = signed_in(reader)
    before = AuditEvent.objects.count()
    assert client.get(path).status_code == 200
    reads = AuditEvent.objects.filter(sequence__gt=before, action__startswith="record.")
    assert reads.count() == 1
    event = reads.get()
    assert event.actor == persona(reader)
    assert event.record_type == READ_PAGES[name]
    token = path.rstrip("/").split("/")[-1 if name != "document_download" else -2]
    assert event.record_id == str(decode(token))


@pytest.mark.parametrize("name", sorted(READ_PAGES))
def test_a_refused_read_writes_no_access_event(name, records, signed_in) -> None:
    route = next(route for route in ROUTES if route.name == name)
    outsider = next(key for key in PERSONAS if EXPECTED[name][key] == 404)
    before = AuditEvent.objects.count()
    assert signed_in(outsider).get(path_for(route, records)).status_code == 404
    assert not AuditEvent.objects.filter(sequence__gt=before, action__startswith="record.").exists()
