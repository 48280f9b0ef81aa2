"""Small pieces the allegation presenters share: a link, a summary-list row, Yes or No, a date as GOV.UK says it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from threshold.jinja2 import govuk_date, govuk_datetime


@dataclass(frozen=True)
class Link:
    """A link the page offers: where it goes, its words and what a screen reader hears after them."""

    href: str
    text: str
    hidden: str = ""


def yes_no(value: object) -> str:
    """A fact as the page says it: "Yes" or "No"."""
    return "Yes" if value else "No"


def row(key: str, value: str | Markup) -> dict[str, Any]:
    """One row of a GOV.UK summary list; a ``Markup`` value is shown as HTML, anything else as text."""
    shown: dict[str, str | Markup] = {"html": value} if isinstance(value, Markup) else {"text": value}
    return {"key": {"text": key}, "value": shown}


def plural(count: int, word: str) -> str:
    """``1 earlier record``, ``2 earlier records``."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def when(value: dt.date | dt.datetime | None) -> str:
    """A due date or time in GOV.UK style: a time only where the clock counts hours."""
    return govuk_datetime(value) if isinstance(value, dt.datetime) else govuk_date(value)


def not_given(value: str) -> str:
    """A value of the referral, or "Not given"."""
    return value or "Not given"
