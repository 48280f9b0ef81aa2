"""The decision form's yes/no questions that weigh an allegation, and how their answers read back.

Checkboxes cannot tell "no" from "not answered", so the questions the pack may need
answered are radios:

- the Working Together definition, which the protocol makes Tier 1 ("All cases of
  physical, sexual, emotional abuse or neglect (as defined by Working Together 2013) …
  will be managed at Tier 1"); the pack asks it when emotional abuse or neglect is chosen;
- the restraint distinction ("There is also a need to distinguish between allegations
  of assault and the legitimate use of physical intervention or restraint …");
- criterion 3's balancing ("In such cases the adult may be the injured party or
  vulnerable in some other way … it will be necessary to evidence a direct impact of
  this on his/her role with children before considering this within the allegations
  procedures").

The answers are policy facts, stored with the decision (``Decision.facts``), and the
decision summary shows them in words (``recorded_answers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class Question:
    """One yes/no question: its form field, the fact it answers, its wording, and how it reads back."""

    field: str
    fact: str
    label: str
    hint: str
    summary: str


QUESTIONS = (
    Question(
        "working_together",
        "meets_working_together_abuse_definition",
        "Is it an allegation of abuse as defined by Working Together?",
        "Answer this if the category is emotional abuse or neglect. “All cases of physical, sexual, emotional abuse"
        " or neglect (as defined by Working Together 2013) … will be managed at Tier 1.”",
        "Abuse as defined by Working Together",
    ),
    Question(
        "physical_intervention",
        "legitimate_physical_intervention",
        "Was it the legitimate use of physical intervention or restraint?",
        "For physical contact. “There is also a need to distinguish between allegations of assault and the legitimate"
        " use of physical intervention or restraint to protect a child/children from harming themselves or others,"
        " or damaging property.” Answer No if it is an allegation of assault.",
        "Legitimate physical intervention or restraint (not an allegation of assault)",
    ),
    Question(
        "adult_vulnerable",
        "adult_injured_party_or_vulnerable",
        "May the adult be the injured party or vulnerable in some other way?",
        "Answer this when the concern is about the adult's suitability (criterion 3). “Examples include adults who"
        " are victims of Domestic Abuse, are experiencing mental health problems or suffering as a result of alcohol"
        " or substance misuse.”",
        "Criterion 3: the adult may be the injured party or vulnerable",
    ),
    Question(
        "direct_impact",
        "direct_impact_on_role_with_children",
        "Is there evidence of a direct impact on the adult's role with children?",
        "Answer this if the adult may be the injured party or vulnerable. “In these circumstances it will be necessary"
        " to evidence a direct impact of this on his/her role with children before considering this within the"
        " allegations procedures.”",
        "Criterion 3: evidence of a direct impact on the role with children",
    ),
)

ANSWERED_QUESTIONS: Mapping[str, str] = {question.field: question.fact for question in QUESTIONS}
"""Form field to policy fact, for the decision form's yes/no answers."""

QUESTION_ERROR_FIELDS: Mapping[str, str] = {question.fact: question.field for question in QUESTIONS}
"""Policy fact to form field: the pack's "answer this" message goes beside its question."""


def question_field(field: str) -> forms.ChoiceField:
    """The yes/no radio for the question asked by ``field`` (optional: unanswered means not known)."""
    question = next(q for q in QUESTIONS if q.field == field)
    return forms.ChoiceField(
        label=question.label,
        help_text=question.hint,
        choices=[("", ""), ("yes", "Yes"), ("no", "No")],
        required=False,
        error_messages={"invalid_choice": f"Choose yes or no: {question.label[0].lower()}{question.label[1:]}"},
    )


def recorded_answers(facts: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The answers a decision recorded to these questions, as summary list rows (unanswered ones are left out)."""
    rows: list[dict[str, Any]] = []
    for question in QUESTIONS:
        value = (facts or {}).get(question.fact)
        if isinstance(value, bool):
            rows.append({"key": {"text": question.summary}, "value": {"text": "Yes" if value else "No"}})
    return rows
