"""How Threshold compares people's names and email addresses: normalisation and match keys.

Subject exclusion (nobody sees a record about themselves) has to hold for
every ordinary way a colleague's name is written: a nickname or a longer form
("Dev", "Devendra"), a middle name, a double-barrelled surname, initials, a
title, a slip of the keyboard, a look-alike letter from another alphabet
(Cyrillic "е" for Latin "e") or an invisible character typed into the middle.

Both sides are reduced to **keys**, short strings that two spellings of one
person share. A record stores the keys of its subject's name and email
(``record_keys``); an account's keys (``account_keys``) are expanded with the
account name's variants (nicknames, one deleted or swapped letter). The record
"could be" the account when the two sets meet. Because a record's keys are
rows in the database, the rule stays a query condition (ADR 0006, ADR 0018):
``PersonKey.key IN (the reader's keys)``.

Key shapes (``P`` is an untruncated Soundex code of a surname, absorbing
vowel slips and doubled letters: "Dsl", "Dssl" and "Dsll" are all ``D24``):

- ``g:P(surname):abc`` a given name's first three letters beside a surname;
- ``i:P(surname):a`` an initial beside a surname ("D. Dsl", "L. J. Lado");
- ``s:P(surname)`` a surname alone ("Mrs Head", "Dsl" with the role "DSL");
- ``e:local@domain`` an email address without its ``+tag``, case folded.

This module is pure: no Django, no database.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from itertools import permutations

# Words that are not part of a name: how people are addressed.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd", "fr", "master"}
)
# Role words typed beside or instead of a name ("the head, Mrs Head", "DSL Dsl").
# They are dropped only as an extra reading of the name, never the last word: "Head" is also a surname.
ROLE_WORDS = frozenset(
    {
        "head",
        "headteacher",
        "headmaster",
        "headmistress",
        "principal",
        "deputy",
        "assistant",
        "teacher",
        "dsl",
        "ddsl",
        "lado",
        "manager",
        "senco",
        "coach",
        "caretaker",
        "the",
        "of",
        "and",
    }
)

# Characters with no visible form that change how a name compares or displays:
# zero-width spaces and joiners, bidirectional overrides and isolates, soft
# hyphens, word joiners, byte-order marks. Unicode category Cf holds them all;
# Cc holds control characters such as tabs typed into a name.
_HIDDEN_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs"})
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds an invisible or bidirectional control character (other than ordinary whitespace)."""
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in "\t\n\r" for char in text)


def without_hidden_characters(text: str) -> str:
    """``text`` in NFKC form with invisible and bidirectional control characters removed (what Threshold stores)."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(char for char in normal if unicodedata.category(char) not in _HIDDEN_CATEGORIES or char in "\t\n\r")


@functools.cache
def _latin_lookalikes() -> dict[str, str]:
    """Each non-Latin character that looks like a Latin letter or digit, mapped to it (Unicode's confusables table).

    The table ships with ``confusable-homoglyphs`` (Unicode's confusables.txt);
    only characters outside ASCII are mapped, to the first ASCII letter or
    digit they are confusable with.
    """
    table = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    mapping: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            latin = glyph.get("c", "")
            if len(latin) == 1 and latin.isascii() and latin.isalnum():
                mapping[char] = latin.lower()
                break
    return mapping


def skeleton(text: str) -> str:
    """``text`` reduced for comparison: NFKC, hidden characters removed, look-alikes Latin, accents dropped, folded."""
    plain = without_hidden_characters(text)
    lookalikes = _latin_lookalikes()
    plain = "".join(lookalikes.get(char, char) for char in plain)
    decomposed = unicodedata.normalize("NFKD", plain.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _word_parts(name: str) -> list[list[str]]:
    """Each whitespace-separated word of a name, compared form, as its parts (a hyphenated word has several)."""
    plain = _APOSTROPHES.sub("", skeleton(name))
    words = []
    for chunk in plain.split():
        parts = _WORD.findall(chunk)
        if parts:
            words.append([*parts, "".join(parts)] if len(parts) > 1 else parts)
    return words


def name_tokens(name: str) -> list[str]:
    """The words of a name, compared form: apostrophes join ("O'Brien"), hyphenated parts separate and joined.

    "Dev Dsl-Patel" gives ``["dev", "dsl", "patel", "dslpatel"]``: the
    double-barrelled surname matches either part or the whole.
    """
    return list(dict.fromkeys(token for parts in _word_parts(name) for token in parts))


_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def surname_code(word: str) -> str:
    """An untruncated Soundex code: the first letter, then a digit per consonant sound, repeats collapsed.

    Vowels, "h", "w" and "y" carry no code, so a vowel slip ("Lado", "Lada")
    or a doubled letter ("Dsl", "Dssl") gives the same code, while "Dsl"
    (``d24``) and "Dale" (``d4``) differ.
    """
    if not word:
        return ""
    code = [word[0]]
    previous = _SOUNDEX.get(word[0], "")
    for char in word[1:]:
        digit = _SOUNDEX.get(char, "")
        if digit and digit != previous:
            code.append(digit)
        if char not in "hw":
            previous = digit
    return "".join(code)


@functools.cache
def _nickname_table() -> dict[str, frozenset[str]]:
    """Given names and their variants both ways (PyPI ``nicknames``: "Robert" ↔ "Bob", "Bobby", "Rob")."""
    from nicknames import name_triplets  # a data package: loaded once, on first use

    table: dict[str, set[str]] = {}
    for triplet in name_triplets():
        first, second = triplet.name1.casefold(), triplet.name2.casefold()
        table.setdefault(first, set()).add(second)
        table.setdefault(second, set()).add(first)
    return {name: frozenset(variants) for name, variants in table.items()}


def given_name_variants(given: str) -> frozenset[str]:
    """A given name and the names it is often written as: its nicknames and canonical forms."""
    return frozenset({given, *_nickname_table().get(given, frozenset())})


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _substitutions(word: str) -> set[str]:
    """``word`` with one letter replaced by another (a slip of the finger: "Dec" for "Dev")."""
    return {word[:index] + letter + word[index + 1 :] for index in range(len(word)) for letter in _LETTERS}


def _slips(word: str) -> set[str]:
    """``word`` with one letter deleted or two neighbouring letters swapped (the commonest typing slips)."""
    variants = {word[:index] + word[index + 1 :] for index in range(len(word))} if len(word) > 2 else set()
    for index in range(len(word) - 1):
        variants.add(word[:index] + word[index + 1] + word[index] + word[index + 2 :])
    variants.discard("")
    return variants


def _readings(words: list[list[str]]) -> list[list[list[str]]]:
    """The ways a typed name can be read: as typed, without titles, and without role words (not the last word).

    Each reading is a list of words, each word the parts of it (``_word_parts``).
    """
    untitled = [word for word in words if not (len(word) == 1 and word[0] in TITLES)]
    readings = [words, untitled]
    if untitled:
        readings.append([word for word in untitled[:-1] if word[-1] not in ROLE_WORDS] + untitled[-1:])
    unique: list[list[list[str]]] = []
    for reading in readings:
        distinct: list[list[str]] = []
        for word in reading:
            if word not in distinct:
                distinct.append(word)
        if distinct and distinct not in unique:
            unique.append(distinct)
    return unique


def email_key(email: str) -> str:
    """An email address compared: the ``+tag`` removed, look-alikes mapped, case folded ('' for no address)."""
    plain = skeleton(email).strip()
    if "@" not in plain:
        return ""
    local, _, domain = plain.rpartition("@")
    local = local.split("+", 1)[0]
    return f"e:{local}@{domain}" if local and domain else ""


def _email_name(email: str) -> str:
    """The name an address's local part spells ("lara.lado+home@…" → "lara lado"), or ''."""
    local = skeleton(email).partition("@")[0].split("+", 1)[0]
    words = [word for word in re.split(r"[._\-]+", local) if word.isalpha()]
    return " ".join(words) if len(words) >= 2 else ""


def record_keys(*, name: str, email: str = "") -> frozenset[str]:
    """The keys of a record's subject: every reading of the typed name, its email, and the name its email spells.

    Each pair of distinct words of a reading is tried as given name and
    surname, in both orders ("Dsl, Dev"; a middle name; either part of a
    double surname). A one-letter word gives an initial key; a reading of one
    word, a surname-alone key.
    """
    keys: set[str] = set()
    names = [name, _email_name(email)] if email else [name]
    for typed in names:
        for reading in _readings(_word_parts(typed)):
            if len(reading) == 1:
                keys.update(f"s:{surname_code(part)}" for part in reading[0])
                continue
            for given_word, surname_word in permutations(reading, 2):
                for surname in surname_word:
                    code = surname_code(surname)
                    for given in given_word:
                        if len(given) == 1:
                            keys.add(f"i:{code}:{given}")
                            continue
                        for variant in given_name_variants(given):
                            keys.add(f"g:{code}:{variant[:3]}")
    if key := email_key(email):
        keys.add(key)
    return frozenset(keys)


def account_keys(*, full_name: str, emails: Iterable[str]) -> frozenset[str]:
    """The keys a record about this account could carry: its name's variants and slips, and its addresses.

    Given names are every word but the last, surnames every word but the
    first (each part of a hyphenated one, and the whole); each is widened by
    nicknames and one-letter slips, so the record side can stay as typed.
    """
    keys: set[str] = set()
    words = [parts for parts in _word_parts(full_name) if not (len(parts) == 1 and parts[0] in TITLES)]
    given_names = [token for parts in (words[:-1] or words) for token in parts]
    surnames = [token for parts in (words[1:] or words) for token in parts]
    exact_codes = {surname_code(surname) for surname in surnames}
    surname_codes = set(exact_codes)
    for surname in surnames:
        surname_codes.update(surname_code(slip) for slip in _slips(surname))
        # "Dev D.": the surname's initial alone.
        surname_codes.add(surname[0])
    given_spellings: set[str] = set()
    substituted: set[str] = set()
    for given in given_names:
        spellings = {given, *_slips(given)}
        for spelling in list(spellings):
            spellings.update(given_name_variants(spelling))
        given_spellings |= spellings
        # A replaced letter ("Dec Dsl") counts as the one slip: only beside the surname as it is.
        substituted |= _substitutions(given[:3])
        if len(given) == 2:
            # A two-letter name ("Mo") is the start of longer ones ("Moo", "Morgan", "Mohammed"): records keep
            # three letters, so every third letter is a spelling of it.
            given_spellings |= {given + letter for letter in _LETTERS}
    # A surname alone ("Mrs Head", "Dsl") must be the surname as typed, give or take its vowels: the one-letter
    # slips that widen full names would hide every "Sally" from a "Dsl".
    keys.update(f"s:{code}" for code in exact_codes)
    # A given name alone ("Dev", with the role "DSL") could be them too.
    keys.update(f"s:{surname_code(given)}" for given in given_names if len(given) > 2)
    for code in surname_codes:
        for spelling in given_spellings:
            keys.add(f"g:{code}:{spelling[:3]}")
            # A record's given name of two letters ("Mo Farah" for Mohamed) keeps two.
            keys.add(f"g:{code}:{spelling[:2]}")
            keys.add(f"i:{code}:{spelling[0]}")
    keys.update(f"g:{code}:{spelling}" for code in exact_codes for spelling in substituted)
    for email in emails:
        if key := email_key(email):
            keys.add(key)
    return frozenset(keys)


def could_be(*, name: str, email: str = "", full_name: str, emails: Iterable[str]) -> bool:
    """Whether a record about ``name``/``email`` could be about the account ``full_name``/``emails``."""
    return bool(record_keys(name=name, email=email) & account_keys(full_name=full_name, emails=emails))
