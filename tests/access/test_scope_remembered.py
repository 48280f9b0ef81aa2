"""A user's scope is worked out once per request, and forgotten the moment what it came from changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from threshold.access.scope import scope_for, scopes_remembered
from threshold.accounts.models import Membership
from threshold.accounts.selectors import can_administer, current_memberships

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


def _reads_of_memberships(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "accounts_membership" in query["sql"]]


@pytest.mark.parametrize("who", ["hana", "lara", "mo", "priya", "olu"])
def test_a_home_page_reads_the_person_s_memberships_once_for_everything_on_it(records, signed_in, who: str) -> None:
    # The organisation they act through, their reach, the navigation, the panels' reviews, triage and restrictions.
    client = signed_in(who)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert len(_reads_of_memberships(queries)) == 1


def test_when_olu_s_admin_membership_ends_mid_request_the_users_page_is_no_longer_hers(persona) -> None:
    olu = persona("olu")
    with scopes_remembered():
        assert can_administer(user=olu)
        assert len(current_memberships(olu)) == 1
        for membership in Membership.objects.filter(user=olu):
            membership.is_active = False
            membership.save(update_fields=["is_active"])
        assert not can_administer(user=olu)
        assert current_memberships(olu) == ()


@pytest.mark.parametrize("reads_only", [False, True], ids=["a form", "a page"])
def test_when_a_membership_is_ended_by_an_update_mid_request_it_is_forgotten_too(persona, reads_only: bool) -> None:
    # An update sends no signal: the statement itself ends what the request remembered.
    olu = persona("olu")
    with scopes_remembered(reads_only=reads_only):
        assert can_administer(user=olu)
        Membership.objects.filter(user=olu).update(is_active=False)
        assert not can_administer(user=olu)
