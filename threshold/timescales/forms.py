"""The work list's filters, shared by "My work" and its spreadsheets (``threshold.reports.exports``)."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.core.forms import WrittenForm

SHOW_CHOICES = [("yours", "Yours"), ("everything", "Everything you can see")]


class WorkFilterForm(WrittenForm):
    """The work list's filters: a kind of deadline, and whose work (GET parameters, no personal data)."""

    kind = forms.SlugField(label="Kind of step", required=False, max_length=64)
    show = forms.ChoiceField(label="Whose work", required=False, choices=SHOW_CHOICES)

    def chosen(self) -> dict[str, Any]:
        """The kind chosen (or "") and whether the list is everything the person may see; none when invalid."""
        cleaned: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        return {"kind": cleaned.get("kind") or "", "everything": cleaned.get("show") == "everything"}
