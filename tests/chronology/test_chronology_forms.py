"""The manual entry form: a real date, a time as people write it, not in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from threshold.chronology.forms import ChronologyEntryForm, parse_time


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("14:30", dt.time(14, 30)),
        ("2:30pm", dt.time(14, 30)),
        ("2pm", dt.time(14, 0)),
        ("9.15am", dt.time(9, 15)),
        ("12am", dt.time(0, 0)),
        ("12:05 PM", dt.time(12, 5)),
        ("midday", dt.time(12, 0)),
        ("midnight", dt.time(0, 0)),
        ("25:00", None),
        ("13pm", None),
        ("14", None),
        ("half past two", None),
    ],
)
def test_times_are_read_as_people_write_them(text, time) -> None:
    assert parse_time(text) == time


def _form(day="3", month="2", year="2026", time="2:30pm", text="Phoned the LADO.") -> ChronologyEntryForm:
    return ChronologyEntryForm(
        {"occurred_day": day, "occurred_month": month, "occurred_year": year, "occurred_time": time, "text": text}
    )


def test_a_complete_entry_becomes_a_moment_in_utc_from_london_time() -> None:
    form = _form(day="1", month="7", year="2025", time="9:00am")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_at"] == dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "occurred_day", "Enter the date it happened"),
        ({"day": "", "year": ""}, "occurred_day", "The date it happened must include a day and a year"),
        ({"day": "31", "month": "2"}, "occurred_day", "The date it happened must be a real date"),
        ({"month": "Feb"}, "occurred_day", "The date it happened must be a real date"),
        ({"time": ""}, "occurred_time", "Enter the time it happened"),
        ({"time": "teatime"}, "occurred_time", "Enter the time it happened in the format 2:30pm or 14:30"),
        ({"text": ""}, "text", "Enter what happened"),
    ],
)
def test_each_mistake_is_explained_beside_its_field(fields, field, message) -> None:
    form = _form(**fields)

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_date_in_the_future_is_refused() -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    form = _form(day=str(tomorrow.day), month=str(tomorrow.month), year=str(tomorrow.year))

    assert not form.is_valid()
    assert form.errors["occurred_day"] == ["The date and time it happened must be in the past"]
