"""Both sides of one matter on the page: the employer's outcome for the LADO, the LADO's word for the employer.

The employer's outcome shows on the LADO's contact and case; the LADO's advice and decision show on the
employer's allegation (``lado.services.employer_link``).

The LADO sees what the employer concluded and whether it still waits for their agreement; the employer sees the
LADO's advice, the level decided, when, and what the protocol asks them to do next, never the LADO's own notes
(the rationale, an override's reason, the pack's workings).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.allegations.duties import latest_outcome
from threshold.allegations.models import Allegation
from threshold.jinja2 import govuk_date
from threshold.lado.models import Contact
from threshold.lado.services.employer_link import (
    employer_next_steps,
    level_for_employer,
    managing_contact,
    outcome_agreement,
)


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def employer_outcome_section(contact: Contact | None, *, may_decide: bool) -> dict[str, Any] | None:
    """The section "The employer's outcome" of a contact or case from an allegation in Threshold (else None)."""
    if contact is None or contact.allegation_id is None:
        return None
    allegation = contact.allegation
    assert allegation is not None
    outcome = latest_outcome(allegation)
    section: dict[str, Any] = {"rows": [], "link": None, "state": None, "employer": allegation.organisation.name}
    if outcome is None:
        return section
    agreement = outcome_agreement(outcome)
    section["state"] = agreement.state
    section["rows"] = [
        _row("Outcome", outcome.get_outcome_display()),
        _row("Date of the outcome", govuk_date(outcome.concluded_on)),
        _row("Recorded by the employer", govuk_date(outcome.recorded_at)),
        _row("Agreed with the LADO", agreement.text),
    ]
    if may_decide and agreement.state == "waiting":
        section["link"] = {
            "href": reverse("contact_employer_outcome", args=[contact.pk]),
            "text": "Agree or disagree with the employer's outcome",
        }
    return section


# The words beside a contact's status once the employer has recorded an outcome, by the LADO's answer.
OUTCOME_TAGS = {
    "waiting": "Employer's outcome recorded: waiting for the LADO's agreement",
    "agreed": "Employer's outcome agreed",
    "not_agreed": "Employer's outcome not agreed",
}


def employer_outcome_tag(section: dict[str, Any] | None) -> str:
    """The words beside the contact's status once the employer has recorded an outcome (else empty).

    ``section`` is the contact's ``employer_outcome_section``, which the page shows too.
    """
    if section is None or section["state"] is None:
        return ""
    return OUTCOME_TAGS[section["state"]]


def listed_outcome_tag(contact: Contact) -> str:
    """``employer_outcome_tag`` for a row of a list that fetched its outcomes with the page (no query of its own).

    The list prefetched ``lado.list_selectors.EMPLOYER_OUTCOMES``: the allegation's outcomes and the LADO's
    answers to each. The latest outcome stands (as ``latest_outcome``), and its latest answer (as
    ``outcome_agreement``).
    """
    allegation = contact.allegation if contact.allegation_id else None
    outcomes = list(allegation.outcomes.all()) if allegation is not None else []
    if not outcomes:
        return ""
    latest = max(outcomes, key=lambda outcome: (outcome.recorded_at, outcome.pk))
    answers = sorted(latest.lado_responses.all(), key=lambda answer: (answer.recorded_at, answer.pk), reverse=True)
    if not answers:
        return OUTCOME_TAGS["waiting"]
    return OUTCOME_TAGS["agreed" if answers[0].agreed else "not_agreed"]


def lado_word_section(allegation: Allegation) -> dict[str, Any] | None:
    """The LADO's advice and decision on the employer's allegation (None when it was not referred in Threshold)."""
    contact = managing_contact(allegation)
    if contact is None:
        return None
    rows = [_row("LADO service", f"{contact.local_authority.name}, contact {contact.reference}")]
    if contact.advice_given_at:
        rows.append(_row("Advice given", govuk_date(contact.advice_given_at)))
        rows.append(_row("The LADO's advice", contact.advice))
    decision = contact.decisions.first()
    if decision is None:
        rows.append(_row("Decision", "Not decided yet"))
    else:
        tiers = any(level.id.startswith("tier-") for level in allegation.organisation.pack_in_force().levels)
        decided = level_for_employer(decision, employer_tiers=tiers)
        rows.append(_row("Decision", f"{decided}, on {govuk_date(decision.recorded_at)}"))
        rows.append(_row("What the LADO asks you to do", " ".join(employer_next_steps(decision))))
    return {"rows": rows}


def outcome_agreement_text(allegation: Allegation) -> str:
    """For the employer's outcome: the LADO's agreement, or that it waits for it ("" when not LADO-managed)."""
    outcome = latest_outcome(allegation)
    if outcome is None or managing_contact(allegation) is None:
        return ""
    return outcome_agreement(outcome).text
