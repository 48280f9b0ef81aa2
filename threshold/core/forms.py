"""Helpers forms share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from threshold.core.names import without_hidden_characters


class CleanCharField(forms.CharField):
    """A text field stored without invisible or direction-changing characters (zero-width spaces, RTL overrides).

    Text pasted from documents can carry them, and a name or a note holding
    them displays spoofed ("Dev\u202eDsl") or compares wrongly: they are
    removed before validation, newlines and tabs kept.
    """

    def to_python(self, value: Any) -> Any:
        """The typed text, NFKC-normalised, with hidden characters removed."""
        text = super().to_python(value)
        return without_hidden_characters(text) if isinstance(text, str) else text


def _label(field: forms.Field, name: str) -> str:
    return str(field.label or pretty_name(name)).rstrip(":?").strip()


def _lower(label: str) -> str:
    """A label inside a sentence: "Date raised" → "date raised", an acronym ("DBS reference") kept."""
    first, _, rest = label.partition(" ")
    return (first if first.isupper() and len(first) > 1 else first.lower()) + (f" {rest}" if rest else "")


def _defaults(field: forms.Field) -> dict[str, Any]:
    """Django's own messages for a field's class, as each class in its ancestry sets them."""
    found: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        found.update(getattr(cls, "default_error_messages", {}))
    return found


def written_messages(name: str, field: forms.Field) -> dict[str, str]:
    """The field's error messages in GOV.UK style, naming the field and saying what to do (issue 17).

    Only Django's stock messages are replaced ("Ensure this value has at most 200 characters (it has 5018).");
    a message a form wrote for its field stays as written.
    """
    label = _label(field, name)
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    # A question ("Are the police involved?") is answered, not entered.
    asked = str(field.label or "").strip().endswith("?")
    choose = (
        f"Choose an answer to “{str(field.label).strip()}”"
        if asked
        else f"Choose one of the options for {_lower(label)}"
    )
    ours = {
        "required": choose if asked else f"{'Choose' if choosing else 'Enter'} {_lower(label)}",
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_length": f"{label} must be %(limit_value)d characters or more",
        "invalid_choice": choose,
        "invalid_list": choose,
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "empty": "The selected file is empty",
        "missing": "Choose a file to upload",
        "contradiction": "Choose a file to upload, or leave the file as it is",
    }
    if isinstance(field, forms.IntegerField):
        ours["invalid"] = f"{label} must be a whole number, like 3"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        ours["invalid"] = f"{label} must be a number"
    elif isinstance(field, forms.EmailField):
        ours["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.DateField):
        ours["invalid"] = f"{label} must be a real date, like 27/03/2024"
    elif isinstance(field, forms.FileField):
        ours["invalid"] = "The selected file could not be read: choose it again"
        # A file's name is what is too long, and Django gives its message other figures.
        ours["max_length"] = "The file's name must be %(max)d characters or fewer: rename it and choose it again"
    stock = _defaults(field)
    # A length or a limit is checked by a validator, whose message the field's own (by its code) replaces; a
    # validator given its own message keeps it.
    checked = {
        getattr(validator, "code", "")
        for validator in field.validators
        if str(getattr(validator, "message", "")) == str(getattr(type(validator), "message", ""))
    }
    return {
        key: text
        for key, text in ours.items()
        if (key in field.error_messages and key in stock and str(field.error_messages[key]) == str(stock[key]))
        or (key not in field.error_messages and key in checked)
    }


class WrittenForm(forms.Form):
    """A form whose every error message names its field and says what to do: Django's stock ones replaced."""

    def full_clean(self) -> None:
        """Write the messages of every field (those a form adds in its own ``__init__`` too), then clean."""
        for name, field in self.fields.items():
            field.error_messages.update(written_messages(name, field))
        super().full_clean()


def apply_validation_error(
    form: forms.Form, error: ValidationError, field_for: Callable[[str], str | None] | None = None
) -> None:
    """Put a service's validation errors beside the fields they belong to (GOV.UK error summary pattern).

    ``field_for`` maps a service's field name to the form field that should
    carry the message (for example a date's day box); anything that is not a
    field of the form goes to the top of the form.
    """
    # A typed name that could be a colleague's asks who it is (threshold.people.forms.ConfirmsSubject).
    if hasattr(error, "candidates") and hasattr(form, "ask_who"):
        form.ask_who(error)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = field_for(name) if field_for else name
        form.add_error(field if field in form.fields else None, messages)


class CaseForm(WrittenForm):
    """A case-work form of either side: GOV.UK date inputs, and a service's errors beside its fields.

    Each date is three boxes, ``<name>_day``, ``_month`` and ``_year``.

    ``DATES`` maps a date's name to (its label, the message when it is
    required and missing, or None when it is optional). The cleaned date is
    ``cleaned_data[name]``; errors go beside the day box.
    """

    DATES: dict[str, tuple[str, str | None]] = {}
    # A service's error about a value the form asks for in other boxes.
    ERROR_FIELDS: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = dict(kwargs.get("initial") or {})
        initial_dates = {name: kwargs["initial"].get(name) for name in self.DATES}
        super().__init__(*args, **kwargs)
        for name in self.DATES:
            for part in ("day", "month", "year"):
                # No max_length: its stock message ("Ensure this value has at most 4 characters") would stand
                # beside ours; clean() says "must be a real date" for a part too long instead.
                self.fields[f"{name}_{part}"] = forms.CharField(required=False)
            value = initial_dates.get(name)
            if isinstance(value, dt.date):
                self.initial.update(
                    {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}
                )

    def clean(self) -> dict[str, Any]:
        """Turn each date's three boxes into a real date, or an error beside them."""
        data = super().clean() or {}
        for name, (label, required) in self.DATES.items():
            raw = [str(data.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")]
            data[name] = None
            if not any(raw):
                if required:
                    self.add_error(f"{name}_day", required)
                continue
            if not all(raw):
                missing = [n for n, v in zip(("a day", "a month", "a year"), raw, strict=True) if not v]
                self.add_error(f"{name}_day", f"{label} must include {' and '.join(missing)}")
                continue
            try:
                if not all(part.isdigit() for part in raw) or len(raw[0]) > 2 or len(raw[1]) > 2 or len(raw[2]) != 4:
                    raise ValueError
                if int(raw[2]) < 1900:
                    raise ValueError
                data[name] = dt.date(int(raw[2]), int(raw[1]), int(raw[0]))
            except ValueError:
                self.add_error(f"{name}_day", f"{label} must be a real date")
        return data

    def _post_clean(self) -> None:
        """After every ``clean`` (a subclass's too, with what it worked out or dropped): the service's rules."""
        super()._post_clean()  # type: ignore[misc]  # Django's own hook, absent from its type stubs
        for name, message in self.rule_errors(getattr(self, "cleaned_data", {})).items():
            field = self._error_field(name)
            if field not in self.errors:  # a box already in error keeps its own message
                self.add_error(field if field in self.fields else None, message)

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The service's own rules about these answers, keyed as the service keys its errors (none by default).

        A form whose service checks more than each field alone says so here, from the same function the service
        calls, so that every error shows at once (GOV.UK) rather than the service's after the fields' are fixed.
        """
        return {}

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's validation errors beside the fields (or date boxes) they belong to."""
        apply_validation_error(self, error, self._error_field)

    def _error_field(self, name: str) -> str:
        if name in self.ERROR_FIELDS:
            return self.ERROR_FIELDS[name]
        return f"{name}_day" if name in self.DATES else name


def opened_at_version() -> forms.IntegerField:
    """The hidden version of the record a form was opened at, for ``bump_version``: required, and said so.

    Required: a form without the version it was loaded with (dropped, or tampered with) is refused, never saved
    over someone else's change, with a message that says what to do rather than "Enter version".
    """
    missing = "This form was sent without the version of the record it was opened at: open it again"
    return forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": missing, "invalid": missing})


class VersionedForm(CaseForm):
    """A form that changes a record's editable facts: it carries the version the person saw (optimistic locking).

    The service compares it with the record's (``bump_version``); a stale form
    gets the conflict page (HTTP 409), never a silent overwrite.
    """

    # ``core.pages.form_page`` answers a form sent without it with the conflict notice.
    version = opened_at_version()
