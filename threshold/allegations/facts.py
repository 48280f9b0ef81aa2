"""The facts the policy engine is given about an allegation: the triage's answers, then its own records.

Read by the services (when they decide what to ask or advise), by ``threshold.allegations.advice`` (the tier,
the advice and policy 6.4's targets, which the page shows and ``services.deadlines`` keeps as deadlines) and by
the presenters. It reads and never writes, so it imports no service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from threshold.accounts.models import Organisation
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import Allegation
from threshold.concerns.models import Concern
from threshold.policy import HARM_THRESHOLD_FACTS, Facts, FactsError, parse_facts


def _setting_type(organisation: Organisation) -> str:
    return {
        OrganisationKind.SCHOOL: "school",
        OrganisationKind.ACADEMY_TRUST: "school",
        OrganisationKind.EARLY_YEARS: "early_years",
    }.get(organisation.kind, "other")  # type: ignore[call-overload]


def concern_part(concern: Concern | None, name: str) -> Any:
    """A concern's triage or details (one-to-one records of the concerns app), if there are any."""
    if concern is None:
        return None
    try:
        return getattr(concern, name)
    except ObjectDoesNotExist:
        return None


def concern_part_of(allegation: Allegation, name: str) -> Any:
    """The triage or details of the concern the allegation was opened from, if there are any."""
    return concern_part(allegation.concern, name)


def triage_of(allegation: Allegation) -> Any:
    """The triage decision on the concern the allegation was opened from (None if there is none)."""
    return concern_part_of(allegation, "triage")


def triage_facts(allegation: Allegation) -> dict[str, Any]:
    """The facts the concern was triaged on (empty for an allegation opened without a triaged concern)."""
    triage = triage_of(allegation)
    return dict(triage.facts) if triage is not None and isinstance(triage.facts, dict) else {}


def incident_date(allegation: Allegation) -> dt.date | None:
    """When the incident happened, as the referral (the latest) or else the triage recorded it."""
    referral = allegation.referrals.first()
    if referral is not None and referral.incident_date:
        return referral.incident_date
    given = triage_facts(allegation).get("incident_date")
    return dt.date.fromisoformat(given) if isinstance(given, str) else None


def escalation_answers(allegation: Allegation) -> dict[str, bool]:
    """The harm threshold's limbs as answered when a low-level concern was escalated (empty otherwise).

    The triage answered them so that the concern was low-level; escalating it says the threshold may now be met,
    so these answers replace the triage's for the allegation's tier and its advice.
    """
    answers = allegation.threshold_answers if isinstance(allegation.threshold_answers, dict) else {}
    return {name: value for name, value in answers.items() if name in HARM_THRESHOLD_FACTS and isinstance(value, bool)}


def allegation_facts(allegation: Allegation, **extra: Any) -> dict[str, Any]:
    """The facts the policy engine is given about this allegation.

    Starts from the facts the concern was triaged on (harm-threshold limbs,
    injury, pattern …), with the limbs answered again when a low-level concern
    was escalated, then adds what the allegation itself records. The
    allegation's own yes/no facts started from the triage's answers when it
    was opened (``allegation_open_in_transaction``), so "Is the adult a
    teacher? Yes" at triage is still Yes here unless the case manager has
    since answered No on the allegation. A date the allegation leaves empty
    (the day the adult left) is left out, never given as a blank.
    """
    facts = triage_facts(allegation)
    if escalated := escalation_answers(allegation):
        # The limbs answered again replace all four of the triage's: one "not known" now is not the triage's "No".
        facts = {name: value for name, value in facts.items() if name not in HARM_THRESHOLD_FACTS} | escalated
    facts |= {
        "works_with_children": True,
        "adult_identified": True,
        "subject_is_teacher": allegation.subject_is_teacher,
        "subject_employment": allegation.subject_employment,
        "setting_type": _setting_type(allegation.organisation),
        "interim_prohibition_order": allegation.interim_prohibition_order,
        "reported_on": allegation.attention_date().isoformat(),
        "allegation_date": allegation.attention_date().isoformat(),
    }
    if allegation.subject.date_of_birth:
        facts["subject_date_of_birth"] = allegation.subject.date_of_birth.isoformat()
    if allegation.left_employment_on:
        # Appendix 4: "a supply worker who is no longer teaching" (the pack reads a leaving date as that).
        facts["left_employment_on"] = allegation.left_employment_on.isoformat()
    facts.update({key: value for key, value in extra.items() if value is not None})
    return facts


def checked_facts(allegation: Allegation, **extra: Any) -> Facts:
    """The facts, checked by the engine; the triage facts are dropped if they no longer fit together."""
    try:
        return parse_facts(allegation_facts(allegation, **extra))
    except FactsError:
        triage = concern_part_of(allegation, "triage")
        own = allegation_facts(allegation, **extra)
        kept = _OWN_FACTS | escalation_answers(allegation).keys()
        for key in triage.facts if triage is not None and isinstance(triage.facts, dict) else ():
            if key not in extra and key not in kept:
                own.pop(key, None)
        return parse_facts(own)


_OWN_FACTS = {
    "works_with_children",
    "adult_identified",
    "subject_is_teacher",
    "subject_employment",
    "setting_type",
    "interim_prohibition_order",
    "reported_on",
    "allegation_date",
    "subject_date_of_birth",
    "left_employment_on",
}
