"""The LADO's answer to the employer's outcome, and the decision letter to a referrer outside Threshold."""

from __future__ import annotations

from django import forms

from threshold.core.forms import CaseForm, CleanCharField, VersionedForm
from threshold.lado.models import LetterMethod

AGREE = [("yes", "Yes, I agree with the employer's outcome"), ("no", "No, I do not agree")]


class EmployerOutcomeForm(VersionedForm):
    """Whether the LADO agrees with the employer's outcome, and why not."""

    agreed = forms.ChoiceField(
        choices=[("", ""), *AGREE],
        error_messages={
            "required": "Choose whether you agree with the employer's outcome",
            "invalid_choice": "Choose whether you agree with the employer's outcome",
        },
    )
    reason = CleanCharField(
        required=False,
        max_length=5000,
        error_messages={"max_length": "Why you do not agree must be 5,000 characters or fewer"},
    )

    def agreement(self) -> bool | None:
        """The answer as the service takes it."""
        return {"yes": True, "no": False}.get(self.cleaned_data.get("agreed") or "")


class DecisionLetterForm(CaseForm):
    """How the decision letter reaches the referrer: printed, or an email saying it is ready."""

    method = forms.ChoiceField(
        choices=[("", ""), *LetterMethod.choices],
        error_messages={
            "required": "Choose how the referrer gets the decision letter",
            "invalid_choice": "Choose how the referrer gets the decision letter",
        },
    )
    sent_to = CleanCharField(
        required=False,
        max_length=254,
        error_messages={"max_length": "The referrer's email address must be 254 characters or fewer"},
    )
