"""Match keys of the adult a LADO contact or case is about: what "previous records" and search select candidates by.

Pure Python. Each record stores a dozen or so short keys
(``people.AdultKey``, written by ``people.models.adult_keys_write``); a
query is turned into the keys a match could carry, each with a weight, and
the database returns the records sharing the most weight, at most
``CANDIDATES`` of them, for ``threshold.people.likeness`` to judge.

Key shapes (words as ``likeness.name_words`` reads them, a hyphenated word as
itself and as each part):

- ``s:smith`` the surname (the last word); ``g:john`` each given or middle name;
- ``p:s53`` the sound of every word (``core.names.surname_code``: an untruncated
  Soundex, so vowel slips and doubled letters agree), whatever its place;
- ``i:js`` the initials of the first given name and the surname;
- ``b:1980-01-31`` the date of birth;
- ``e:oakfield`` each distinctive word of the employer's name.

A query looks for every word as surname and as given name (names come in
either order), for its initials both ways round, and for its date of birth
and every date one slip from it (``likeness.birth_date_slips``), so a record
whose date was mistyped is still a candidate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from threshold.core.names import surname_code
from threshold.people.likeness import Word, birth_date_slips, name_words

# How many candidates the database hands to the verdict, per kind of record. Bounded so a page's cost does not
# grow with the authority's history; far more than one adult's records.
CANDIDATES = 200
KEY_LENGTH = 120

# Employer words too common to tell employers apart; kept only when the name has nothing else.
_EMPLOYER_FILLER = frozenset(
    {
        "the",
        "of",
        "and",
        "st",
        "school",
        "primary",
        "secondary",
        "academy",
        "college",
        "nursery",
        "infant",
        "infants",
        "junior",
        "church",
        "ce",
        "rc",
        "c",
        "e",
        "club",
        "trust",
        "ltd",
        "limited",
        "council",
        "services",
        "service",
    }
)

# Weights of the keys a query looks for: what a shared key says about the adult.
SURNAME_WEIGHT = 3
BIRTH_WEIGHT = 3
GIVEN_WEIGHT = 2
SOUND_WEIGHT = 1
INITIALS_WEIGHT = 1
SLIPPED_BIRTH_WEIGHT = 1
EMPLOYER_WEIGHT = 1


def _key(prefix: str, value: str) -> str:
    return f"{prefix}{value}"[:KEY_LENGTH]


def _forms(words: Iterable[Word]) -> set[str]:
    return {form for word in words for form in word}


def employer_words(employer_name: str) -> set[str]:
    """The words that tell an employer apart ("Oakfield Primary School" → ``{"oakfield"}``)."""
    words = _forms(name_words(employer_name))
    distinctive = {word for word in words if word not in _EMPLOYER_FILLER}
    return distinctive or words


def adult_keys(*, name: str, date_of_birth: dt.date | None, employer_name: str) -> frozenset[str]:
    """The keys a record stores for its adult: name parts, their sounds, initials, date of birth, employer."""
    words = name_words(name)
    keys: set[str] = set()
    if words:
        surname, given = words[-1:], words[:-1]
        keys.update(_key("s:", form) for form in _forms(surname))
        keys.update(_key("g:", form) for form in _forms(given))
        keys.update(_key("p:", surname_code(form)) for form in _forms(words))
        if given:
            keys.add(_key("i:", given[0][0][0] + surname[0][0][0]))
    if date_of_birth is not None:
        keys.add(f"b:{date_of_birth.isoformat()}")
    keys.update(_key("e:", word) for word in employer_words(employer_name))
    return frozenset(keys)


def name_query(name: str) -> dict[str, int]:
    """The keys a record about someone of this name could carry, with their weights."""
    words = name_words(name)
    wanted: dict[str, int] = {}
    for form in _forms(words):
        wanted[_key("s:", form)] = SURNAME_WEIGHT
        wanted[_key("g:", form)] = GIVEN_WEIGHT
        wanted.setdefault(_key("p:", surname_code(form)), SOUND_WEIGHT)
    if len(words) > 1:
        first, last = words[0][0][0], words[-1][0][0]
        wanted[_key("i:", first + last)] = INITIALS_WEIGHT
        wanted[_key("i:", last + first)] = INITIALS_WEIGHT
    return wanted


def birth_query(date_of_birth: dt.date | None) -> dict[str, int]:
    """The date of birth's key, and the keys of the dates one slip from it (a lighter weight)."""
    if date_of_birth is None:
        return {}
    wanted = {f"b:{slipped.isoformat()}": SLIPPED_BIRTH_WEIGHT for slipped in birth_date_slips(date_of_birth)}
    wanted[f"b:{date_of_birth.isoformat()}"] = BIRTH_WEIGHT
    return wanted


def employer_query(employer_name: str) -> dict[str, int]:
    """The keys of the employer's distinctive words."""
    return {_key("e:", word): EMPLOYER_WEIGHT for word in employer_words(employer_name)}


def surnames_of(name: str) -> list[str]:
    """The surname keys of a typed name's words, for a trigram likeness on PostgreSQL (``s:`` + each form)."""
    return sorted(_key("s:", form) for form in _forms(name_words(name)))
