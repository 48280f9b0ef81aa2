"""Forms for the headteacher's sign-off, sharing a concern with HR for advice, and HR's advice (section 13.3)."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.core.forms import CaseForm, CleanCharField, VersionedForm

AGREE = "yes"
SEND_BACK = "no"


class SignOffForm(VersionedForm):
    """The head's answer to a DSL's decision: sign it off, or send it back with a reason."""

    answer = forms.ChoiceField(
        choices=[(AGREE, "Yes, sign off the decision"), (SEND_BACK, "No, send it back")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you sign off the decision",
            "invalid_choice": "Choose whether you sign off the decision",
        },
    )
    reason = CleanCharField(label="Your reason for sending it back", required=False, max_length=5000)


class ShareWithHrForm(CaseForm):
    """Which HR business partner to ask, and what about."""

    partner = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the HR business partner to ask for advice",
            "invalid_choice": "Choose the HR business partner to ask for advice",
        },
    )
    question = CleanCharField(
        label="What you would like advice on",
        max_length=5000,
        error_messages={"required": "Enter what you would like advice on"},
    )

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners  # type: ignore[attr-defined]


class HrAdviceForm(CaseForm):
    """The HR business partner's advice on a concern shared with them."""

    advice = CleanCharField(label="Your advice", max_length=10000, error_messages={"required": "Enter your advice"})
