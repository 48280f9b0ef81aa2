"""Which Threshold members a typed name could mean.

Records are about adults whose names are typed by someone else ("Mrs Head",
"H. Head", "Hana Head"). Subject exclusion only works when the record's
person is linked to the adult's own account, so services that create a person
from a typed name ask ``members_matching`` which members of the organisations
concerned the name could mean, and link the person when exactly one does.

Matching is deliberately generous within a small pool (the members of a few
organisations): a false "could be" costs the caller a question to the user,
a missed one lets a person read a record about themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from threshold.accounts.models import Membership, Organisation, User

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# token_sort_ratio at or above this is "the same full name" (a slip: "Hanna Head").
FULL_NAME_SCORE = 90
# Strengths of the weaker kinds of match, below any full-name score (90-100).
INITIAL_AND_SURNAME = 80
TITLE_AND_SURNAME = 70

# Apostrophes and hyphens join a name's parts ("O'Brien", "Smith-Jones" stay one
# word); any other punctuation separates words ("H.Head", "Head, Hana").
_JOINERS = re.compile(r"['\u2019\-]")
_SEPARATORS = re.compile(r"[^\w\s]|_")


def name_words(name: str) -> list[str]:
    """The words of a name, case, accents and punctuation ignored, titles kept."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", _JOINERS.sub("", plain)).split()


@dataclass(frozen=True)
class _Typed:
    """A typed name split into the parts matching needs."""

    words: list[str]  # without titles
    has_title: bool


def _typed(name: str) -> _Typed:
    words = name_words(name)
    kept = [word for word in words if word not in TITLES]
    return _Typed(words=kept, has_title=len(kept) < len(words))


def _strength(typed: _Typed, member_name: str) -> float:
    """How strongly the typed name means this member (0: not at all)."""
    member = [word for word in name_words(member_name) if word not in TITLES]
    if not typed.words or not member:
        return 0.0
    strength = 0.0
    score = fuzz.token_sort_ratio(" ".join(typed.words), " ".join(member))
    if score >= FULL_NAME_SCORE and len(typed.words) > 1:
        strength = float(score)
    surname, initial = member[-1], member[0][0]
    others = [word for word in typed.words if word != surname]
    # "H Head", "H. M. Head", "Head, H.": the surname once and initials only, the first the member's.
    initials_only = bool(others) and all(len(word) == 1 for word in others)
    if len(others) == len(typed.words) - 1 and initials_only and others[0] == initial:
        strength = max(strength, float(INITIAL_AND_SURNAME))
    if typed.has_title and typed.words == [surname]:
        strength = max(strength, float(TITLE_AND_SURNAME))
    return strength


def members_matching(*, name: str, organisations: Iterable[Organisation]) -> list[User]:
    """Active members of ``organisations`` whom the typed ``name`` could mean, strongest first.

    Active users with an active membership in any of ``organisations`` whose name the typed ``name``
    could mean: titles (Mr, Mrs, Ms, Miss, Mx, Dr) and punctuation ignored; full-name fuzzy match
    (rapidfuzz token_sort_ratio >= 90); or same surname with a matching first initial ("H. Head");
    or title + surname only ("Mrs Head"). Ordered by strength; empty when none.

    A bare surname ("Head") or a bare forename matches nobody: too many people
    share one. Each user appears once, however many of the organisations they
    belong to.
    """
    organisation_ids = {organisation.pk for organisation in organisations}
    typed = _typed(name)
    if not organisation_ids or not typed.words:
        return []
    user_ids = Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True).values("user_id")
    scored: list[tuple[float, User]] = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk"):
        strength = _strength(typed, user.full_name)
        if strength > 0:
            scored.append((strength, user))
    # Stable sort: equal strengths keep the name order of the query.
    scored.sort(key=lambda item: -item[0])
    return [user for _strength_value, user in scored]
