"""Identity matching: earlier contacts, consultations and cases about the same adult, and the LADO search.

The protocol wants consultation details "recorded and ... drawn upon if
further concerns come about in relation to that individual". People are
recorded once per organisation and spelled as the caller spelled them.

Two steps, so a page costs the same at any size of history:

1. **Candidates, in the database.** Every contact and case stores match keys
   of its adult (``people.AdultKey``: surname, given names, their sounds,
   initials, date of birth, employer words; ``record_keys``). The records
   the reader may see (``threshold.access``) that share the most weight of
   the keys a match could carry are chosen, at most ``CANDIDATES`` of each
   kind, in one query per kind. On PostgreSQL a surname or employer within a
   trigram likeness (``pg_trgm``) is a candidate too.
2. **The verdict, in Python** (``likeness``): rapidfuzz and the name and
   date-of-birth rules say whether each candidate is probably or possibly
   the same adult, and why.

Every record comes through ``threshold.access``: a match never reveals a
record the viewer may not see, nor one about the viewer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Model, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone

from threshold.access import fetch
from threshold.access.figures import standing_decision
from threshold.accounts.models import Organisation, User
from threshold.core.references import PREFIXES, RANDOM_CHARACTERS, reference_key
from threshold.lado.models import Case, Contact, Level
from threshold.people.likeness import (
    PROBABLY,
    SIMILAR_EMPLOYER,
    SIMILAR_NAME,
    employer_similarity,
    likeness,
    name_similarity,
    same_name,
    settle,
    why_matched,
)
from threshold.people.models import adult_key_rows
from threshold.people.record_keys import CANDIDATES, birth_query, employer_query, name_query, surnames_of
from threshold.people.services import adult_name_and_birth

__all__ = [
    "SIMILAR_EMPLOYER",
    "SIMILAR_NAME",
    "Match",
    "employer_similarity",
    "name_similarity",
    "previous_about",
    "same_name",
    "search_records",
    "why_matched",
]

R = TypeVar("R", bound=Model)

LEVEL_LABELS = {PROBABLY: "Probably the same adult", "possibly": "Possibly the same adult"}


@dataclass(frozen=True)
class Match:
    """An earlier record that may be about the same adult, and why it matched."""

    kind: str  # "contact", "consultation" or "case"
    record_id: int
    reference: str
    name: str
    date_of_birth: dt.date | None
    employer_name: str
    on: dt.date
    summary: str
    reasons: tuple[str, ...]
    score: float
    # "probably" or "possibly" the same adult (``likeness``); None for a search, which judges no one.
    level: str | None = None

    @property
    def label(self) -> str:
        """The kind of record, as people say it."""
        return {"contact": "Contact", "consultation": "Consultation", "case": "LADO case"}[self.kind]

    @property
    def url_name(self) -> str:
        """The page the record lives on."""
        return "case_detail" if self.kind == "case" else "contact_detail"

    @property
    def level_label(self) -> str:
        """The verdict in words ("Probably the same adult"), or '' for a search result."""
        return LEVEL_LABELS.get(self.level or "", "")


def _ranked(
    records: QuerySet[R], record: str, wanted: dict[str, int], *, similar: Sequence[str] = (), newest: str
) -> QuerySet[R]:
    """The records sharing the most weight of the ``wanted`` keys, heaviest (then newest) first, at most CANDIDATES.

    ``record`` names the kind (``"contact"`` or ``"case"``). The records are
    those holding a key (an ``IN`` over the keys' index, so the database
    starts from the few key rows, not the authority's records), each weighed
    by a correlated sum of its keys' weights; a key within a trigram likeness
    of one of ``similar`` (PostgreSQL only) weighs 1.
    """
    holders = adult_key_rows(record=record, keys=wanted, similar=similar)
    by_weight: defaultdict[int, list[str]] = defaultdict(list)
    for key, weight in wanted.items():
        by_weight[weight].append(key)
    weighed = models.Case(
        *(When(key__in=sorted(keys), then=Value(weight)) for weight, keys in sorted(by_weight.items(), reverse=True)),
        default=Value(1),
    )
    weight = holders.filter(**{record: OuterRef("pk")}).values(record).annotate(weight=Sum(weighed)).values("weight")
    return (
        records.filter(pk__in=holders.values(record))
        .annotate(match_weight=Subquery(weight))
        .order_by("-match_weight", f"-{newest}")[:CANDIDATES]
    )


@dataclass(frozen=True)
class _Candidate:
    """A contact or case as matching reads it: the adult as ``adult_of`` reads a record, and what a match shows."""

    kind: str  # "contact" or "case"
    record_id: int
    reference: str
    name: str
    born: dt.date | None
    employer: str
    summary: str
    at: dt.datetime  # when the contact was received or the case opened
    level: str | None  # a contact's standing decision (``_contact_kind``); None for a case


# What scoring a candidate and showing a match read of it: up to 400 candidates are read for each look, as plain
# rows (the record's own name and date of birth, else its subject's: ``adult_name_and_birth``), not as model
# instances: making a contact and its person into objects cost more than the query that found them.
_COLUMNS = ("pk", "reference", "adult_name", "adult_date_of_birth", "employer_name", "summary")
_SUBJECT = ("subject__full_name", "subject__date_of_birth")


def _read(records: QuerySet[Any], kind: str, *, ranked: bool = False) -> list[_Candidate]:
    """The candidates of one kind, in the order the query gives them (``ranked``: as ``_ranked`` orders them)."""
    at = "received_at" if kind == "contact" else "opened_at"
    level = ("latest_level",) if kind == "contact" else ()
    # A ranked list's weight is read too, though unused. The list is DISTINCT (``threshold.access``), so Django
    # would add the weight to the select list unnamed and write it out again in ORDER BY, where SQLite works the
    # correlated sum out a second time for every holder; selected by name, the order names its place (10–12 ms to
    # 6 for a contact page's 344 holders at the large authority; PostgreSQL matches the two itself).
    weight = ("match_weight",) if ranked else ()
    rows = records.values_list(*_COLUMNS, at, *_SUBJECT, *level, *weight)
    candidates = []
    for pk, reference, name, born, employer, summary, at_value, subject_name, subject_born, *rest in rows:
        adult_name, adult_born = adult_name_and_birth(name, born, subject_name, subject_born)
        candidates.append(
            _Candidate(
                kind=kind,
                record_id=pk,
                reference=reference,
                name=adult_name,
                born=adult_born,
                employer=employer,
                summary=summary,
                at=at_value,
                level=rest[0] if level else None,  # a contact's level comes before the weight, if read
            )
        )
    return candidates


def _candidates(user: User, local_authority: Organisation | None) -> tuple[QuerySet[Contact], QuerySet[Case]]:
    # Each contact's standing decision comes with it, as its level alone (``_contact_kind``): a decision's facts
    # and assessment are the table's largest columns.
    contacts = fetch.visible_contacts(user, "view").annotate(latest_level=standing_decision("level"))
    cases = fetch.visible_cases(user, "view")
    if local_authority is not None:
        contacts = contacts.filter(local_authority=local_authority)
        cases = cases.filter(local_authority=local_authority)
    return contacts, cases


def _chosen(
    contacts: QuerySet[Contact], cases: QuerySet[Case], wanted: dict[str, int], *, similar: Sequence[str]
) -> list[_Candidate]:
    """The contacts, then the cases, holding the most weight of the ``wanted`` keys (``_ranked``), as candidates."""
    return [
        *_read(_ranked(contacts, "contact", wanted, similar=similar, newest="received_at"), "contact", ranked=True),
        *_read(_ranked(cases, "case", wanted, similar=similar, newest="opened_at"), "case", ranked=True),
    ]


def _contact_kind(contact: _Candidate) -> str | None:
    """Consultations and undecided contacts are shown; a contact that became a case shows as its case."""
    if contact.level is None:
        return "contact"
    return "consultation" if contact.level == Level.CONSULTATION else None


def previous_about(
    user: User,
    *,
    local_authority: Organisation | None,
    name: str,
    date_of_birth: dt.date | None = None,
    employer_name: str = "",
    exclude_contact: int | None = None,
) -> list[Match]:
    """Earlier contacts, consultations and cases that may be about this adult: probably first, then strongest.

    Limited to one local authority's LADO service (None: every service the
    user reaches) and to what ``user`` may view. ``exclude_contact`` is the
    contact being looked at: neither it nor the case it opened is "earlier".
    Three queries, whatever the size of the history.
    """
    wanted = {**name_query(name), **birth_query(date_of_birth)}
    if not wanted:
        return []
    contacts, cases = _candidates(user, local_authority)
    if exclude_contact is not None:
        # The contact's own case is not an earlier record either.
        contacts, cases = contacts.exclude(pk=exclude_contact), cases.exclude(contact_id=exclude_contact)
    records = _chosen(contacts, cases, wanted, similar=surnames_of(name))
    verdicts = [
        (
            likeness(
                name=name,
                date_of_birth=date_of_birth,
                employer_name=employer_name,
                their_name=record.name,
                their_birth=record.born,
                their_employer=record.employer,
            ),
            record.name,
            record.born,
        )
        for record in records
    ]
    found_matches: list[Match] = []
    for record, (found, _name, _birth), level in zip(records, verdicts, settle(verdicts), strict=True):
        if level is None:
            continue
        kind = "case" if record.kind == "case" else _contact_kind(record)
        if kind is not None:
            found_matches.append(_match(record, kind, found.reasons, found.score, level))
    return sorted(
        found_matches,
        key=lambda match: (match.level != PROBABLY, -len(match.reasons), -match.score, -match.on.toordinal()),
    )


def _match(record: _Candidate, kind: str, reasons: tuple[str, ...], score: float, level: str | None) -> Match:
    """A candidate shown as a match: ``kind`` is "contact", "consultation" or "case"."""
    return Match(
        kind=kind,
        record_id=record.record_id,
        reference=record.reference,
        name=record.name,
        date_of_birth=record.born,
        employer_name=record.employer,
        on=timezone.localdate(record.at),
        summary=record.summary,
        reasons=reasons,
        score=score,
        level=level,
    )


def _stored_reference(key: str) -> str:
    """A reference as ``reference_key`` reduces it, written as references are stored (``CT-7KQ2-9MXD``)."""
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        rest = key[len(prefix) :]
        if key.startswith(prefix) and len(rest) == RANDOM_CHARACTERS:
            half = RANDOM_CHARACTERS // 2
            return f"{prefix}-{rest[:half]}-{rest[half:]}"
    return key


def search_records(user: User, *, name: str = "", reference: str = "", employer_name: str = "") -> list[Match]:
    """The search page: LADO contacts, consultations and cases by adult's name, reference or employer.

    Names are matched as ``previous_about`` matches them; a reference is a
    case's (``LADO-7KQ2-9MXD``) or a contact's (``CT-4HWN-R2FB``), compared
    as ``reference_key`` reduces them (case, spaces and hyphens do not
    matter); an employer is matched on its name, tolerant of spelling.
    Criteria given together must all hold. Candidates are chosen in the
    database (by reference, or by the name's and employer's keys), at most
    ``CANDIDATES`` of each kind.
    """
    reference = reference_key(reference)
    if not (name.strip() or reference or employer_name.strip()):
        return []
    contacts, cases = _candidates(user, None)
    if reference:
        stored = _stored_reference(reference)
        chosen = [*_read(contacts.filter(reference=stored), "contact"), *_read(cases.filter(reference=stored), "case")]
    else:
        wanted = {**name_query(name), **employer_query(employer_name)}
        chosen = _chosen(contacts, cases, wanted, similar=[*surnames_of(name), *employer_query(employer_name)])
    results: list[Match] = []
    for record in chosen:
        reasons = _search_reasons(
            name=name,
            reference=reference,
            employer_name=employer_name,
            their_name=record.name,
            their_reference=record.reference,
            their_employer=record.employer,
        )
        if reasons is not None:
            # A contact that became a case is shown as a contact here: a search finds every record.
            kind = "case" if record.kind == "case" else (_contact_kind(record) or "contact")
            results.append(_match(record, kind, reasons, name_similarity(name, record.name), None))
    return sorted(results, key=lambda match: (-match.score, -match.on.toordinal(), match.reference))


def _search_reasons(
    *, name: str, reference: str, employer_name: str, their_name: str, their_reference: str, their_employer: str
) -> tuple[str, ...] | None:
    """Why a record answers the search, or None when a criterion given does not hold."""
    reasons: list[str] = []
    if name.strip():
        if name_similarity(name, their_name) < SIMILAR_NAME:
            return None
        reasons.append("Same name" if same_name(name, their_name) else f"Similar name ({their_name})")
    if reference:
        if reference_key(their_reference) != reference:
            return None
        reasons.append("Same reference")
    if employer_name.strip():
        if employer_similarity(employer_name, their_employer) < SIMILAR_EMPLOYER:
            return None
        reasons.append(
            "Same employer" if same_name(employer_name, their_employer) else f"Similar employer ({their_employer})"
        )
    return tuple(reasons) if reasons else None
