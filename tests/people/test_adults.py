"""Whether two person records may be the same adult (``threshold.people.adults``)."""

from __future__ import annotations

import datetime as dt

import pytest

from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.people.adults import group_same_adults, same_adult_reasons
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


def _person(name: str, school: str, **extra: object) -> Person:
    organisation = Organisation.objects.get(name=school)
    return Person.objects.create(organisation=organisation, employer=organisation, full_name=name, **extra)


def test_a_slip_in_the_name_at_another_school_is_the_same_adult(demo_world: None) -> None:
    first = _person("Chris Coach", world.OAKFIELD)
    second = _person("Chriss Coach", world.HILLCREST)
    assert same_adult_reasons(first, second) == ("Similar name (Chriss Coach)",)


def test_a_changed_surname_with_the_same_date_of_birth_is_the_same_adult(demo_world: None) -> None:
    born = dt.date(1990, 3, 4)
    first = _person("Chris Coach", world.OAKFIELD, date_of_birth=born)
    second = _person("Chris Coachman", world.HILLCREST, date_of_birth=born)
    assert "Same date of birth" in same_adult_reasons(first, second)


def test_a_different_adult_and_two_different_accounts_are_not_matched(demo_world: None, persona) -> None:
    assert same_adult_reasons(_person("Chris Coach", world.OAKFIELD), _person("Dana Driver", world.OAKFIELD)) == ()
    tom = _person("Tom Teacher", world.OAKFIELD, user=persona("tom"))
    other = _person("Tom Teacher", world.HILLCREST, user=persona("dev"))
    assert same_adult_reasons(tom, other) == ()


def test_records_are_grouped_by_adult(demo_world: None) -> None:
    chris = _person("Chris Coach", world.OAKFIELD)
    chriss = _person("Chriss Coach", world.HILLCREST)
    dana = _person("Dana Driver", world.OAKFIELD)
    assert group_same_adults([chris, dana, chriss]) == [[chris, chriss], [dana]]


def test_a_record_like_two_different_account_holders_never_joins_them_into_one_adult(demo_world: None, persona) -> None:
    tom = _person("Tom Teacher", world.OAKFIELD, user=persona("tom"))
    typed = _person("Tom Teacher", world.HILLCREST)
    other = _person("Tom Teacher", world.HILLCREST, user=persona("dev"))
    groups = group_same_adults([tom, typed, other])
    assert [person for group in groups for person in group if person.user_id] == [tom, other]
    assert not any(tom in group and other in group for group in groups)
