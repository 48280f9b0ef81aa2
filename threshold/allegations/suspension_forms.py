"""Forms for the suspension and the police: the risk assessment, the adult's support, police involvement.

The appendix 3 risk assessment with section 6.1's discussions, support for the adult and its progress updates
(6.2), and police involvement with 5.3's review date: each says the service's checks with its other errors.
"""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.allegations.forms import MAX_RISK_ROWS, RISK_FIELDS, RISK_ROWS, _choice, _text
from threshold.allegations.models import Allegation, ConsentToShare, InformingObjection, SuspensionDecision
from threshold.allegations.police_and_suspension import (
    police_review_asked,
    police_sharing_asked,
)
from threshold.allegations.services.suspension import police_errors, risk_assessment_errors, support_errors
from threshold.core.forms import CaseForm, VersionedForm


class RiskAssessmentForm(CaseForm):
    """Appendix 3: the risk table, the alternatives to suspension and the decision."""

    DATES = {
        "review_on": ("The agreed review date", "Enter the agreed review date"),
        # Each, or the reason below: the service says which is missing (policy 6.1).
        "hr_discussed_on": ("The date the options were discussed with HR", None),
        "lado_reviewed_on": ("The date the options were reviewed with the LADO", None),
        "decided_on": ("The date of the decision", "Enter the date of the decision"),
    }
    context = _text("Context", "Enter the context of the risk assessment")
    additional_notes = _text("Additional notes")
    period_for_measures = _text("Period for measures", "Enter the period for the measures", 200)
    decision = _choice("The suspension decision", SuspensionDecision.choices, "Choose the decision")
    decision_reason = _text("Why this decision was taken", "Enter why the decision was taken")
    not_discussed_reason = _text("Why the options were not discussed with HR or the LADO before the decision")

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The service's rules (the rows, each alternative's reason, the dates, 6.1's discussions), with the rest."""
        if self.allegation is None:
            return {}
        return risk_assessment_errors(
            self.allegation,
            rows=self.rows(),
            alternatives=self.alternatives(),
            context=data.get("context") or "",
            period_for_measures=data.get("period_for_measures") or "",
            review_on=data.get("review_on"),
            decision=data.get("decision") or "",
            decided_on=data.get("decided_on"),
            decision_reason=data.get("decision_reason") or "",
            hr_discussed_on=data.get("hr_discussed_on"),
            lado_reviewed_on=data.get("lado_reviewed_on"),
            not_discussed_reason=data.get("not_discussed_reason") or "",
        )

    def __init__(
        self,
        *args: Any,
        alternatives: list[str],
        row_count: int = RISK_ROWS,
        allegation: Allegation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # None only for the page shown again with one more row, which checks nothing.
        self.allegation = allegation
        self.alternative_texts = alternatives
        # How many rows the page shows; the page posts it back in a hidden ``row_count``.
        self.row_count = max(1, min(row_count, MAX_RISK_ROWS))
        for i in range(self.row_count):
            for field in RISK_FIELDS:
                self.fields[f"row_{i}_{field}"] = _text(field.replace("_", " ").capitalize())
        for i in range(len(alternatives)):
            self.fields[f"alternative_{i}_used"] = forms.BooleanField(required=False)
            self.fields[f"alternative_{i}_reason"] = _text("Why it was or was not used")

    def rows(self) -> list[dict[str, str]]:
        """The appendix 3 rows, as typed."""
        return [
            {field: self.cleaned_data.get(f"row_{i}_{field}", "") for field in RISK_FIELDS}
            for i in range(self.row_count)
        ]

    def alternatives(self) -> list[dict[str, Any]]:
        """Each alternative with whether it was used and why."""
        rows = [
            {
                "text": text,
                "used": self.cleaned_data.get(f"alternative_{i}_used"),
                "reason": self.cleaned_data.get(f"alternative_{i}_reason", ""),
            }
            for i, text in enumerate(self.alternative_texts)
        ]
        # The last row is the case manager's own option: left out when left empty.
        if rows and not rows[-1]["used"] and not rows[-1]["reason"]:
            rows.pop()
        return rows


class SupportForm(VersionedForm):
    """Section 6.2: informing and supporting the adult; ``version`` is the id of the record standing when opened."""

    DATES = {"informed_on": ("The date the adult was informed", None)}
    informed_of = _text("What the adult was told")
    objection = _choice(
        "Do the police or children's social care object to the adult being told?",
        InformingObjection.choices,
        "Choose whether the police or children's social care object to the adult being told",
    )
    objection_detail = _text("What they asked, and when it is reviewed")
    representative_name = _text("Named representative", "Enter the named representative", 200)
    representative_contact = _text(
        "Representative's contact details", "Enter the representative's contact details", 200
    )
    union_advised = forms.BooleanField(required=False)
    eap_offered = forms.BooleanField(required=False)
    occupational_health_offered = forms.BooleanField(required=False)

    def __init__(self, *args: Any, allegation: Allegation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation = allegation

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """What was told with its date, and an objection with what was asked, with the form's other errors."""
        return support_errors(
            self.allegation,
            informed_on=data.get("informed_on"),
            informed_of=data.get("informed_of") or "",
            representative_name=data.get("representative_name") or "",
            representative_contact=data.get("representative_contact") or "",
            objection=data.get("objection") or "",
            objection_detail=data.get("objection_detail") or "",
        )


class ProgressUpdateForm(CaseForm):
    """A progress update given to the adult."""

    DATES = {"given_on": ("The date of the update", "Enter the date of the update")}
    text = _text("What the adult was told", "Enter what the adult was told")


class PoliceForm(CaseForm):
    """Police involvement, consent to share statements, and when their investigation's progress is next reviewed.

    The date is asked while the police are involved on an open allegation (policy 5.3), and ignored otherwise, even
    half typed (GOV.UK: an answer to a question that no longer applies is not checked). Once the police have been
    involved, it asks what was shared on the completion of their part, kept only with the answer "No" (5.3).
    """

    DATES = {"next_review_on": ("The date of the next review", None)}

    involved = forms.TypedChoiceField(
        label="Are the police involved?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose whether the police are involved"},
    )
    police_reference = _text("Police reference", None, 100)
    consent_to_share = _choice(
        "Consent to share statements and evidence",
        ConsentToShare.choices,
        "Choose whether consent to share statements was obtained",
    )
    proceedings_authorised = forms.BooleanField(required=False)
    information_shared = _text("Information shared on completion")
    notes = _text("Notes")

    def __init__(self, *args: Any, allegation: Allegation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation = allegation
        # Whether the page shows the date at all: not once the allegation is concluded.
        self.asks_review = police_review_asked(allegation, involved=True)
        # Whether it asks what was shared on completion (policy 5.3): once the police have been involved.
        self.asks_sharing = police_sharing_asked(allegation.police_records.all(), involved=False)

    def clean(self) -> dict[str, Any]:
        """Answers to questions that no longer apply are dropped, a half-typed review date's error with them."""
        data = super().clean()
        if not (self.asks_sharing and data.get("involved") is False):
            data["information_shared"] = ""  # answered "Yes", or never asked: not kept
        if not police_review_asked(self.allegation, involved=bool(data.get("involved"))):
            self.errors.pop("next_review_on_day", None)
            data["next_review_on"] = None
        return data

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The police service's rules (the review date while involved, the authority), with the other errors."""
        return police_errors(
            self.allegation,
            involved=bool(data.get("involved")),
            consent_to_share=data.get("consent_to_share") or "",
            proceedings_authorised=bool(data.get("proceedings_authorised")),
            next_review_on=data.get("next_review_on"),
        )
