"""The LADO report's forms: the period chooser (a GET form, so a chosen report is a link) and the settings.

The chooser offers what a LADO service reports by (issue 14): this financial year (the default), last financial
year, a quarter of either, or any two dates (GOV.UK date inputs). Each error goes beside the field it is about;
the page shows no figures until the period is a real one. The settings form carries the version it was opened at
(optimistic locking, ``core.forms.VersionedForm``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django import forms

from threshold.core.forms import CaseForm, VersionedForm
from threshold.reports.periods import Period, between, financial_year, period_problems, quarters
from threshold.reports.report_settings import LARGEST_THRESHOLD, SMALLEST_THRESHOLD

Choice = Literal["this_year", "last_year", "quarter", "dates"]
CHOICES: list[tuple[Choice, str]] = [
    ("this_year", "This financial year"),
    ("last_year", "Last financial year"),
    ("quarter", "A quarter"),
    ("dates", "Between two dates"),
]


def this_and_last_year(today: dt.date) -> tuple[Period, Period]:
    """The financial year ``today`` is in, and the one before it."""
    this_year = financial_year(today)
    return this_year, financial_year(this_year.start - dt.timedelta(days=1))


def offered_quarters(today: dt.date) -> list[Period]:
    """The quarters the chooser offers: last financial year's four and this year's so far, most recent first."""
    this_year, last_year = this_and_last_year(today)
    started = [quarter for quarter in (*quarters(last_year), *quarters(this_year)) if quarter.start <= today]
    return list(reversed(started))


class ReportPeriodForm(CaseForm):
    """Which period the report counts, and whether small numbers are suppressed (when the authority set a threshold)."""

    DATES = {
        "from": ("The start of the period", None),
        "to": ("The end of the period", None),
    }

    period = forms.ChoiceField(
        choices=CHOICES,
        error_messages={
            "required": "Choose the period the report covers",
            "invalid_choice": "Choose the period the report covers",
        },
    )
    quarter = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose one of the quarters in the list"}
    )
    suppress = forms.BooleanField(required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.quarters = offered_quarters(today)
        quarter = self.fields["quarter"]
        assert isinstance(quarter, forms.ChoiceField)
        quarter.choices = [("", "Choose a quarter")] + [
            (quarter.start.isoformat(), quarter.label) for quarter in self.quarters
        ]

    def clean(self) -> dict[str, Any]:
        """The chosen period: a quarter when a quarter is chosen, two real dates in order when dates are."""
        data = super().clean()
        choice = data.get("period")
        # Without JavaScript every choice's boxes are on the page: what is typed under a choice not made is not
        # part of the answer, so it raises no error.
        unanswered = {"quarter": ("quarter",), "dates": ("from_day", "to_day")}
        for other, names in unanswered.items():
            if choice != other:
                for name in names:
                    self.errors.pop(name, None)
        if choice == "quarter" and not data.get("quarter") and "quarter" not in self.errors:
            self.add_error("quarter", "Choose a quarter")
        if choice == "dates":
            self._clean_dates(data)
        return data

    def _clean_dates(self, data: dict[str, Any]) -> None:
        start, end = data.get("from"), data.get("to")
        if start is None and "from_day" not in self.errors:
            self.add_error("from_day", "Enter the start of the period")
        if end is None and "to_day" not in self.errors:
            self.add_error("to_day", "Enter the end of the period")
        if isinstance(start, dt.date) and start > self.today:
            self.add_error("from_day", "The start of the period must be today or in the past")
        elif isinstance(start, dt.date) and isinstance(end, dt.date):
            for box, message in period_problems(start, end, today=self.today):
                self.add_error(box, message)

    @property
    def chosen(self) -> Period:
        """The period chosen (the form is valid)."""
        choice: Choice = self.cleaned_data["period"]
        this_year, last_year = this_and_last_year(self.today)
        if choice == "this_year":
            return this_year
        if choice == "last_year":
            return last_year
        if choice == "quarter":
            start = self.cleaned_data["quarter"]
            return next(quarter for quarter in self.quarters if quarter.start.isoformat() == start)
        return between(self.cleaned_data["from"], self.cleaned_data["to"])


def period_form(query: Any, *, today: dt.date) -> ReportPeriodForm:
    """The chooser bound to the page's query; with no period chosen, bound to this financial year (the default)."""
    data = query.copy() if "period" in query else {**query.dict(), "period": "this_year"}
    return ReportPeriodForm(data, today=today)


class ReportSettingsForm(VersionedForm):
    """The authority's small-number threshold: blank for none."""

    suppress_below = forms.IntegerField(
        required=False,
        min_value=SMALLEST_THRESHOLD,
        max_value=LARGEST_THRESHOLD,
        label="Suppress counts below",
        error_messages={
            "invalid": "Enter a whole number, like 5, or leave it blank",
            "min_value": f"Enter a number from {SMALLEST_THRESHOLD} to {LARGEST_THRESHOLD}, or leave it blank",
            "max_value": f"Enter a number from {SMALLEST_THRESHOLD} to {LARGEST_THRESHOLD}, or leave it blank",
        },
    )
