"""Whether two descriptions of an adult may be the same person, how likely, and why: the matching verdict.

Pure Python (rapidfuzz and ``threshold.core.names``): no database. The
database chooses a bounded set of candidates by stored keys
(``threshold.people.record_keys``); this module judges each candidate.

A name is read as words (case, accents, look-alike letters and apostrophes
do not matter; "Coach, Chris" is surname first): the first word is the given
name, the last the surname, any between middle names. Two names agree in a
**part** when a given name or surname is alike: the same, a nickname or
longer form ("Bob", "Robert"; "Chris", "Christopher"), one typing slip
("Kylb", "Kyle"), or a high rapidfuzz ratio. The **date of birth** is the
same, one slip apart (a digit mistyped, two neighbouring digits swapped, day
and month swapped), different, or not known on one side.

Verdicts (``PROBABLY`` is what the contact page calls "probably the same
adult"; ``bench/febrl.py`` measures it):

- the same date of birth and a name part in common (a surname changed by
  marriage; a given name or surname left out) or the whole names alike —
  probably;
- both name parts alike and the date of birth one slip apart or not known —
  probably, unless another person of that name is among the candidates
  (``settle``): then possibly;
- both name parts alike and a different date of birth — possibly: the
  conflicting date counts against. Only when nobody else of that name is
  among the candidates, and nobody is probably the adult by their date of
  birth, does the name outweigh it (``settle``);
- a part in common with a date one slip apart, a one-word name that is part
  of the other, or the whole names alike (``name_similarity``) — possibly,
  for a person to check;
- a date of birth or an employer alone — never.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from threshold.core.names import TITLES, given_name_variants, skeleton

# A whole name scoring this much (0-100, ``name_similarity``) is "similar": it keeps "Chris Coach" ~ "Chriss Coach"
# and "Kris Coach" and leaves out "Chris Cook" (76).
SIMILAR_NAME = 85
# With the same date of birth a weaker likeness of the whole name is worth a look (a changed surname).
NAME_WITH_BIRTH_DATE = 60
SIMILAR_EMPLOYER = 90
# A given name or surname this alike (0-100, ``part_similarity``) agrees.
PART_AGREES = 85

PROBABLY = "probably"
POSSIBLY = "possibly"

SAME = "same"
SLIP = "slip"
DIFFERENT = "different"
UNKNOWN = "unknown"

_NOT_LETTERS = re.compile(r"[^\w\s]")
_WORD_PARTS = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")

Word = tuple[str, ...]  # a word's forms: the word with its hyphens removed, then each hyphenated part


def _tokens(name: str) -> list[str]:
    return _NOT_LETTERS.sub(" ", name.casefold()).split()


def name_similarity(first: str, second: str) -> float:
    """How alike two whole names are, 0 to 100, forgiving order, spelling slips and short forenames."""
    a, b = _tokens(first), _tokens(second)
    if not a or not b:
        return 0.0
    score = fuzz.token_sort_ratio(" ".join(a), " ".join(b))
    surname = fuzz.ratio(a[-1], b[-1])
    if surname >= 90 and len(a) > 1 and len(b) > 1:
        short, long_ = sorted((a[0], b[0]), key=len)
        forename = 100.0 if len(short) >= 3 and long_.startswith(short) else fuzz.ratio(a[0], b[0])
        score = max(score, (surname + forename) / 2)
    return float(score)


def same_name(first: str, second: str) -> bool:
    """The same words, whatever their case, punctuation or order."""
    return bool(_tokens(first)) and sorted(_tokens(first)) == sorted(_tokens(second))


def employer_similarity(first: str, second: str) -> float:
    """How alike two employers' names are, 0 to 100 (word order and small words forgiven)."""
    if not first.strip() or not second.strip():
        return 0.0
    return float(fuzz.token_set_ratio(" ".join(_tokens(first)), " ".join(_tokens(second))))


@functools.lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[Word, ...]:
    """A name's words in order, given names first: compared form, titles left out, "Surname, Given" turned round.

    Cached: a page compares one name with up to a few hundred candidates, and names repeat.
    """
    plain = _APOSTROPHES.sub("", skeleton(name))
    if "," in plain:
        surname, _, given = plain.partition(",")
        plain = f"{given} {surname}"
    words: list[Word] = []
    for chunk in plain.split():
        parts = _WORD_PARTS.findall(chunk)
        if parts:
            words.append(("".join(parts), *parts) if len(parts) > 1 else (parts[0],))
    untitled = tuple(word for word in words if word[0] not in TITLES)
    return untitled or tuple(words)


@functools.lru_cache(maxsize=65536)
def _word_similarity(first: str, second: str, *, given: bool) -> float:
    if first == second:
        return 100.0
    short, long_ = sorted((first, second), key=len)
    if given and (second in given_name_variants(first) or (len(short) >= 3 and long_.startswith(short))):
        return 95.0  # "Bob" for "Robert", "Chris" for "Christopher"
    if len(short) >= 3 and DamerauLevenshtein.distance(first, second) <= 1:
        return 88.0  # one letter mistyped, missed, added, or two swapped
    return float(fuzz.ratio(first, second))


def part_similarity(first: Word, second: Word, *, given: bool = False) -> float:
    """How alike two words of names are, 0 to 100: the best of their forms (a hyphenated word and its parts).

    ``given`` compares given names: a nickname or a shortened form counts as
    well as the same name. Surnames do not ("Coach" is not "Coachman").
    """
    return max(_word_similarity(a, b, given=given) for a in first for b in second)


def _given_similarity(first: Sequence[Word], second: Sequence[Word]) -> float:
    """The best agreement between any given or middle name of one and any of the other (a middle name left out)."""
    return max(part_similarity(a, b, given=True) for a in first for b in second)


@dataclass(frozen=True)
class NameAgreement:
    """How two names agree: both parts (``both``, the weaker part's score) and any word of one with one of the other."""

    both: float
    any_part: bool


def name_agreement(first: Sequence[Word], second: Sequence[Word]) -> NameAgreement:
    """Given name with given name and surname with surname, or the two turned round; and any word with any word."""
    if not first or not second:
        return NameAgreement(both=0.0, any_part=False)
    any_part = any(part_similarity(a, b) >= PART_AGREES for a in first for b in second)
    if len(first) < 2 or len(second) < 2:
        return NameAgreement(both=0.0, any_part=any_part)
    as_written = min(_given_similarity(first[:-1], second[:-1]), part_similarity(first[-1], second[-1]))
    turned = min(part_similarity(first[0], second[-1]), part_similarity(first[-1], second[0]))
    return NameAgreement(both=max(as_written, turned), any_part=any_part)


@functools.lru_cache(maxsize=4096)
def birth_date_slips(born: dt.date) -> frozenset[dt.date]:
    """The real dates one slip from ``born`` as written YYYYMMDD.

    A slip is a digit mistyped, two neighbouring digits swapped, or day for month.
    """
    digits = born.strftime("%Y%m%d")
    spellings = {digits[:4] + digits[6:] + digits[4:6]}
    for index in range(8):
        spellings.update(digits[:index] + digit + digits[index + 1 :] for digit in "0123456789")
        if index < 7:
            spellings.add(digits[:index] + digits[index + 1] + digits[index] + digits[index + 2 :])
    dates = set()
    for spelling in spellings:
        try:
            dates.add(dt.date(int(spelling[:4]), int(spelling[4:6]), int(spelling[6:])))
        except ValueError:
            continue  # not a date: no record holds it
    dates.discard(born)
    return frozenset(dates)


def birth_relation(first: dt.date | None, second: dt.date | None) -> str:
    """``SAME``, ``SLIP`` (one slip apart), ``DIFFERENT`` or ``UNKNOWN`` (not recorded on one side)."""
    if first is None or second is None:
        return UNKNOWN
    if first == second:
        return SAME
    return SLIP if second in birth_date_slips(first) else DIFFERENT


@dataclass(frozen=True)
class Likeness:
    """The verdict on one pair: ``level`` (``PROBABLY``, ``POSSIBLY`` or None), the reasons, the whole-name score.

    ``birth`` is how the dates of birth compare and ``both_parts`` whether
    both parts of the names agree: what ``settle`` weighs against the other
    candidates.
    """

    level: str | None
    reasons: tuple[str, ...]
    score: float
    birth: str
    both_parts: bool


def likeness(
    *,
    name: str,
    date_of_birth: dt.date | None,
    employer_name: str,
    their_name: str,
    their_birth: dt.date | None,
    their_employer: str,
) -> Likeness:
    """Whether the adult described second may be the one described first, how likely, and why (module docstring)."""
    score = name_similarity(name, their_name)
    words, their_words = name_words(name), name_words(their_name)
    agreement = name_agreement(words, their_words)
    both = agreement.both >= PART_AGREES
    one_word = min(len(words), len(their_words)) == 1
    birth = birth_relation(date_of_birth, their_birth)
    level: str | None = None
    if (birth == SAME and (agreement.any_part or score >= SIMILAR_NAME)) or (both and birth in (SLIP, UNKNOWN)):
        level = PROBABLY
    elif (
        both
        or score >= SIMILAR_NAME
        or (agreement.any_part and (birth == SLIP or (one_word and birth == UNKNOWN)))
        or (birth == SAME and score >= NAME_WITH_BIRTH_DATE)
    ):
        level = POSSIBLY
    if level is None:
        # A date of birth or an employer alone is shared by too many people to suggest a match.
        return Likeness(level=None, reasons=(), score=score, birth=birth, both_parts=both)
    reasons = [_birth_reason(birth)] if birth in (SAME, SLIP) else []
    if same_name(name, their_name):
        reasons.append("Same name")
    elif both or score >= SIMILAR_NAME or (birth == SAME and score >= NAME_WITH_BIRTH_DATE):
        reasons.append(f"Similar name ({their_name})")
    else:
        reasons.append(f"Part of the name in common ({their_name})")
    if birth == DIFFERENT:
        reasons.append("Different date of birth")
    if employer_name.strip() and same_name(employer_name, their_employer):
        reasons.append("Same employer")
    elif employer_similarity(employer_name, their_employer) >= SIMILAR_EMPLOYER:
        reasons.append(f"Similar employer ({their_employer})")
    return Likeness(level=level, reasons=tuple(reasons), score=score, birth=birth, both_parts=both)


def _birth_reason(birth: str) -> str:
    return "Same date of birth" if birth == SAME else "Date of birth one slip apart"


def why_matched(
    *,
    name: str,
    date_of_birth: dt.date | None,
    employer_name: str,
    their_name: str,
    their_birth: dt.date | None,
    their_employer: str,
) -> tuple[tuple[str, ...], float]:
    """The reasons two descriptions of an adult may be the same person (none: not a match), and the name score."""
    found = likeness(
        name=name,
        date_of_birth=date_of_birth,
        employer_name=employer_name,
        their_name=their_name,
        their_birth=their_birth,
        their_employer=their_employer,
    )
    return found.reasons, found.score


def settle(verdicts: Iterable[tuple[Likeness, str, dt.date | None]]) -> list[str | None]:
    """Each candidate's level in the light of the others: ``(likeness, their name, their birth)`` in, levels out.

    A verdict that rests on the name alone (the date of birth different or
    not known) depends on how many people of that name there are. When the
    candidates hold one person whose name agrees in both parts (one name and
    date of birth, however many records carry them), the name speaks for
    them: not known stays probable, and a different date of birth is
    outweighed (a mistyped date) unless another candidate is probably the
    adult by the same date of birth. When they hold several, the name does
    not say which: those verdicts are only possible.
    """
    verdicts = list(verdicts)
    namesakes = {
        (tuple(word[0] for word in name_words(their_name)), their_birth)
        for found, their_name, their_birth in verdicts
        if found.both_parts
    }
    born_alike = any(found.level == PROBABLY and found.birth in (SAME, SLIP) for found, _name, _birth in verdicts)
    levels: list[str | None] = []
    for found, _name, _birth in verdicts:
        level = found.level
        if found.both_parts and found.birth == UNKNOWN:
            level = PROBABLY if len(namesakes) == 1 else POSSIBLY
        elif found.both_parts and found.birth == DIFFERENT:
            level = PROBABLY if len(namesakes) == 1 and not born_alike else POSSIBLY
        levels.append(level)
    return levels
