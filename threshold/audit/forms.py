"""The filter form for an organisation's audit events."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.audit.presenters import action_label
from threshold.core.forms import CaseForm

# The years a filter's date may name: the service's trail starts after the first, and a year past the last is a slip.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class EventFilterForm(CaseForm):
    """Who, what and when: every field optional. The dates are GOV.UK date inputs read as every form's are."""

    DATES = {"from": ("The start date", None), "to": ("The end date", None)}

    actor = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="Action", required=False)

    def __init__(self, *args: Any, actors: list[tuple[int, str]], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Anyone"), *actors]  # type: ignore[attr-defined]
        # Each action in words; its code is the value (what the filter and the export use).
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", "Any action"),
            *sorted(((a, action_label(a)) for a in actions), key=lambda choice: choice[1]),
        ]

    def clean(self) -> dict[str, Any]:
        """The dates as ``date_from`` and ``date_to``, within the trail's years; the end not before the start."""
        data = super().clean()
        for name, key, label in (("from", "date_from", "The start date"), ("to", "date_to", "The end date")):
            day = data.pop(name, None)
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(f"{name}_day", f"{label} must be between {FIRST_YEAR} and {LAST_YEAR}")
                day = None
            data[key] = day
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            self.add_error("to_day", "The end date must be the same as or after the start date")
        return data
