"""The filter form for an organisation's audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from threshold.audit.presenters import action_label
from threshold.core.forms import WrittenForm


class EventFilterForm(WrittenForm):
    """Who, what and when: every field optional."""

    actor = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="Action", required=False)
    # Each box's messages name its date as the form's own do ("The start date must be a real date"), never a bare
    # "Day" or "Year".
    from_day = forms.IntegerField(label="The day of the start date", required=False, min_value=1, max_value=31)
    from_month = forms.IntegerField(label="The month of the start date", required=False, min_value=1, max_value=12)
    from_year = forms.IntegerField(
        label="The year of the start date",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "The year of the start date must be a whole number, like 2024"},
    )
    to_day = forms.IntegerField(label="The day of the end date", required=False, min_value=1, max_value=31)
    to_month = forms.IntegerField(label="The month of the end date", required=False, min_value=1, max_value=12)
    to_year = forms.IntegerField(
        label="The year of the end date",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "The year of the end date must be a whole number, like 2024"},
    )

    def __init__(self, *args: Any, actors: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Anyone"), *[(u.pk, u.full_name) for u in actors]]  # type: ignore[attr-defined]
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
