"""The Jinja2 environment: GOV.UK Frontend macros, URL reversing and GOV.UK date formats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PrefixLoader
from markupsafe import Markup

from threshold.core.record_ids import token_of
from threshold.govuk_components import GovukEnvironment, govuk_attributes, govuk_loader, govuk_select_options
from threshold.policy import retention_in_words


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Reverse a URL by name, as ``{% url %}`` does in Django templates."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """Format a date the GOV.UK way: 24 December 2026 (times in Europe/London)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: dt.datetime | None) -> str:
    """Format a moment the GOV.UK way: 24 December 2026 at 3:05pm (Europe/London)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    else:
        clock = f"{hour}:{local.minute:02d}{suffix}"
    return f"{govuk_date(local)} at {clock}"


def field_error(field: Any) -> dict[str, str] | None:
    """Return the GOV.UK ``errorMessage`` parameter for a bound Django form field."""
    if field is None or not field.errors:
        return None
    return {"text": " ".join(str(error) for error in field.errors)}


def error_list(form: Any) -> list[dict[str, str]]:
    """Return the GOV.UK error summary items for a bound form, linked to each field."""
    items: list[dict[str, str]] = []
    if form is None or not form.errors:
        return items
    for name, errors in form.errors.items():
        anchor = "" if name == "__all__" else "#" + (form[name].id_for_label or f"id_{name}")
        for error in errors:
            item = {"text": str(error)}
            if anchor:
                item["href"] = anchor
            items.append(item)
    return items


def select_items(choices: Any, selected: Any = None, placeholder: str | None = None) -> list[dict[str, Any]]:
    """Turn Django choices into GOV.UK select or radio items, marking the selected one."""
    items: list[dict[str, Any]] = []
    if placeholder:
        items.append({"value": "", "text": placeholder})
    for value, label in choices:
        if placeholder and value in ("", None):
            continue
        items.append({"value": value, "text": str(label), "selected": str(value) == str(selected)})
    return items


def role_label(value: str) -> str:
    """The readable name of a role value."""
    from threshold.accounts.roles import Role

    return str(Role(value).label) if value in Role.values else value


def link(href: str, text: object) -> Markup:
    """A GOV.UK link whose text is escaped, for the ``html`` of a macro parameter."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def thousands(number: int) -> str:
    """A count as GOV.UK writes it: 6,000 (a comma between thousands)."""
    return f"{number:,}"


def environment(**options: Any) -> Environment:
    """Build the Jinja2 environment Django renders our templates with."""
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": govuk_loader()}),
        ]
    )
    options.setdefault("autoescape", True)
    env = GovukEnvironment(**options)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "field_error": field_error,
            "error_list": error_list,
            "select_items": select_items,
            "link": link,
            "govuk_attributes": govuk_attributes,
            "govuk_select_options": govuk_select_options,
            "record_token": token_of,
            "service_name": "Threshold",
            "demo_mode": settings.DEMO_MODE,
        }
    )
    env.filters.update(
        {
            "govuk_date": govuk_date,
            "govuk_datetime": govuk_datetime,
            "role_label": role_label,
            # Stored retention reasons, with any fact name in words (policy.retention_in_words).
            "retention_words": retention_in_words,
            "thousands": thousands,
        }
    )
    return env
