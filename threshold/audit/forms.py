"""The filter form for an organisation's audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from threshold.audit.presenters import action_label
from threshold.core.forms import WrittenForm


def _date_boxes(date: str) -> tuple[forms.IntegerField, forms.IntegerField, forms.IntegerField]:
    """A date's day, month and year boxes, each named by its date in messages ("The day of the start date").

    As the form's own messages are ("The start date must be a real date"): never a bare "Day" or "Year".
    """
    year = f"The year of the {date} date"
    return (
        forms.IntegerField(label=f"The day of the {date} date", required=False, min_value=1, max_value=31),
        forms.IntegerField(label=f"The month of the {date} date", required=False, min_value=1, max_value=12),
        forms.IntegerField(
            label=year,
            required=False,
            min_value=2000,
            max_value=2100,
            error_messages={"invalid": f"{year} must be a whole number, like 2024"},
        ),
    )


class EventFilterForm(WrittenForm):
    """Who, what and when: every field optional."""

    actor = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="Action", required=False)
    from_day, from_month, from_year = _date_boxes("start")
    to_day, to_month, to_year = _date_boxes("end")

    def __init__(self, *args: Any, actors: list[tuple[int, str]], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Anyone"), *actors]  # type: ignore[attr-defined]
        # Each action in words; its code is the value (what the filter and the export use).
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", "Any action"),
            *sorted(((a, action_label(a)) for a in actions), key=lambda choice: choice[1]),
        ]

    def _date(self, prefix: str, label: str) -> dt.date | None:
        parts = [self.cleaned_data.get(f"{prefix}_{part}") for part in ("day", "month", "year")]
        if all(part is None for part in parts):
            return None
        if any(part is None for part in parts):
            self.add_error(f"{prefix}_day", f"{label} must include a day, month and year")
            return None
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
        except ValueError:
            self.add_error(f"{prefix}_day", f"{label} must be a real date")
            return None

    def clean(self) -> dict[str, Any]:
        """Turn the day, month and year boxes into dates; the end cannot be before the start."""
        data = super().clean() or {}
        data["date_from"] = self._date("from", "The start date")
        data["date_to"] = self._date("to", "The end date")
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            self.add_error("to_day", "The end date must be the same as or after the start date")
        return data
