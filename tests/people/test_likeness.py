"""The matching verdict (``threshold.people.likeness``): names, dates of birth, and how likely a match is."""

from __future__ import annotations

import datetime as dt

import pytest

from threshold.people.likeness import (
    DIFFERENT,
    POSSIBLY,
    PROBABLY,
    SAME,
    SLIP,
    UNKNOWN,
    Likeness,
    birth_date_slips,
    birth_relation,
    likeness,
    settle,
)

BORN = dt.date(1984, 3, 7)


def _judge(name: str, born: dt.date | None, their_name: str, their_birth: dt.date | None) -> Likeness:
    return likeness(
        name=name,
        date_of_birth=born,
        employer_name="",
        their_name=their_name,
        their_birth=their_birth,
        their_employer="",
    )


def test_a_conflicting_date_of_birth_lowers_a_matching_name_to_possibly() -> None:
    unknown = _judge("Marcus Pendleton", BORN, "Marcus Pendleton", None)
    conflicting = _judge("Marcus Pendleton", BORN, "Marcus Pendleton", dt.date(1962, 11, 30))
    assert unknown.level == PROBABLY
    assert conflicting.level == POSSIBLY
    assert conflicting.reasons == ("Same name", "Different date of birth")


def test_a_different_date_of_birth_is_outweighed_only_by_a_name_nobody_else_among_the_candidates_has() -> None:
    alone = _judge("Marcus Pendleton", BORN, "Marcus Pendleton", dt.date(1962, 11, 30))
    assert settle([(alone, "Marcus Pendleton", dt.date(1962, 11, 30))]) == [PROBABLY]
    namesake = _judge("Marcus Pendleton", BORN, "Marcus Pendleton", dt.date(1971, 5, 2))
    assert settle(
        [(alone, "Marcus Pendleton", dt.date(1962, 11, 30)), (namesake, "Marcus Pendleton", dt.date(1971, 5, 2))]
    ) == [POSSIBLY, POSSIBLY]


def test_a_namesake_with_another_date_of_birth_is_only_possible_beside_someone_born_the_same_day() -> None:
    married = _judge("Rebecca Holloway", BORN, "Rebecca Lindqvist", BORN)
    namesake = _judge("Rebecca Holloway", BORN, "Rebecca Holloway", dt.date(1961, 3, 3))
    levels = settle([(married, "Rebecca Lindqvist", BORN), (namesake, "Rebecca Holloway", dt.date(1961, 3, 3))])
    assert levels == [PROBABLY, POSSIBLY]


def test_a_surname_changed_by_marriage_matches_on_the_same_date_of_birth_and_given_name() -> None:
    married = _judge("Rebecca Holloway", BORN, "Rebecca Lindqvist", BORN)
    assert married.level == PROBABLY
    assert married.reasons == ("Same date of birth", "Part of the name in common (Rebecca Lindqvist)")
    # Without the date of birth a shared given name is nothing: every Rebecca would match.
    assert _judge("Rebecca Holloway", None, "Rebecca Lindqvist", BORN).level is None


@pytest.mark.parametrize(
    ("name", "their_name"),
    [
        ("Anna Kowalczyk", "Anna Maria Kowalczyk"),  # a middle name left out
        ("Joseph Edward Harrington", "Joseph Harrington"),  # one added
        ("Maria Kowalczyk", "Anna Maria Kowalczyk"),  # known by the middle name
    ],
)
def test_a_missing_middle_name_still_matches(name: str, their_name: str) -> None:
    assert _judge(name, None, their_name, None).level == PROBABLY
    assert _judge(name, BORN, their_name, BORN).reasons == ("Same date of birth", f"Similar name ({their_name})")


def test_a_missing_given_name_or_surname_matches_on_the_rest_and_the_date_of_birth() -> None:
    assert _judge("Fairweather", BORN, "Hannah Fairweather", BORN).level == PROBABLY
    assert _judge("Gareth", BORN, "Gareth Llewellyn", BORN).level == PROBABLY
    # Without the date of birth one word of a name is for a person to check.
    assert _judge("Fairweather", None, "Hannah Fairweather", BORN).level == POSSIBLY


@pytest.mark.parametrize(
    ("their_birth", "relation"),
    [
        (BORN, SAME),
        (dt.date(1984, 7, 3), SLIP),  # day and month swapped
        (dt.date(1984, 3, 17), SLIP),  # a digit mistyped
        (dt.date(1948, 3, 7), SLIP),  # two neighbouring digits swapped
        (dt.date(1962, 11, 30), DIFFERENT),
        (None, UNKNOWN),
    ],
)
def test_dates_of_birth_compare_with_room_for_one_slip(their_birth: dt.date | None, relation: str) -> None:
    assert birth_relation(BORN, their_birth) == relation


def test_a_date_one_slip_apart_with_both_names_alike_is_probably_the_same_adult() -> None:
    slipped = _judge("Siobhan Gallagher", dt.date(1984, 12, 3), "Siobhan Gallagher", dt.date(1984, 3, 12))
    assert slipped.level == PROBABLY
    assert slipped.reasons == ("Date of birth one slip apart", "Same name")


def test_the_slips_of_a_date_are_real_dates_only() -> None:
    slips = birth_date_slips(dt.date(1990, 2, 28))
    assert dt.date(1990, 2, 18) in slips
    assert dt.date(1990, 2, 28) not in slips
    assert all(isinstance(day, dt.date) for day in slips)  # "1990-02-29" and "1990-82-28" are not dates


@pytest.mark.parametrize(
    ("name", "their_name"),
    [
        ("Tom Ashworth", "Thomas Ashworth"),  # a nickname
        ("Ashworth, Thomas", "Thomas Ashworth"),  # surname first
        ("Zoe Castellano", "Zoë Castellano"),  # an accent
        ("Niamh OSullivan", "Niamh O'Sullivan"),  # an apostrophe
        ("Chloe Hayes", "Chloe Dunmore-Hayes"),  # one part of a double surname
        ("Samuel Fereira", "Samuel Ferreira"),  # a letter missed
    ],
)
def test_everyday_spellings_of_a_name_are_probably_the_same_adult(name: str, their_name: str) -> None:
    assert _judge(name, None, their_name, None).level == PROBABLY


def test_a_shared_date_of_birth_alone_is_not_a_match() -> None:
    assert _judge("Tom Teacher", BORN, "Chris Coach", BORN).level is None
