"""A scope remembered for the request never outlives the write it was worked out from (``scopes_remembered``).

A page may change a membership, an organisation or an account inside a service's transaction and then refuse
and roll back. A scope worked out between the write and the rollback saw the uncommitted row: it must not be
answered again for the rest of the request, or the reach the rollback took away would still be given.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from threshold.access.scope import scope_for, scopes_remembered
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.demo import world

pytestmark = pytest.mark.django_db


class Refused(Exception):
    """The service changed its mind after the write (a validation error, a conflict)."""


def _refused_after(write: Callable[[], object], seen_inside: Callable[[], bool]) -> None:
    """Write, check what the scope says inside the transaction, then refuse: the transaction rolls back."""
    with transaction.atomic():
        write()
        assert seen_inside()
        raise Refused


def _end_memberships(user: User) -> None:
    for membership in Membership.objects.filter(user=user):
        membership.is_active = False
        membership.save(update_fields=["is_active"])


def test_a_lado_role_given_and_rolled_back_mid_request_gives_hana_no_reach_for_the_rest_of_it(persona) -> None:
    hana = persona("hana")
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    with scopes_remembered():
        assert not scope_for(hana).lado_read
        with pytest.raises(Refused):
            _refused_after(
                lambda: Membership.objects.create(user=hana, organisation=northshire, role=Role.LADO),
                lambda: northshire.pk in scope_for(hana).lado_read,
            )
        assert not Membership.objects.filter(user=hana, organisation=northshire).exists()
        assert not scope_for(hana).lado_read


def test_a_membership_ended_and_rolled_back_mid_request_leaves_lara_her_reach(persona) -> None:
    lara = persona("lara")
    with scopes_remembered():
        reach = set(scope_for(lara).lado_read)
        assert reach
        with pytest.raises(Refused):
            _refused_after(lambda: _end_memberships(lara), lambda: not scope_for(lara).lado_read)
        assert scope_for(lara).lado_read == reach
