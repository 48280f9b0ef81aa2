"""Forms for Tier 2 monitoring, quality assurance, reviews of delay, the conclusion and closure.

Dates are GOV.UK date inputs (three boxes each), as on the employer's forms:
``CaseForm`` (``threshold.core.forms``) turns them into dates and puts a
service's errors beside the boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from threshold.core.forms import CaseForm, CleanCharField, VersionedForm, WrittenForm, apply_validation_error
from threshold.core.vocabularies import Outcome
from threshold.lado.models import Case
from threshold.lado.models.cases import QualityAssuranceDecision, RegulatedActivity
from threshold.lado.services.conclusion import BodyReferralAnswer, conclusion_errors


def _text(label: str, required_message: str | None = None, max_length: int = 10000) -> forms.CharField:
    return CleanCharField(
        label=label,
        required=required_message is not None,
        max_length=max_length,
        error_messages={
            "required": required_message or "",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def _choice(label: str, choices: Any, required_message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class ScheduleReviewForm(CaseForm):
    """When the next Tier 2 monitoring review is due."""

    DATES = {"due_on": ("The date of the review", "Enter the date of the review")}


class CompleteReviewForm(VersionedForm):
    """A monitoring review done: when, and what it found about the employer's progress."""

    DATES = {"done_on": ("The date of the review", "Enter the date of the review")}
    notes = _text("What the review found", "Enter what the review found about the employer's progress")


class QualityAssuranceForm(WrittenForm):
    """The LADO accepts or challenges the employer's outcome, with reasons."""

    decision = _choice(
        "Your decision on the employer's outcome",
        QualityAssuranceDecision.choices,
        "Choose whether you accept or challenge the employer's outcome",
    )
    reasons = _text("Reasons", "Enter the reasons for your decision")

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's validation errors beside the fields."""
        apply_validation_error(self, error)


class DelayReviewForm(CaseForm):
    """The monthly review of a case past three months, with the reason for delay."""

    DATES = {"reviewed_on": ("The date of the review", "Enter the date of the review")}
    reason = _text("Reason for the delay", "Enter the reason for the delay")


YES_NO = [("yes", "Yes"), ("no", "No")]


class ConclusionForm(VersionedForm):
    """The conclusion: outcome, date, summary for the employer, lessons, and each referral confirmed or explained.

    ``bodies`` are the bodies to ask about (``body_questions``): each has
    ``<body>_referred`` (yes or no), ``<body>_referred_on``,
    ``<body>_reference`` and ``<body>_explanation``. ``no_meeting_reason``
    and ``no_quality_assurance_reason`` are asked only when the case lacks
    what its tier needs before it concludes (``closing_rules``); the service's
    rules (``conclusion_errors``) are said with the form's own errors.
    """

    outcome = _choice("Outcome", Outcome.choices, "Choose the outcome")
    summary = _text("Summary of the conclusion, for the employer", "Enter a summary of the conclusion for the employer")
    lessons = _text("Lessons learned")
    # The DBS duty (SVGA 2006) turns on it; optional, "not known" is an answer (``referral_facts``).
    regulated_activity = forms.ChoiceField(
        choices=RegulatedActivity.choices,
        required=False,
        error_messages={"invalid_choice": "Choose whether the adult was removed from regulated activity, or not known"},
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        bodies: Sequence[str],
        meeting_reason: bool = False,
        quality_assurance_reason: bool = False,
        missing: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        self.case = case
        self.bodies = list(bodies)
        # The data set items still missing (``dataset_missing``): each asks why it is not recorded.
        self.missing = list(missing)
        # Each form has its own dates: the class's would be shared between requests.
        self.DATES = {
            "concluded_on": ("The date the case concluded", "Enter the date the case concluded"),
            **{f"{body}_referred_on": ("The date of the referral", None) for body in self.bodies},
        }
        super().__init__(*args, **kwargs)
        for body in self.bodies:
            self.fields[f"{body}_referred"] = forms.ChoiceField(choices=YES_NO, required=False)
            self.fields[f"{body}_reference"] = _text("Reference", None, 100)
            self.fields[f"{body}_explanation"] = _text("Why no referral was made")
        if meeting_reason:
            self.fields["no_meeting_reason"] = _text("Why no strategy meeting or LADO-chaired meeting was held")
        if quality_assurance_reason:
            self.fields["no_quality_assurance_reason"] = _text(
                "Why the case concludes without the employer's outcome accepted"
            )
        for key in self.missing:
            self.fields[f"missing_{key}"] = _text("Why it is not recorded", None, 1000)

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The conclusion's rules (each body's referral, what the tier and data set lack, the date's bounds)."""
        return conclusion_errors(
            self.case,
            outcome=data.get("outcome") or "",
            concluded_on=data.get("concluded_on"),
            summary=data.get("summary") or "",
            referrals=self.referrals(),
            regulated_activity=data.get("regulated_activity") or "",
            missing_reasons=self.missing_reasons(),
            **self.reasons(),
        )

    def missing_reasons(self) -> dict[str, str]:
        """The reason given for each data set item still missing, as ``case_conclude`` takes them."""
        return {key: self.cleaned_data.get(f"missing_{key}", "") for key in self.missing}

    def reasons(self) -> dict[str, str]:
        """The reasons the case concludes without a meeting or quality assurance, as ``case_conclude`` takes them."""
        return {name: self.cleaned_data.get(name, "") for name in ("no_meeting_reason", "no_quality_assurance_reason")}

    def referrals(self) -> list[BodyReferralAnswer]:
        """One entry per body, as ``case_conclude`` takes them (``referred`` None when not answered)."""
        data = self.cleaned_data
        entries: list[BodyReferralAnswer] = []
        for body in self.bodies:
            answer = data.get(f"{body}_referred")
            entries.append(
                {
                    "body": body,
                    "referred": {"yes": True, "no": False}.get(answer or ""),
                    "referred_on": data.get(f"{body}_referred_on"),
                    "reference": data.get(f"{body}_reference", ""),
                    "explanation": data.get(f"{body}_explanation", ""),
                }
            )
        return entries


class CloseForm(VersionedForm):
    """Closing a concluded case: only the version it was loaded with."""
