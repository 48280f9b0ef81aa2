"""Which members a typed name could mean (``possible_members``), and who is asked about (``typed_subject``)."""

from __future__ import annotations

import pytest

from threshold.accounts.models import Membership, Organisation, User
from threshold.demo.world import OAKFIELD, RIVERSIDE
from threshold.people.subjects import NOT_A_MEMBER, SubjectToConfirm, possible_members, typed_subject

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
        "Head",
        "Hana Jane Head",
        "Hana Head-Smith",
        "Нana Head",  # a Cyrillic Н
        "Hana",  # a given name alone
    ],
)
def test_the_ways_a_reporter_may_name_the_headteacher_all_could_mean_hana(typed: str, oakfield: Organisation) -> None:
    assert names(possible_members(name=typed, organisations=[oakfield])) == ["Hana Head"]


@pytest.mark.parametrize("typed", ["", "Mrs", "T. Head", "Harriet Hope", "Tina Hope"])
def test_a_name_that_could_mean_nobody_here_matches_nobody(typed: str, oakfield: Organisation) -> None:
    assert possible_members(name=typed, organisations=[oakfield]) == []


def test_only_members_of_the_organisations_given_are_matched(persona, demo_world: None) -> None:
    riverside = Organisation.objects.get(name=RIVERSIDE)
    assert possible_members(name="Hana Head", organisations=[riverside]) == []
    assert possible_members(name="Hana Head", organisations=[]) == []


def test_a_member_who_left_or_was_deactivated_is_not_matched(persona, oakfield: Organisation) -> None:
    tom = persona("tom")
    assert possible_members(name="Tom Teacher", organisations=[oakfield]) == [tom]
    Membership.objects.filter(user=tom, organisation=oakfield).update(is_active=False)
    assert possible_members(name="Tom Teacher", organisations=[oakfield]) == []
    Membership.objects.filter(user=tom, organisation=oakfield).update(is_active=True)
    User.objects.filter(pk=tom.pk).update(is_active=False)
    assert possible_members(name="Tom Teacher", organisations=[oakfield]) == []


def test_a_member_of_several_organisations_is_matched_once(persona, demo_world: None) -> None:
    schools = Organisation.objects.filter(name__in=["Oakfield Primary School", "Hillcrest Academy"])
    assert possible_members(name="Dev Dsl", organisations=schools) == [persona("dev")]


def test_an_exact_name_is_meant_without_asking_and_a_possible_one_is_asked_about(oakfield: Organisation, persona):
    helen = User.objects.create_user(email="helen.head@oakfield.example", full_name="Helen Head")
    Membership.objects.create(user=helen, organisation=oakfield, role="staff")
    assert typed_subject(
        name="Helen Head", organisations=[oakfield], confirmation="", field="subject_confirmation"
    ) == (helen, [])
    with pytest.raises(SubjectToConfirm) as asked:
        typed_subject(name="Mrs Head", organisations=[oakfield], confirmation="", field="subject_confirmation")
    assert names(asked.value.candidates) == ["Hana Head", "Helen Head"]
    assert "could be Hana Head or Helen Head" in asked.value.message_dict["subject_confirmation"][0]
    chosen = typed_subject(
        name="Mrs Head", organisations=[oakfield], confirmation=str(helen.pk), field="subject_confirmation"
    )
    assert chosen == (helen, [])
    nobody = typed_subject(
        name="Mrs Head", organisations=[oakfield], confirmation=NOT_A_MEMBER, field="subject_confirmation"
    )
    assert nobody == (None, [persona("hana"), helen])


def test_accents_apostrophes_and_hyphens_are_forgiven(oakfield: Organisation) -> None:
    user = User.objects.create_user(email="sian.obrien-jones@oakfield.example", full_name="Siân O'Brien-Jones")
    Membership.objects.create(user=user, organisation=oakfield, role="staff")
    assert possible_members(name="Sian OBrien-Jones", organisations=[oakfield]) == [user]
    assert possible_members(name="Miss O'Brien-Jones", organisations=[oakfield]) == [user]
    assert possible_members(name="S. O’Brien-Jones", organisations=[oakfield]) == [user]
    assert possible_members(name="Sian Jones", organisations=[oakfield]) == [user]
