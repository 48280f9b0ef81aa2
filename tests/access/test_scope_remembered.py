"""A user's scope is worked out once per request, and forgotten the moment what it came from changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from threshold.access.scope import scope_for, scopes_remembered
from threshold.accounts.models import Membership

pytestmark = pytest.mark.django_db


def _membership_reads(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "accounts_membership"."id"') and "accounts_membership" in query["sql"]
    )


def test_within_a_request_lara_s_scope_is_read_once_however_often_it_is_asked_for(persona):
    lara = persona("lara")
    with scopes_remembered(), CaptureQueriesContext(connection) as queries:
        first = scope_for(lara)
        again = scope_for(lara)
    assert again is first
    assert _membership_reads(queries) == 1


def test_outside_a_request_every_ask_reads_the_memberships_afresh(persona):
    lara = persona("lara")
    with CaptureQueriesContext(connection) as queries:
        scope_for(lara)
        scope_for(lara)
    assert _membership_reads(queries) == 2


def test_when_lara_s_membership_ends_mid_request_her_next_scope_reaches_nothing(persona):
    lara = persona("lara")
    with scopes_remembered():
        assert scope_for(lara).lado_read
        for membership in Membership.objects.filter(user=lara):
            membership.is_active = False
            membership.save(update_fields=["is_active"])
        assert not scope_for(lara).lado_read


def test_an_account_object_changed_in_memory_is_not_answered_from_another_object_s_scope(persona):
    lara = persona("lara")
    with scopes_remembered():
        assert scope_for(lara).lado_read
        same_account = persona("lara")
        same_account.is_system_admin = True  # not saved: only this object says so
        assert not scope_for(same_account).lado_read
        assert scope_for(lara).lado_read


def test_two_people_in_one_block_each_get_their_own_scope(persona):
    with scopes_remembered():
        assert scope_for(persona("lara")).lado_read
        assert not scope_for(persona("hana")).lado_read


def test_lara_s_home_page_reads_her_memberships_for_the_scope_once(signed_in):
    client = signed_in("lara")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # The scope's read: every active membership with its organisation (the middleware's own read of them, for
    # the organisation switcher, also follows the trust and local authority; the panels' reads ask for roles).
    scope_reads = [
        sql
        for sql in (query["sql"] for query in queries.captured_queries)
        if sql.startswith('SELECT "accounts_membership"."id"')
        and "LEFT OUTER JOIN" not in sql
        and '"accounts_membership"."role"' not in sql.split("WHERE", 1)[1]
    ]
    assert len(scope_reads) == 1
