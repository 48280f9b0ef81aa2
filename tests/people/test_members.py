"""Which members a typed name could mean (``members_matching``)."""

from __future__ import annotations

import pytest

from threshold.accounts.models import Membership, Organisation, User
from threshold.core.demo import OAKFIELD, RIVERSIDE
from threshold.people.members import members_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def oakfield(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=OAKFIELD)


def names(users: list[User]) -> list[str]:
    return [user.full_name for user in users]


@pytest.mark.parametrize(
    "typed",
    [
        "Hana Head",
        "hana head",
        "Head, Hana",
        "Hanna Head",
        "Mrs Hana Head",
        "H. Head",
        "H Head",
        "Head, H.",
        "Mrs Head",
        "Ms. Head",
        "Dr H Head",
    ],
)
def test_the_ways_a_reporter_may_name_the_headteacher_all_mean_hana(typed: str, oakfield: Organisation) -> None:
    assert names(members_matching(name=typed, organisations=[oakfield])) == ["Hana Head"]


@pytest.mark.parametrize("typed", ["Head", "Hana", "", "Mrs", "T. Head", "Harriet Hope", "Mrs Heads"])
def test_a_name_that_could_mean_anyone_or_nobody_matches_nobody(typed: str, oakfield: Organisation) -> None:
    assert members_matching(name=typed, organisations=[oakfield]) == []


def test_only_members_of_the_organisations_given_are_matched(persona, demo_world: None) -> None:
    riverside = Organisation.objects.get(name=RIVERSIDE)
    assert members_matching(name="Hana Head", organisations=[riverside]) == []
    assert members_matching(name="Hana Head", organisations=[]) == []


def test_a_member_who_left_or_was_deactivated_is_not_matched(persona, oakfield: Organisation) -> None:
    tom = persona("tom")
    assert members_matching(name="Tom Teacher", organisations=[oakfield]) == [tom]
    Membership.objects.filter(user=tom, organisation=oakfield).update(is_active=False)
    assert members_matching(name="Tom Teacher", organisations=[oakfield]) == []
    Membership.objects.filter(user=tom, organisation=oakfield).update(is_active=True)
    User.objects.filter(pk=tom.pk).update(is_active=False)
    assert members_matching(name="Tom Teacher", organisations=[oakfield]) == []


def test_a_member_of_several_organisations_is_matched_once(persona, demo_world: None) -> None:
    schools = Organisation.objects.filter(name__in=["Oakfield Primary School", "Hillcrest Academy"])
    assert members_matching(name="Dev Dsl", organisations=schools) == [persona("dev")]


def test_matches_are_ordered_by_strength(oakfield: Organisation, persona) -> None:
    """A full name beats an initial, which beats a title and surname alone."""
    helen = User.objects.create_user(email="helen.head@oakfield.example", full_name="Helen Head")
    harry = User.objects.create_user(email="harry.heed@oakfield.example", full_name="H Head-Teacher")
    for user in (helen, harry):
        Membership.objects.create(user=user, organisation=oakfield, role="staff")
    assert names(members_matching(name="Helen Head", organisations=[oakfield])) == ["Helen Head"]
    assert names(members_matching(name="H. Head", organisations=[oakfield])) == ["Hana Head", "Helen Head"]
    assert names(members_matching(name="Mrs Head", organisations=[oakfield])) == ["Hana Head", "Helen Head"]
    hana_first = members_matching(name="Hana Head", organisations=[oakfield])
    assert names(hana_first) == ["Hana Head"]


def test_accents_apostrophes_and_hyphens_are_forgiven(oakfield: Organisation) -> None:
    user = User.objects.create_user(email="sian.obrien-jones@oakfield.example", full_name="Siân O'Brien-Jones")
    Membership.objects.create(user=user, organisation=oakfield, role="staff")
    assert members_matching(name="Sian OBrien-Jones", organisations=[oakfield]) == [user]
    assert members_matching(name="Miss O'Brien-Jones", organisations=[oakfield]) == [user]
    assert members_matching(name="S. O’Brien-Jones", organisations=[oakfield]) == [user]
