"""The dashboard's chooser: the period (two GOV.UK dates) and, for someone who reads several, whose figures.

A GET form, so a chosen period is a link that can be kept, printed and downloaded from. Errors go beside the day
box of the date they are about; the page shows no figures until the period is a real one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from threshold.core.forms import CaseForm
from threshold.reports.periods import Period, period_problems
from threshold.reports.terms import academic_year_period, employer_period


class PeriodForm(CaseForm):
    """From and to (both included), and the organisation when the reader has a choice of several."""

    DATES = {
        "from": ("The start of the period", "Enter the start of the period"),
        "to": ("The end of the period", "Enter the end of the period"),
    }

    def __init__(
        self, *args: Any, today: dt.date, organisations: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if organisations and len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                choices=organisations,
                required=False,
                error_messages={"invalid_choice": "Choose one of your organisations"},
            )

    def clean(self) -> dict[str, Any]:
        """Both dates real, the start today or earlier, the end on or after it, no longer than the longest period."""
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            for box, message in period_problems(start, end, today=self.today):
                self.add_error(box, message)
        return data

    @property
    def period(self) -> Period:
        """The chosen period (the form is valid)."""
        return employer_period(self.cleaned_data["from"], self.cleaned_data["to"])


def period_form(query: Any, *, today: dt.date, organisations: list[tuple[str, str]]) -> PeriodForm:
    """The chooser bound to the page's query; with no period chosen, bound to the academic year ``today`` is in."""
    has_period = any(key.startswith(("from_", "to_")) for key in query)
    data = query.copy() if has_period else {**period_query(academic_year_period(today)), **query.dict()}
    return PeriodForm(data, today=today, organisations=organisations)


def period_query(period: Period) -> dict[str, str]:
    """A period as the chooser's GET parameters, for the links that keep it (print, downloads, quick periods)."""
    values: dict[str, str] = {}
    for name, day in (("from", period.start), ("to", period.end)):
        values.update({f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)})
    return values
