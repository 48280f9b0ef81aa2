"""Forms for a manual chronology entry (when it happened, what happened) and for a correction."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from threshold.core.forms import CleanCharField, WrittenForm

LONDON = ZoneInfo("Europe/London")
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(value: str) -> dt.time | None:
    """Read a time as people type it: 14:30, 2:30pm, 2pm, 9.15am, midday, midnight."""
    text = value.strip().lower()
    if text in ("midday", "noon", "12 midday"):
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        return None
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


class ChronologyEntryForm(WrittenForm):
    """When something happened (a GOV.UK date input and a time) and what happened."""

    # Lengths are checked in ``clean`` so every mistake gets a GOV.UK message.
    occurred_day = forms.CharField(required=False)
    occurred_month = forms.CharField(required=False)
    occurred_year = forms.CharField(required=False)
    occurred_time = forms.CharField(required=False)
    text = CleanCharField(
        label="What happened",
        max_length=5000,
        error_messages={
            "required": "Enter what happened",
            "max_length": "What happened must be 5,000 characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        """Combine the date and time into one moment in Europe/London, real and not in the future."""
        data = super().clean() or {}
        day, month, year = (_number(data.get(f"occurred_{part}")) for part in ("day", "month", "year"))
        raw = [str(data.get(f"occurred_{part}") or "").strip() for part in ("day", "month", "year")]
        if not any(raw):
            self.add_error("occurred_day", "Enter the date it happened")
        elif not all(raw):
            missing = [name for name, value in zip(("a day", "a month", "a year"), raw, strict=True) if not value]
            self.add_error("occurred_day", f"The date it happened must include {' and '.join(missing)}")
        elif day is None or month is None or year is None or year < 1000:
            self.add_error("occurred_day", "The date it happened must be a real date")
        else:
            try:
                date = dt.date(year, month, day)
            except ValueError:
                self.add_error("occurred_day", "The date it happened must be a real date")
            else:
                data["occurred_date"] = date
        time_text = str(data.get("occurred_time") or "")
        if not time_text.strip():
            self.add_error("occurred_time", "Enter the time it happened")
        else:
            time = parse_time(time_text) if len(time_text) <= 20 else None
            if time is None:
                self.add_error("occurred_time", "Enter the time it happened in the format 2:30pm or 14:30")
            elif "occurred_date" in data:
                moment = dt.datetime.combine(data["occurred_date"], time, tzinfo=LONDON)
                if moment > timezone.now():
                    field = "occurred_day" if data["occurred_date"] > timezone.localdate() else "occurred_time"
                    self.add_error(field, "The date and time it happened must be in the past")
                else:
                    data["occurred_at"] = moment.astimezone(dt.UTC)
        return data


class ChronologyCorrectionForm(WrittenForm):
    """What the entry should have said."""

    text = CleanCharField(
        label="Correction",
        max_length=5000,
        error_messages={
            "required": "Enter the correction",
            "max_length": "The correction must be 5,000 characters or fewer",
        },
    )
