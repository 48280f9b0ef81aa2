"""GOV.UK date inputs on every case-work form: a wrong date gets one message written for the field, never Django's."""

from __future__ import annotations

from typing import Any

import pytest

from threshold.core.forms import CaseForm


class _RefusalForm(CaseForm):
    DATES = {"refused_on": ("The date of the refusal", None)}


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("1", "4", "20255"), ("123", "4", "2025"), ("1", "400", "2025"), ("1", "4", "25"), ("31", "2", "2025")],
)
def test_a_date_part_too_long_or_impossible_is_not_a_real_date(day: str, month: str, year: str) -> None:
    form = _RefusalForm(data={"refused_on_day": day, "refused_on_month": month, "refused_on_year": year})
    assert not form.is_valid()
    messages: list[Any] = [message for errors in form.errors.values() for message in errors]
    assert messages == ["The date of the refusal must be a real date"]


def test_a_real_date_is_read_from_its_three_boxes() -> None:
    form = _RefusalForm(data={"refused_on_day": "01", "refused_on_month": "4", "refused_on_year": "2025"})
    assert form.is_valid()
    assert form.cleaned_data["refused_on"].isoformat() == "2025-04-01"
