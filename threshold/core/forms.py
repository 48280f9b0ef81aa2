"""Helpers forms share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
