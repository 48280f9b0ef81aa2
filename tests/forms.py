"""What a browser posts for a GOV.UK form: a date as its three boxes."""

from __future__ import annotations

import datetime as dt


def date_boxes(name: str, day: dt.date) -> dict[str, str]:
    """The day, month and year boxes of the date ``name`` (``threshold.core.forms.CaseForm.DATES``), filled in."""
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}
