"""The question a form asks when a typed name could mean someone who uses Threshold (ADR 0018)."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.core.forms import CleanCharField, WrittenForm
from threshold.core.names import has_hidden_characters
from threshold.people.subjects import NOT_A_MEMBER, SubjectToConfirm


class ConfirmsSubject(WrittenForm):
    """A form that names an adult: refuses hidden characters in the name and asks who a possible colleague is.

    ``subject_confirmation`` carries the answer (a user id, or
    ``NOT_A_MEMBER``); it becomes radios only once a service has asked
    (``ask_who``), so the question appears beside the name, in the error
    summary, the way GOV.UK forms ask a follow-up.
    """

    # The fields holding a typed name: a zero-width space or a right-to-left override in one is refused.
    NAME_FIELDS: tuple[str, ...] = ()

    # The question ``people/_who_is_it.html`` asks; the typed box only carries an earlier answer back.
    WHO_IS_IT = "Is this someone who uses Threshold?"

    subject_confirmation = CleanCharField(
        label=WHO_IS_IT,
        required=False,
        max_length=20,
        error_messages={"max_length": f"Choose an answer to “{WHO_IS_IT}”"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject_choices: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        """A name with invisible or direction-changing characters would display spoofed: ask for it plainly."""
        cleaned = super().clean() or {}
        for name in self.NAME_FIELDS:
            # The raw input, not the cleaned value: a text field may already have stripped them silently.
            if has_hidden_characters(str(self.data.get(self.add_prefix(name)) or "")):
                label = self.fields[name].label or "The name"
                self.add_error(
                    name,
                    f"{label} must not contain hidden formatting characters: type it again without pasting",
                )
        return cleaned

    def ask_who(self, question: SubjectToConfirm) -> None:
        """Turn the answer into radios: each possible colleague, or nobody who uses Threshold."""
        self.subject_choices = [
            *((str(user.pk), f"Yes – {user.full_name}") for user in question.candidates),
            (NOT_A_MEMBER, "No – they are not someone who uses Threshold"),
        ]
        self.fields["subject_confirmation"] = forms.ChoiceField(
            label=self.WHO_IS_IT, choices=self.subject_choices, required=False
        )
        # The form was already cleaned: drop the bound text field Django cached, so the radios render.
        self._bound_fields_cache.pop("subject_confirmation", None)  # type: ignore[attr-defined]


class MatchClearForm(WrittenForm):
    """Why a record whose adult's name could be a colleague's is not about them (ADR 0018)."""

    reason = CleanCharField(
        label="Why the record is not about them",
        max_length=2000,
        error_messages={"required": "Enter why the record is not about them"},
    )
