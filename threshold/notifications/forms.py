"""The notification settings form: which emails a person wants."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.accounts.models import NotificationPreference
from threshold.core.forms import VersionedForm

DIGEST, IMMEDIATE = "digest", "immediate"
EMAIL_CHOICES = [
    (DIGEST, "A daily summary of what is overdue, due today and due in the next 7 days"),
    (IMMEDIATE, "An email straight away for what cannot wait"),
]


class PreferenceForm(VersionedForm):
    """Tick the emails you want; ticking neither leaves only the notifications in Threshold."""

    emails = forms.MultipleChoiceField(
        required=False, choices=EMAIL_CHOICES, widget=forms.CheckboxSelectMultiple, label="Emails"
    )

    @classmethod
    def for_record(cls, record: NotificationPreference, data: Any = None) -> PreferenceForm:
        """The form for a person's preference (or their defaults, at version 0)."""
        chosen = [name for name, on in ((DIGEST, record.daily_digest), (IMMEDIATE, record.immediate)) if on]
        return cls(data, initial={"emails": chosen, "version": record.version})

    @property
    def daily_digest(self) -> bool:
        """The daily summary was ticked."""
        return DIGEST in self.cleaned_data.get("emails", [])

    @property
    def immediate(self) -> bool:
        """Immediate emails were ticked."""
        return IMMEDIATE in self.cleaned_data.get("emails", [])
