"""Forms for requests for information: the LADO's request (what, by when, how often to chase) and the reply.

The date is a GOV.UK date input (three boxes), as on the other LADO forms; the service's messages go beside
the fields (``CaseForm.apply_errors``).
"""

from __future__ import annotations

from django import forms

from threshold.core.forms import CaseForm, CleanCharField, VersionedForm


def _number(label: str, required: str, low: int, high: int, message: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": required,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class InformationRequestForm(CaseForm):
    """What the LADO asks the employer's case manager for, by when, and how often and how long to chase."""

    DATES = {"due_on": ("The date you need it by", "Enter the date you need it by")}
    what = CleanCharField(
        label="What you are asking for",
        max_length=5000,
        error_messages={
            "required": "Enter what you are asking the employer for",
            "max_length": "What you are asking for must be 5,000 characters or fewer",
        },
    )
    chase_every_days = _number(
        "Chase every (days)", "Enter how many days apart to chase", 1, 28, "Chase every 1 to 28 days"
    )
    chase_limit = _number("Chase up to (times)", "Enter how many times to chase", 0, 10, "Chase 0 to 10 times")


class InformationReplyForm(VersionedForm):
    """The case manager's reply to the LADO's request."""

    reply = CleanCharField(
        label="Your reply",
        max_length=10000,
        error_messages={
            "required": "Enter your reply to the LADO",
            "max_length": "Your reply must be 10,000 characters or fewer",
        },
    )


class InformationWithdrawForm(VersionedForm):
    """The LADO's withdraw button: the version of the request it was shown at."""
