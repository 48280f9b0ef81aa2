"""The adults a LADO service's import meets: one person for each adult, whether met in an earlier row or record.

One adult in several rows is one person: the same name and date of birth (or the same name, both without a
date of birth) within a run, or an adult of this service recorded with the same name and date of birth before.
A name alone never joins an adult to an earlier record (ADR 0034). What a run remembers of each adult is kept
on disk (``imports.ledger``, ADR 0038), not in memory; a batch's earlier adults are read in one query before it
is written.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from threshold.accounts.models import Organisation, User
from threshold.core.names import without_hidden_characters
from threshold.imports.checking import CheckedRow, adult_name
from threshold.imports.columns import folded
from threshold.imports.ledger import Ledger
from threshold.lado.services.contacts import adult_person, member_named_exactly
from threshold.people.models import Person, PersonKind
from threshold.people.subjects import users_not_about

RECENT_PEOPLE = 1000
Named = tuple[str, dt.date]


def tidy_name(name: str) -> str:
    """A name as people write it: spaces collapsed, and a word in "SMITH" or "smith" capitalised as "Smith"."""
    words = without_hidden_characters(name).split()
    return " ".join(word.title() if word.isupper() or word.islower() else word for word in words)


def adult_key(values: Mapping[str, Any]) -> tuple[str, dt.date | None] | None:
    """What joins rows about one adult (name and date of birth); None for a row without a name, which joins none."""
    name = folded(adult_name(values))
    return (name, values.get("adult_date_of_birth")) if name else None


class ServiceAdults:
    """The people a run has met or made for its rows' adults, by name and date of birth."""

    def __init__(self, *, local_authority: Organisation, recorded_by: User | None, members: list[User]) -> None:
        self.local_authority = local_authority
        self.recorded_by = recorded_by
        self.members = members
        # Each adult met, by folded name and date of birth, to their person's id; and the adults a dry run counted.
        self.ledger = Ledger()
        # The people met last, kept whole (most rows about one adult are near each other); the rest by id only.
        self.recent: OrderedDict[int, Person] = OrderedDict()
        # The batch's earlier adults by exact name and birth (``look_ahead``); None outside a batch.
        self._earlier: dict[Named, Person | None] | None = None

    def look_ahead(self, rows: Iterable[CheckedRow]) -> None:
        """Read the earlier adults the batch's ``rows`` name, in one query; ``earlier`` answers from them after."""
        wanted: set[Named] = set()
        for checked in rows:
            name, born = tidy_name(adult_name(checked.values)), checked.values.get("adult_date_of_birth")
            if name and born is not None:
                wanted.add((name, born))
        found: dict[Named, Person | None] = dict.fromkeys(wanted)
        if wanted:
            people = Person.objects.filter(
                organisation=self.local_authority,
                kind=PersonKind.ADULT,
                full_name__in=sorted({name for name, _ in wanted}),
                date_of_birth__in=sorted({born for _, born in wanted}),
            ).order_by("-pk")
            for person in people:  # the lowest id last, so the first recorded is the one kept, as ``earlier`` reads
                if person.date_of_birth is not None and (named := (person.full_name, person.date_of_birth)) in found:
                    found[named] = person
        self._earlier = found

    def look_ahead_dropped(self) -> None:
        """Forget what ``look_ahead`` read (a row changed an adult's name or birth): ``earlier`` queries again."""
        self._earlier = None

    def person(self, values: Mapping[str, Any], *, employer: Organisation | None) -> tuple[Person, bool]:
        """The row's adult's person record, and whether this row made it."""
        name = tidy_name(adult_name(values))
        born = values.get("adult_date_of_birth")
        key = adult_key(values)
        known = self.ledger.get("adults", key) if key is not None else None
        if known is not None:
            return self._person(known), False
        earlier = self.earlier(name, born)
        if earlier is not None and key is not None:
            self.ledger.put("adults", key, earlier.pk)
            self._remember(earlier)
            return earlier, False
        person = adult_person(
            local_authority=self.local_authority,
            name=name,
            born=born,
            role=str(values.get("adult_role") or ""),
            employer=employer,
            # A member of the service named exactly is linked, so subject exclusion hides the record from them;
            # a name that could mean a member stays hidden from them through rule 2's name keys.
            user=member_named_exactly(local_authority=self.local_authority, name=name, members=self.members)
            if name
            else None,
        )
        if key is not None:
            self.ledger.put("adults", key, person.pk)
        if self._earlier is not None and name and born is not None and self._earlier.get((name, born)) is None:
            # A later row of the batch naming this adult exactly finds them, as a query would have.
            self._earlier[(name, born)] = person
        self._remember(person)
        return person, True

    def earlier(self, name: str, born: dt.date | None) -> Person | None:
        """An adult of this service recorded before with this name and this (known) date of birth, if any."""
        if born is None or not name:
            return None
        if self._earlier is not None and (name, born) in self._earlier:
            earlier = self._earlier[(name, born)]
        else:
            # The authority's own adults are the subjects of its contacts and cases (it records people for
            # nothing else): found on its (organisation, full_name) index, without joining every contact and case.
            earlier = (
                Person.objects.filter(
                    organisation=self.local_authority, kind=PersonKind.ADULT, full_name=name, date_of_birth=born
                )
                .order_by("pk")
                .first()
            )
        # One who is or could be the person importing is never joined: the figures would tell them it exists.
        if earlier is not None and self.recorded_by is not None and not users_not_about(earlier, [self.recorded_by]):
            return None
        return earlier

    def counted_before(self, key: tuple[str, dt.date | None]) -> bool:
        """Whether a dry run has counted this adult already (it writes no person to find again); counted now."""
        if ("counted", key) in self.ledger:
            return True
        self.ledger.put("counted", key)
        return False

    def close(self) -> None:
        """Forget the adults the run has met (their ledger's file goes with it)."""
        self.ledger.close()

    def _person(self, pk: int) -> Person:
        """A person this run has met, from the few kept in memory or read again."""
        person = self.recent.pop(pk, None) or Person.objects.get(pk=pk)
        self._remember(person)
        return person

    def _remember(self, person: Person) -> None:
        self.recent[person.pk] = person
        if len(self.recent) > RECENT_PEOPLE:
            self.recent.popitem(last=False)
