"""Identity matching: earlier contacts, consultations and cases about the same adult.

The protocol wants consultation details "recorded and ... drawn upon if
further concerns come about in relation to that individual". People are
recorded once per organisation and spelled as the caller spelled them, so
names are compared with ``rapidfuzz`` (tolerant of a slip such as "Chriss",
a short forename such as "Chris" for "Christopher", or names given surname
first), alongside the date of birth and the employer. Every record comes
through ``threshold.access``: a match never reveals a record the viewer may
not see, nor one about the viewer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.utils import timezone
from rapidfuzz import fuzz

from threshold.access import fetch
from threshold.accounts.models import Organisation, User
from threshold.core.references import reference_key
from threshold.lado.models import Case, Contact, Level

# A name scoring this much (0-100) is "similar"; below it, only a shared date of
# birth makes a match. 85 keeps "Chris Coach" ~ "Chriss Coach" and "Kris Coach"
# and leaves out "Chris Cook" (76).
SIMILAR_NAME = 85
# With the same date of birth a weaker name likeness is enough (a changed surname).
NAME_WITH_BIRTH_DATE = 60
SIMILAR_EMPLOYER = 90

_NOT_LETTERS = re.compile(r"[^\w\s]")


def _tokens(name: str) -> list[str]:
    return _NOT_LETTERS.sub(" ", name.casefold()).split()


def name_similarity(first: str, second: str) -> float:
    """How alike two names are, 0 to 100, forgiving order, spelling slips and short forenames."""
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

    @property
    def label(self) -> str:
        """The kind of record, as people say it."""
        return {"contact": "Contact", "consultation": "Consultation", "case": "LADO case"}[self.kind]

    @property
    def url_name(self) -> str:
        """The page the record lives on."""
        return "case_detail" if self.kind == "case" else "contact_detail"


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
    score = name_similarity(name, their_name)
    same_birth = date_of_birth is not None and date_of_birth == their_birth
    reasons: list[str] = []
    if same_birth:
        reasons.append("Same date of birth")
    if same_name(name, their_name):
        reasons.append("Same name")
    elif score >= SIMILAR_NAME or (same_birth and score >= NAME_WITH_BIRTH_DATE):
        reasons.append(f"Similar name ({their_name})")
    else:
        # A date of birth or an employer alone is shared by too many people to suggest a match.
        return (), score
    employer = employer_similarity(employer_name, their_employer)
    if employer_name.strip() and same_name(employer_name, their_employer):
        reasons.append("Same employer")
    elif employer >= SIMILAR_EMPLOYER:
        reasons.append(f"Similar employer ({their_employer})")
    return tuple(reasons), score


def _with_decisions(
    matched: list[tuple[Contact, tuple[str, ...], float]],
) -> list[tuple[Contact, tuple[str, ...], float]]:
    """The matched contacts with their decisions loaded in one query (scoring every contact needs none)."""
    prefetch_related_objects([contact for contact, _, _ in matched], "decisions")
    return matched


def _contact_kind(contact: Contact) -> str | None:
    """Consultations and undecided contacts are shown; a contact that became a case shows as its case."""
    # Decisions are prefetched for the matched contacts only, newest first (Decision.Meta.ordering).
    decisions = list(contact.decisions.all())
    decision = decisions[0] if decisions else None
    if decision is None:
        return "contact"
    return "consultation" if decision.level == Level.CONSULTATION else None


def _candidates(user: User, local_authority: Organisation | None) -> tuple[Iterable[Contact], Iterable[Case]]:
    # Decisions are fetched afterwards, for the contacts that matched only (_with_decisions).
    contacts = fetch.visible_contacts(user, "view")
    cases = fetch.visible_cases(user, "view").select_related("subject")
    if local_authority is not None:
        contacts = contacts.filter(local_authority=local_authority)
        cases = cases.filter(local_authority=local_authority)
    return contacts, cases


def previous_about(
    user: User,
    *,
    local_authority: Organisation | None,
    name: str,
    date_of_birth: dt.date | None = None,
    employer_name: str = "",
    exclude_contact: int | None = None,
) -> list[Match]:
    """Earlier contacts, consultations and cases that may be about this adult, strongest first.

    Limited to one local authority's LADO service (None: every service the
    user reaches) and to what ``user`` may view. ``exclude_contact`` is the
    contact being looked at: neither it nor the case it opened is "earlier".
    """
    found: list[Match] = []
    contacts, cases = _candidates(user, local_authority)
    matched = []
    for contact in contacts:
        if contact.pk == exclude_contact:
            continue
        reasons, score = why_matched(
            name=name,
            date_of_birth=date_of_birth,
            employer_name=employer_name,
            their_name=contact.adult_name,
            their_birth=contact.adult_date_of_birth,
            their_employer=contact.employer_name,
        )
        if reasons:
            matched.append((contact, reasons, score))
    for contact, reasons, score in _with_decisions(matched):
        kind = _contact_kind(contact)
        if kind is not None:
            found.append(_contact_match(contact, kind, reasons, score))
    for case in cases:
        if exclude_contact is not None and case.contact_id == exclude_contact:
            continue  # the contact's own case is not an earlier record
        reasons, score = why_matched(
            name=name,
            date_of_birth=date_of_birth,
            employer_name=employer_name,
            their_name=case.adult_name or case.subject.full_name,
            their_birth=case.adult_date_of_birth or case.subject.date_of_birth,
            their_employer=case.employer_name,
        )
        if reasons:
            found.append(_case_match(case, reasons, score))
    return sorted(found, key=lambda match: (-len(match.reasons), -match.score, -match.on.toordinal()))


def _contact_match(contact: Contact, kind: str, reasons: tuple[str, ...], score: float) -> Match:
    return Match(
        kind=kind,
        record_id=contact.pk,
        reference=contact.reference,
        name=contact.adult_name,
        date_of_birth=contact.adult_date_of_birth,
        employer_name=contact.employer_name,
        on=timezone.localdate(contact.received_at),
        summary=contact.summary,
        reasons=reasons,
        score=score,
    )


def _case_match(case: Case, reasons: tuple[str, ...], score: float) -> Match:
    return Match(
        kind="case",
        record_id=case.pk,
        reference=case.reference,
        name=case.adult_name or case.subject.full_name,
        date_of_birth=case.adult_date_of_birth or case.subject.date_of_birth,
        employer_name=case.employer_name,
        on=timezone.localdate(case.opened_at),
        summary=case.summary,
        reasons=reasons,
        score=score,
    )


def search_records(user: User, *, name: str = "", reference: str = "", employer_name: str = "") -> list[Match]:
    """The search page: LADO contacts, consultations and cases by adult's name, reference or employer.

    Names are matched as ``previous_about`` matches them; a reference is a
    case's (``LADO-7KQ2-9MXD``) or a contact's (``CT-4HWN-R2FB``), compared
    as ``reference_key`` reduces them (case, spaces and hyphens do not
    matter); an employer is
    matched on its name, tolerant of spelling. Criteria given together must
    all hold.
    """
    contacts, cases = _candidates(user, None)
    reference = reference_key(reference)
    results: list[Match] = []
    matched = []
    for contact in contacts:
        reasons = _search_reasons(
            name=name,
            reference=reference,
            employer_name=employer_name,
            their_name=contact.adult_name,
            their_reference=contact.reference,
            their_employer=contact.employer_name,
        )
        if reasons is not None:
            matched.append((contact, reasons, name_similarity(name, contact.adult_name)))
    for contact, reasons, score in _with_decisions(matched):
        results.append(_contact_match(contact, _contact_kind(contact) or "contact", reasons, score))
    for case in cases:
        their_name = case.adult_name or case.subject.full_name
        reasons = _search_reasons(
            name=name,
            reference=reference,
            employer_name=employer_name,
            their_name=their_name,
            their_reference=case.reference,
            their_employer=case.employer_name,
        )
        if reasons is not None:
            results.append(_case_match(case, reasons, name_similarity(name, their_name)))
    return sorted(results, key=lambda match: (-match.score, -match.on.toordinal(), match.reference))


def _search_reasons(
    *, name: str, reference: str, employer_name: str, their_name: str, their_reference: str, their_employer: str
) -> tuple[str, ...] | None:
    """Why a record answers the search, or None when a criterion given does not hold."""
    reasons: list[str] = []
    if name.strip():
        score = name_similarity(name, their_name)
        if score < SIMILAR_NAME:
            return None
        reasons.append("Same name" if same_name(name, their_name) else f"Similar name ({their_name})")
    if reference:
        if reference_key(their_reference) != reference:
            return None
        reasons.append("Same reference")
    if employer_name.strip():
        score = employer_similarity(employer_name, their_employer)
        if score < SIMILAR_EMPLOYER:
            return None
        reasons.append(
            "Same employer" if same_name(employer_name, their_employer) else f"Similar employer ({their_employer})"
        )
    return tuple(reasons) if reasons else None
