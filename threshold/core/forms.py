"""Helpers forms share."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(
    form: forms.Form, error: ValidationError, field_for: Callable[[str], str | None] | None = None
) -> None:
    """Put a service's validation errors beside the fields they belong to (GOV.UK error summary pattern).

    ``field_for`` maps a service's field name to the form field that should
    carry the message (for example a date's day box); anything that is not a
    field of the form goes to the top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = field_for(name) if field_for else name
        form.add_error(field if field in form.fields else None, messages)
